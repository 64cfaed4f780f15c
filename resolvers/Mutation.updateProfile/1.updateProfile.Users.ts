import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { operations, update, type DynamoDBUpdateObject } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateProfileArgs } from '../../generated/graphql';
import { REPORT_WANTED, type UserItem, type UserObject } from '../../model/users';
import { callerId, failOnDataSourceError, given, invalid, isConditionFailure, notFound } from '../lib/errors';
import { toUser } from '../lib/items';
import { checkCurrency, checkText, checkTimezone } from '../lib/validation';

type UpdateProfileContext = Context<MutationUpdateProfileArgs, Record<string, never>, undefined, undefined, UserItem>;

// A field given as null stays as it is, like an omitted one.
export function request(ctx: UpdateProfileContext): DynamoDBUpdateItemRequest {
  const input = ctx.args.input;
  const changes: DynamoDBUpdateObject<UserItem> = {};
  if (given(input.name)) {
    checkText('name', input.name, 1, 100);
    changes.name = input.name.trim();
  }
  if (given(input.homeCurrency)) {
    checkCurrency('homeCurrency', input.homeCurrency);
    changes.homeCurrency = input.homeCurrency;
  }
  if (given(input.timezone)) {
    checkTimezone('timezone', input.timezone);
    changes.timezone = input.timezone;
  }
  if (given(input.dateOrder)) changes.dateOrder = input.dateOrder;
  if (given(input.reportSchedule)) {
    // replace: a plain object would update its keys under reportSchedule, which fails on a profile without one.
    changes.reportSchedule = operations.replace({
      weekly: input.reportSchedule.weekly,
      monthly: input.reportSchedule.monthly,
    });
    // Keys of the sparse report indexes: present only while the user wants that email.
    changes.weeklyReport = input.reportSchedule.weekly ? REPORT_WANTED : operations.remove();
    changes.monthlyReport = input.reportSchedule.monthly ? REPORT_WANTED : operations.remove();
  }
  if (Object.keys(changes).length === 0) invalid('input', 'Nothing to update: give at least one field');
  changes.updatedAt = util.time.nowISO8601();
  return update<UserItem>({
    key: { user_id: callerId(ctx) },
    update: changes,
    condition: { user_id: { attributeExists: true } },
  });
}

export function response(ctx: UpdateProfileContext): UserObject {
  if (isConditionFailure(ctx)) notFound('Profile', callerId(ctx));
  failOnDataSourceError(ctx);
  return toUser(ctx.result);
}
