import type { Context } from '@aws-appsync/utils';
import type { MutationMergeCategoryArgs } from '../../generated/graphql';
import type { CustomCategoryObject } from '../../model/categories';
import type { CategoriesStash } from '../lib/categories';
import { invalid } from '../lib/errors';

type MergeCategoryContext = Context<MutationMergeCategoryArgs, CategoriesStash, { result: CustomCategoryObject }>;

/**
 * mergeCategory: read the caller's categories → one conditional update that turns `from` into a
 * tombstone pointing at `into` and frees its name. No expense is rewritten (model/categories.ts):
 * theirs follow the tombstone on read, so the merge costs one write whatever their number.
 */
export function request(ctx: MergeCategoryContext): Record<string, never> {
  if (ctx.args.from === ctx.args.into) invalid('into', 'A category cannot be merged into itself');
  return {};
}

export function response(ctx: MergeCategoryContext): CustomCategoryObject {
  return ctx.prev.result;
}
