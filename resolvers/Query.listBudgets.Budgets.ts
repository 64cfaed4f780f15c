import type { Context, DynamoDBQueryRequest } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import type { Query, QueryListBudgetsArgs } from '../generated/graphql';
import type { Answer } from '../model/answers';
import type { BudgetItem } from '../model/budgets';
import { callerId, failOnBadPageToken, failOnDataSourceError } from './lib/errors';
import { toBudget, type QueryPage } from './lib/items';
import { pageLimit } from './lib/validation';

type ListBudgetsContext = Context<
  QueryListBudgetsArgs,
  Record<string, never>,
  undefined,
  undefined,
  QueryPage<BudgetItem>
>;

// Ordered by id (category, then period), one Query per page.
export function request(ctx: ListBudgetsContext): DynamoDBQueryRequest {
  return query<BudgetItem>({
    query: { user_id: { eq: callerId(ctx) } },
    limit: pageLimit(ctx.args.limit),
    nextToken: ctx.args.nextToken,
  });
}

export function response(ctx: ListBudgetsContext): Answer<Query['listBudgets']> {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  return { items: ctx.result.items.map(toBudget), nextToken: ctx.result.nextToken || null };
}
