import { util, type AppSyncIdentityCognito, type Context } from '@aws-appsync/utils';
import { isItemId } from '../../model/item-ids';

/** A validation failure naming the input field and its limits, as the API documents (ValidationError + errorInfo.field). */
export function invalid(field: string, message: string, limits?: Record<string, unknown>): never {
  return util.error(message, 'ValidationError', null, { field, ...limits });
}

/** An input field that was given a value: neither omitted nor null. */
export function given<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

export function notFound(what: string, id: string): never {
  return util.error(`${what} not found`, 'NotFound', null, { id });
}

/** The id as a key, or NotFound before any read: an id no item can have names nothing (model/item-ids.ts). */
export function itemIdOrNotFound(what: string, id: string): string {
  if (!isItemId(id)) notFound(what, id);
  return id;
}

/**
 * Optimistic concurrency lost: the item is no longer at the version the caller read.
 * `currentVersion` is null when it changed or went between our read and our write.
 */
export function conflict(what: string, currentVersion: number | null): never {
  return util.error(`The ${what} changed since you read it; read it again and retry`, 'Conflict', null, {
    currentVersion,
  });
}

/** What a response handler knows of its data source's outcome. */
type Outcome = Pick<Context<unknown>, 'error'>;

/**
 * A `nextToken` the data source cannot use (garbage, altered, another caller's or another
 * query's): AppSync answers it with this error type (as reported in
 * https://github.com/aws-amplify/amplify-cli/issues/3411); the client gets a ValidationError.
 */
export function failOnBadPageToken(ctx: Outcome & Pick<Context<{ nextToken?: string | null }>, 'args'>): void {
  if (ctx.error && ctx.error.type === 'DynamoDB:UserIllegalArgumentException' && given(ctx.args.nextToken)) {
    invalid('nextToken', 'nextToken is not one this list gave you; list again without it');
  }
}

export function isConditionFailure(ctx: Outcome): boolean {
  return !!ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException';
}

/** Any other data source error: logged for the operator, never shown to the client. */
export function failOnDataSourceError(ctx: Outcome): void {
  if (ctx.error) {
    console.error('data source error', ctx.error.type, ctx.error.message);
    util.error('The request could not be completed', 'InternalError');
  }
}

/** The caller's user id: every key condition starts with it, never with an argument. */
export function callerId(ctx: Pick<Context<unknown>, 'identity'>): string {
  return (ctx.identity as AppSyncIdentityCognito).sub;
}

/** The caller's user id when the caller is a user; none for the functions calling the IAM-only publish mutations. */
export function callerSub(ctx: Pick<Context<unknown>, 'identity'>): string | null | undefined {
  return ctx.identity && (ctx.identity as AppSyncIdentityCognito).sub;
}
