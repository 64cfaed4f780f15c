import { getNamedType, type SelectionSetNode } from 'graphql';
import type { ExecutionOutcome } from '../server/graphql.ts';
import type { ApiSchema } from '../server/schema.ts';
import { send, type Subscription } from './connection.ts';
import { matchesFilter } from './filters.ts';
import { sendTextParts } from './frames.ts';
import { project } from './projection.ts';

const DATA_SUFFIX = Buffer.from('}}');

/** Argument filters: every argument the subscriber gave (not null) equals the same-named result field. */
function argumentsMatch(args: Record<string, unknown>, payload: Record<string, unknown>): boolean {
  for (const name of Object.keys(args)) {
    const value = args[name];
    if (value !== null && value !== undefined && payload[name] !== value) return false;
  }
  return true;
}

/**
 * The live subscriptions by field, and the fan-out of a published mutation result to them:
 * argument filters (every argument the subscriber gave equals the same-named result field),
 * enhanced filters, the subscriber's selection; and the invalidations a mutation asked for.
 */
export function createSubscriptionRegistry(
  api: ApiSchema,
  /** Looked at before each delivery: true when the subscription was ended instead (its token expired). */
  endedAtDelivery: (subscription: Subscription, now: number) => boolean = () => false,
) {
  const byField = new Map<string, Set<Subscription>>();

  function remove(subscription: Subscription): void {
    subscription.unwatch?.();
    if (subscription.connection.subscriptions.get(subscription.id) === subscription)
      subscription.connection.subscriptions.delete(subscription.id);
    byField.get(subscription.field)?.delete(subscription);
  }

  function add(subscription: Subscription): void {
    const previous = subscription.connection.subscriptions.get(subscription.id);
    if (previous) remove(previous);
    subscription.connection.subscriptions.set(subscription.id, subscription);
    if (!byField.has(subscription.field)) byField.set(subscription.field, new Set());
    byField.get(subscription.field)!.add(subscription);
  }

  function deliver(mutationField: string, payload: unknown): void {
    const subscriptionType = api.schema.getSubscriptionType();
    if (!subscriptionType) return;
    for (const field of api.subscriptionsOf(mutationField)) {
      const returnType = getNamedType(subscriptionType.getFields()[field].type);
      // Subscribers with the same operation text share one parsed selection: serialize it once.
      const serialized = new Map<SelectionSetNode | undefined, Map<string, Buffer>>();
      const now = Date.now();
      for (const subscription of [...(byField.get(field) ?? [])]) {
        if (endedAtDelivery(subscription, now)) continue;
        if (!argumentsMatch(subscription.args, payload as Record<string, unknown>)) continue;
        if (subscription.filter && !matchesFilter(subscription.filter, payload)) continue;
        let byKey = serialized.get(subscription.selectionSet);
        if (!byKey) serialized.set(subscription.selectionSet, (byKey = new Map()));
        let data = byKey.get(subscription.responseKey);
        if (data === undefined) {
          data = Buffer.from(
            JSON.stringify({
              [subscription.responseKey]: project(
                payload,
                subscription.selectionSet,
                returnType,
                subscription.fragments,
              ),
            }),
          );
          byKey.set(subscription.responseKey, data);
        }
        // `{"id":…,"type":"data","payload":{"data":<data>}}`, the event's JSON copied in, not re-encoded.
        subscription.dataPrefix ??= Buffer.from(
          `{"id":${JSON.stringify(subscription.id)},"type":"data","payload":{"data":`,
        );
        sendTextParts(subscription.connection.socket, [subscription.dataPrefix, data, DATA_SUFFIX]);
      }
    }
  }

  return {
    add,
    remove,

    /** Fan successful mutation results out to matching subscriptions, and end the ones they invalidate. */
    publish(published: ExecutionOutcome['published']): void {
      for (const { mutationField, payload, invalidations } of published) {
        deliver(mutationField, payload);
        for (const { subscriptionField, payload: invalidation } of invalidations) {
          for (const subscription of [...(byField.get(subscriptionField) ?? [])]) {
            if (subscription.invalidationFilter && matchesFilter(subscription.invalidationFilter, invalidation)) {
              remove(subscription);
              send(subscription.connection, { type: 'complete', id: subscription.id });
            }
          }
        }
      }
    },

    count: () => [...byField.values()].reduce((n, s) => n + s.size, 0),
  };
}
