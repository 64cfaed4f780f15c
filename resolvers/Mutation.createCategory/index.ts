import type { Context } from '@aws-appsync/utils';
import type { MutationCreateCategoryArgs } from '../../generated/graphql';
import type { CustomCategoryObject } from '../../model/categories';
import { checkCategoryName, checkedColour, checkIcon, type CategoriesStash } from '../lib/categories';
import { given } from '../lib/errors';

type CreateCategoryContext = Context<MutationCreateCategoryArgs, CategoriesStash, { result: CustomCategoryObject }>;

/**
 * createCategory: validate → read the caller's categories (model/categories.ts) → one conditional
 * update adding the category and claiming its name (Conflict when taken, LimitExceeded past the limits).
 */
export function request(ctx: CreateCategoryContext): Record<string, never> {
  const input = ctx.args.input;
  checkCategoryName('name', input.name);
  checkedColour('colour', input.colour);
  if (given(input.icon)) checkIcon('icon', input.icon);
  return {};
}

export function response(ctx: CreateCategoryContext): CustomCategoryObject {
  return ctx.prev.result;
}
