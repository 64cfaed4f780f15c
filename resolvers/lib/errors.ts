import { util, type Context } from '@aws-appsync/utils';

/** A validation failure naming the input field, as the API documents (ValidationError + errorInfo.field). */
export function invalid(field: string, message: string): never {
  return util.error(message, 'ValidationError', null, { field });
}

export function notFound(what: string, id: string): never {
  return util.error(`${what} not found`, 'NotFound', null, { id });
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
