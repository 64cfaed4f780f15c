import { extensions, util, type Context, type NONERequest } from '@aws-appsync/utils';
import { callerId } from './errors';

/**
 * A subscription that delivers only the caller's own events: filtered on the server by the
 * subscriber's `sub` against the event's `owner`, never by an argument a client could forge.
 */
export function request(): NONERequest {
  return { payload: null };
}

export function response(ctx: Pick<Context<unknown>, 'identity'>): null {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ owner: { eq: callerId(ctx) } }));
  return null;
}
