import { bundleResolverSource } from '../../resolvers/bundle.ts';
import { fieldErrorOf, newInvocationState, recordCall } from './invocation.ts';
import { lintAppSyncCode, type CodeError } from './lint.ts';
import { loadResolverModule } from './vm-module.ts';

/**
 * AppSync's EvaluateCode, locally: the same request and response shapes
 * (https://docs.aws.amazon.com/appsync/latest/APIReference/API_EvaluateCode.html), so a case
 * can be run here and against AWS (`aws appsync evaluate-code`) and the answers compared.
 */
export interface EvaluateCodeRequest {
  /** An ES module importing `@aws-appsync/utils` (and `/dynamodb`), unbundled, as EvaluateCode accepts. */
  code: string;
  /** The `ctx` as a JSON string. */
  context: string;
  function?: 'request' | 'response';
  runtime: { name: string; runtimeVersion: string };
}

export interface EvaluateCodeResponse {
  evaluationResult?: string;
  error?: { message: string; codeErrors?: CodeError[] };
  logs: string[];
  stash?: string;
  outErrors?: string;
}

export interface EvaluateCodeOptions {
  /** Where `@aws-appsync/utils` resolves from (the project root). */
  resolveDir?: string;
  /** The execution limit; AppSync's 30 s unless a test wants it shorter. */
  timeoutMs?: number;
}

// AppSync does not document the message that goes with codeErrors; this one says what happened.
const CODE_ERRORS_MESSAGE = 'The code contains one or more errors.';

export async function evaluateCode(
  request: EvaluateCodeRequest,
  options: EvaluateCodeOptions = {},
): Promise<EvaluateCodeResponse> {
  const resolveDir = options.resolveDir ?? process.cwd();
  if (request.runtime?.name !== 'APPSYNC_JS' || request.runtime?.runtimeVersion !== '1.0.0') {
    return { error: { message: 'The runtime must be APPSYNC_JS 1.0.0' }, logs: [] };
  }
  let ctx: Record<string, any>;
  try {
    ctx = JSON.parse(request.context);
  } catch (error) {
    return { error: { message: `The context is not valid JSON: ${(error as Error).message}` }, logs: [] };
  }
  ctx.args ??= ctx.arguments ?? {};
  ctx.arguments ??= ctx.args;
  ctx.stash ??= {};
  ctx.prev ??= {};

  // What AppSync refuses before running anything: code that does not parse, or that its rules reject.
  const codeErrors = lintAppSyncCode(String(request.code ?? ''), resolveDir);
  if (codeErrors.length) return { error: { message: CODE_ERRORS_MESSAGE, codeErrors }, logs: [] };

  let module;
  try {
    module = loadResolverModule(await bundleResolverSource(request.code, resolveDir), 'code.js');
  } catch (error) {
    const errors = (
      error as { errors?: Array<{ text: string; location?: { line: number; column: number; length: number } | null }> }
    ).errors;
    if (!errors) return { error: { message: (error as Error).message }, logs: [] };
    const parserErrors: CodeError[] = errors.map((e) => ({
      errorType: 'PARSER_ERROR',
      value: e.text,
      location: e.location
        ? { line: e.location.line, column: e.location.column + 1, span: e.location.length }
        : { line: 0, column: 0, span: -1 },
    }));
    return { error: { message: CODE_ERRORS_MESSAGE, codeErrors: parserErrors }, logs: [] };
  }
  const handler = request.function ?? 'request';
  if (!module.has(handler)) return { error: { message: `The code has no ${handler} function` }, logs: [] };

  const state = newInvocationState({ timeoutMs: options.timeoutMs });
  const outcome = module.call(handler, JSON.stringify(ctx), state.authType, state.deadline);
  recordCall(state, outcome);
  const answer: EvaluateCodeResponse = {
    logs: state.logs,
    stash: JSON.stringify(outcome.stash ?? ctx.stash),
    outErrors: JSON.stringify(state.errors),
  };
  if (outcome.kind === 'value' || outcome.kind === 'early')
    answer.evaluationResult = JSON.stringify(outcome.value ?? null);
  else answer.error = { message: fieldErrorOf(outcome).message };
  return answer;
}
