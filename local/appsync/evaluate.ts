import { bundleResolverSource } from './bundle.ts';
import { EarlyReturn, newInvocationState, UtilError } from './util-shim.ts';
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
  error?: { message: string; codeErrors?: Array<{ errorType: string; value: string }> };
  logs: string[];
  stash?: string;
  outErrors?: string;
}

export async function evaluateCode(request: EvaluateCodeRequest, resolveDir = process.cwd()): Promise<EvaluateCodeResponse> {
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

  let module;
  try {
    module = loadResolverModule(await bundleResolverSource(request.code, resolveDir), 'code.js');
  } catch (error) {
    const message = (error as { errors?: Array<{ text: string }> }).errors?.map((e) => e.text).join('; ') ?? (error as Error).message;
    return { error: { message, codeErrors: [{ errorType: 'PARSER_ERROR', value: message }] }, logs: [] };
  }
  const handler = request.function ?? 'request';
  if (!module.has(handler)) return { error: { message: `The code has no ${handler} function` }, logs: [] };

  const state = newInvocationState();
  const finish = (partial: Partial<EvaluateCodeResponse>): EvaluateCodeResponse => ({
    ...partial,
    logs: state.logs,
    stash: JSON.stringify(ctx.stash),
    outErrors: JSON.stringify(state.errors),
  });
  try {
    const value = module.call(handler, ctx, state);
    return finish({ evaluationResult: JSON.stringify(value ?? null) });
  } catch (thrown) {
    if (thrown instanceof EarlyReturn) return finish({ evaluationResult: JSON.stringify(thrown.value ?? null) });
    if (thrown instanceof UtilError) return finish({ error: { message: thrown.message } });
    return finish({ error: { message: (thrown as Error | undefined)?.message ?? String(thrown) } });
  }
}
