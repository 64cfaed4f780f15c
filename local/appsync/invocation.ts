import type { CallOutcome } from './vm/runtime.ts';

/**
 * What one resolution collects across its handler calls (request and response of each step):
 * appended errors, logs, subscription filters, invalidations, and the deadline they all share.
 */
export interface InvocationState {
  errors: Array<{ message: string; errorType: string | null; data: unknown; errorInfo: unknown }>;
  logs: string[];
  subscriptionFilter?: unknown;
  invalidationFilter?: unknown;
  invalidations: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
  /** What util.authType() answers, e.g. 'User Pool Authorization'. */
  authType: string;
  /** Epoch ms after which the resolution stops with ExecutionTimeout. */
  deadline: number;
}

/**
 * AppSync's execution-time quota: a query, mutation or subscription runs 30 seconds at most, a
 * hard limit (https://docs.aws.amazon.com/general/latest/gr/appsync.html). APPSYNC_JS documents
 * no separate limit per handler, so every handler of a resolution shares this deadline. The
 * error is the one AppSync sends, `ExecutionTimeout` / "Execution timed out."
 * (as reported in https://github.com/aws-amplify/amplify-cli/issues/8192).
 */
export const APPSYNC_EXECUTION_TIMEOUT_MS = 30_000;
export const EXECUTION_TIMEOUT_ERROR = {
  message: 'Execution timed out.',
  errorType: 'ExecutionTimeout',
  data: null,
  errorInfo: null,
};

export function newInvocationState(options: { authType?: string; timeoutMs?: number } = {}): InvocationState {
  return {
    errors: [],
    logs: [],
    invalidations: [],
    authType: options.authType ?? 'User Pool Authorization',
    deadline: Date.now() + (options.timeoutMs ?? APPSYNC_EXECUTION_TIMEOUT_MS),
  };
}

/** Adds what one handler call appended, logged and set to the resolution's state. */
export function recordCall(state: InvocationState, outcome: CallOutcome): void {
  state.errors.push(...outcome.errors);
  state.logs.push(...outcome.logs);
  state.invalidations.push(...outcome.invalidations);
  if (outcome.subscriptionFilter !== undefined) state.subscriptionFilter = outcome.subscriptionFilter;
  if (outcome.invalidationFilter !== undefined) state.invalidationFilter = outcome.invalidationFilter;
}

/** The field error a failed call ends the resolution with (AppSync's shape). */
export function fieldErrorOf(outcome: CallOutcome): {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
} {
  if (outcome.kind === 'error') return outcome.error!;
  if (outcome.kind === 'timeout') return EXECUTION_TIMEOUT_ERROR;
  // An exception in resolver code (a TypeError…): AppSync reports it as a code error.
  return { message: outcome.message ?? 'The code failed', errorType: 'Code', data: null, errorInfo: null };
}
