import type { Context } from '@aws-appsync/utils';
import type { MutationUpdateCategoryArgs } from '../../generated/graphql';
import type { CustomCategoryObject } from '../../model/categories';
import { checkCategoryName, checkedColour, checkIcon, type CategoriesStash } from '../lib/categories';
import { given } from '../lib/errors';

type UpdateCategoryContext = Context<MutationUpdateCategoryArgs, CategoriesStash, { result: CustomCategoryObject }>;

/**
 * updateCategory: validate → read the caller's categories (NotFound, then an empty change refused)
 * → one conditional update of the entry
 * (and, on a rename, of the name claims). Expenses refer to it by id: nothing else is written.
 */
export function request(ctx: UpdateCategoryContext): Record<string, never> {
  const input = ctx.args.input;
  if (given(input.name)) checkCategoryName('name', input.name);
  if (given(input.colour)) checkedColour('colour', input.colour);
  if (given(input.icon) && input.icon !== '') checkIcon('icon', input.icon);
  return {};
}

export function response(ctx: UpdateCategoryContext): CustomCategoryObject {
  return ctx.prev.result;
}
