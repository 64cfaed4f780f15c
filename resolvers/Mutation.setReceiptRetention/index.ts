import type { Context } from '@aws-appsync/utils';
import type { MutationSetReceiptRetentionArgs } from '../../generated/graphql';
import { RECEIPT_RETENTION_MAX_DAYS, RECEIPT_RETENTION_MIN_DAYS } from '../../model/data-lifecycle';
import { invalid } from '../lib/errors';

/** setReceiptRetention: validate → the profile's retention → a job applies it to the receipts stored (AccountFn). */
export function request(ctx: Context<MutationSetReceiptRetentionArgs>) {
  const days = ctx.args.days;
  if (days < RECEIPT_RETENTION_MIN_DAYS || days > RECEIPT_RETENTION_MAX_DAYS)
    invalid('days', `days must be between ${RECEIPT_RETENTION_MIN_DAYS} and ${RECEIPT_RETENTION_MAX_DAYS}`, {
      min: RECEIPT_RETENTION_MIN_DAYS,
      max: RECEIPT_RETENTION_MAX_DAYS,
    });
  return {};
}

export function response(ctx: Context<MutationSetReceiptRetentionArgs>) {
  return ctx.prev.result;
}
