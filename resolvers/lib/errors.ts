import { util, type Context } from '@aws-appsync/utils';

/** A validation failure naming the input field and its limits, as the API documents (ValidationError + errorInfo.field). */
export function invalid(field: string, message: string, limits?: Record<string, unknown>): never {
  return util.error(message, 'ValidationError', null, { field, ...limits });
}

/** An input field that was given a value: neither omitted nor null. */
export function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function notFound(what: string, id: string): never {
  return util.error(`${what} not found`, 'NotFound', null, { id });
}

/**
 * Optimistic concurrency lost: the item is no longer at the version the caller read.
 * `currentVersion` is null when it changed or went between our read and our write.
 */
export function conflict(what: string, currentVersion: number | null): never {
  return util.error(`The ${what} changed since you read it; read it again and retry`, 'Conflict', null, { currentVersion });
}

/**
 * A `nextToken` the data source cannot use (garbage, altered, another caller's or another
 * query's): AppSync answers it with this error type (as reported in
 * https://github.com/aws-amplify/amplify-cli/issues/3411); the client gets a ValidationError.
 */
export function failOnBadPageToken(ctx: Context): void {
  if (ctx.error && ctx.error.type === 'DynamoDB:UserIllegalArgumentException' && given(ctx.args.nextToken)) {
    invalid('nextToken', 'nextToken is not one this list gave you; list again without it');
  }
}

export function isConditionFailure(ctx: Context): boolean {
  return !!ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException';
}

/** Any other data source error: logged for the operator, never shown to the client. */
export function failOnDataSourceError(ctx: Context): void {
  if (ctx.error) {
    console.error('data source error', ctx.error.type, ctx.error.message);
    util.error('The request could not be completed', 'InternalError');
  }
}

/** The caller's user id: every key condition starts with it, never with an argument. */
export function callerId(ctx: Context): string {
  return (ctx.identity as { sub: string }).sub;
}
