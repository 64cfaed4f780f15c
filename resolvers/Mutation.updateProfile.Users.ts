import { util, type Context } from '@aws-appsync/utils';
import { operations, update } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, given, invalid, isConditionFailure, notFound } from './lib/errors';
import { toUser } from './lib/items';
import { checkCurrency, checkText, checkTimezone } from './lib/validation';

// A field given as null stays as it is, like an omitted one.
export function request(ctx: Context) {
  const input = ctx.args.input;
  const changes: Record<string, unknown> = {};
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
    changes.reportSchedule = { weekly: input.reportSchedule.weekly, monthly: input.reportSchedule.monthly };
    // Keys of the sparse report indexes: present only while the user wants that email.
    changes.weeklyReport = input.reportSchedule.weekly ? 'Y' : operations.remove();
    changes.monthlyReport = input.reportSchedule.monthly ? 'Y' : operations.remove();
  }
  if (Object.keys(changes).length === 0) invalid('input', 'Nothing to update: give at least one field');
  changes.updatedAt = util.time.nowISO8601();
  return update({ key: { user_id: callerId(ctx) }, update: changes, condition: { user_id: { attributeExists: true } } });
}

export function response(ctx: Context) {
  if (isConditionFailure(ctx)) notFound('Profile', callerId(ctx));
  failOnDataSourceError(ctx);
  return toUser(ctx.result);
}
