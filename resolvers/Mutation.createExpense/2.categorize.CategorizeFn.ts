import { runtime, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { MutationCreateExpenseArgs } from '../../generated/graphql';
import type { ExpenseCategoryChoice } from '../../model/expenses';
import type { FieldAnswer } from '../../model/function-calls';
import { invokeFieldFunction } from '../lib/lambda';
import type { CreateExpenseStash } from './index';

type CategorizeContext = Context<
  MutationCreateExpenseArgs,
  CreateExpenseStash,
  undefined,
  undefined,
  FieldAnswer<ExpenseCategoryChoice> | null
>;

/**
 * The expense's category into `ctx.stash.choice`: the parent of the custom category given (step
 * 0), or the one given, else CategorizeFn's: the caller's own corrections first, then the brand index (too large for a resolver), keywords,
 * Comprehend. It only reads, so the pipeline's one write (step 3) is never half done. A
 * categorizer that fails or times out leaves the expense OTHER rather than failing the write.
 */
export function request(ctx: CategorizeContext): LambdaRequest {
  const custom = ctx.stash.customCategory;
  const given = custom ? custom.parent : ctx.args.input.category;
  if (given) {
    ctx.stash.choice = { category: given, categorySource: 'USER', categoryConfidence: 1 };
    runtime.earlyReturn(null);
  }
  return invokeFieldFunction(ctx);
}

export function response(ctx: CategorizeContext): ExpenseCategoryChoice {
  const answer = ctx.result;
  if (ctx.error || !answer || !answer.data) {
    console.error('categorization failed; the expense is filed OTHER', ctx.error ? ctx.error.message : answer);
    ctx.stash.choice = { category: 'OTHER', categorySource: 'RULES', categoryConfidence: 0 };
  } else {
    ctx.stash.choice = answer.data;
  }
  return ctx.stash.choice;
}
