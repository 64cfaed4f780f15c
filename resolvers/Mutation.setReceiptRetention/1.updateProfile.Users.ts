import { util, type Context } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';
import type { MutationSetReceiptRetentionArgs } from '../../generated/graphql';
import { callerId, failOnDataSourceError, isConditionFailure, notFound } from '../lib/errors';

// New receipts take the new retention from here on (ReceiptFn reads it at upload).
export function request(ctx: Context<MutationSetReceiptRetentionArgs>) {
  return update({
    key: { user_id: callerId(ctx) },
    update: { receiptRetentionDays: ctx.args.days, updatedAt: util.time.nowISO8601() },
    condition: { user_id: { attributeExists: true } },
  });
}

export function response(ctx: Context<MutationSetReceiptRetentionArgs>) {
  if (isConditionFailure(ctx)) notFound('Profile', callerId(ctx));
  failOnDataSourceError(ctx);
  return ctx.result;
}
