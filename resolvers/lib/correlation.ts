import { util, type Context } from '@aws-appsync/utils';

/** Where a field's resolution keeps the correlation id it made, for the later steps of its pipeline. */
export type CorrelationStash = { correlationId?: string };

/**
 * The id that follows one API request through the functions it reaches: AppSync's request id
 * where the request headers carry it (as the local runtime passes it), else one made for this
 * field's resolution and kept in its stash, so every step of a pipeline sends the same one.
 */
export function correlationIdOf(ctx: Pick<Context<unknown, CorrelationStash>, 'request' | 'stash'>): string {
  const headers: Record<string, string | undefined> | null = ctx.request && ctx.request.headers;
  const fromRequest = headers ? headers['x-amzn-requestid'] : null;
  if (fromRequest) return fromRequest;
  if (!ctx.stash.correlationId) ctx.stash.correlationId = util.autoId();
  return ctx.stash.correlationId;
}
