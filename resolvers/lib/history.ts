import { runtime, util, type Context } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import { changeRecord, type ChangeRecord, type HistoryAction, type HistoryItemType } from '../../model/history';
import { callerId, failOnDataSourceError } from './errors';

/**
 * History through the API (model/history.ts): the write step builds the change with
 * `apiChange`, stores it on the item itself (`lastChange`, the same single-item write) and in
 * `ctx.stash.change`; then two History steps put the item's previous `lastChange` (in case its
 * own put was lost to a crash) and this change, each under a key that is the change itself, so
 * a retried request or step never makes a second entry.
 */

/** A change the caller makes through the API, not stashed: for a second item a mutation changes (an expense's receipt). */
export function callerChange(
  ctx: Context<any, any>,
  itemType: HistoryItemType,
  itemId: string,
  action: HistoryAction,
  before: any,
  after: any,
): ChangeRecord {
  const item = after || before;
  return changeRecord({
    itemType,
    itemId,
    // Items from before createdAt was kept share one life.
    incarnation: item.createdAt || '',
    version: action === 'DELETED' ? (before.version || 0) + 1 : after.version,
    action,
    at: util.time.nowISO8601(),
    atEpochSeconds: util.time.nowEpochSeconds(),
    by: callerId(ctx),
    path: 'API',
    before,
    after,
  });
}

/** callerChange, also left in the stash (`change`) for the History steps. */
export function apiChange(...change: Parameters<typeof callerChange>): ChangeRecord {
  const record = callerChange(...change);
  change[0].stash.change = record;
  return record;
}

/** Request of a History step: puts `record` for the caller, or skips (the field's result unchanged) when there is none. */
export function putChange(ctx: Context, record: ChangeRecord | null | undefined) {
  if (!record || !record.entry_key) runtime.earlyReturn(ctx.prev.result);
  const { entry_key, ...entry } = record as ChangeRecord;
  return put<Record<string, unknown>>({ key: { user_id: callerId(ctx), entry_key }, item: entry });
}

/** Response of a History step: the field's result stays what the write step made. */
export function changePut(ctx: Context) {
  failOnDataSourceError(ctx);
  return ctx.prev.result;
}
