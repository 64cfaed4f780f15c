import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnBadPageToken, failOnDataSourceError, invalid } from './lib/errors';
import { categoryDateOf, toExpense } from './lib/items';
import { checkCalendarDate, pageLimit } from './lib/validation';

// Past any real day in sort order ('9' > any digit of a date), so "to" bounds stay inclusive.
const LAST_DAY = '9999-99-99';
const FIRST_DAY = '0000-00-00';

/** One Query per page, newest first: the category index when a category is given, else the date index. */
export function request(ctx: Context) {
  const { from, to, category, nextToken } = ctx.args;
  if (from) checkCalendarDate('from', from);
  if (to) checkCalendarDate('to', to);
  if (from && to && from > to) invalid('from', 'from must be on or before to');
  const limit = pageLimit(ctx.args.limit);
  const user = { eq: callerId(ctx) };
  if (category) {
    return query({
      index: 'user-category-index',
      query: { user_id: user, category_date: { between: [categoryDateOf(category, from || FIRST_DAY), categoryDateOf(category, to || LAST_DAY)] } },
      scanIndexForward: false,
      limit,
      nextToken,
    });
  }
  const date = from && to ? { between: [from, to] } : from ? { ge: from } : to ? { le: to } : null;
  return query({ index: 'user-date-index', query: date ? { user_id: user, date } : { user_id: user }, scanIndexForward: false, limit, nextToken });
}

export function response(ctx: Context) {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  return { items: ctx.result.items.map(toExpense), nextToken: ctx.result.nextToken || null };
}
