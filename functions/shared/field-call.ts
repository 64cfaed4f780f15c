/**
 * Lambda data sources: the payload resolvers send (resolvers/lib/lambda.ts) and the answer
 * they expect. Business errors are values, so AppSync turns them into typed errors.
 */
export interface FieldCall<Args = Record<string, unknown>> {
  typeName: string;
  fieldName: string;
  arguments: Args;
  /** The caller's Cognito sub; every read and write is keyed on it. */
  sub?: string | null;
  source?: Record<string, unknown> | null;
  requestId?: string | null;
}

export type ErrorType =
  | 'ValidationError'
  | 'NotFound'
  | 'Unauthorized'
  | 'Conflict'
  | 'DuplicateReceipt'
  | 'LimitExceeded'
  | 'OcrFailed'
  | 'InternalError';

export type FieldResult<T> = { data: T } | { error: { errorType: ErrorType; message: string; errorInfo?: Record<string, unknown> } };

/** Thrown by cores for an error the caller can act on; mapped to a typed AppSync error. */
export class FieldError extends Error {
  constructor(
    readonly errorType: ErrorType,
    message: string,
    readonly errorInfo: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/**
 * Run a field's implementation and shape its outcome for the resolver: FieldErrors become
 * typed errors; anything else is logged and becomes an InternalError with no internals.
 */
export async function answerFieldCall<T>(
  run: () => Promise<T>,
  logError: (message: string, error: unknown) => void,
): Promise<FieldResult<T>> {
  try {
    return { data: await run() };
  } catch (error) {
    if (error instanceof FieldError) {
      return { error: { errorType: error.errorType, message: error.message, errorInfo: error.errorInfo } };
    }
    logError('field call failed', error);
    return { error: { errorType: 'InternalError', message: 'The request could not be completed' } };
  }
}
