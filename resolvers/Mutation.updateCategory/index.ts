import type { Context } from '@aws-appsync/utils';
import type { MutationUpdateCategoryArgs } from '../../generated/graphql';
import type { CustomCategoryObject } from '../../model/categories';
import { checkCategoryName, checkedColour, checkIcon, type CategoriesStash } from '../lib/categories';
import { given, invalid } from '../lib/errors';

type UpdateCategoryContext = Context<MutationUpdateCategoryArgs, CategoriesStash, { result: CustomCategoryObject }>;

/**
 * updateCategory: validate → read the caller's categories → one conditional update of the entry
 * (and, on a rename, of the name claims). Expenses refer to it by id: nothing else is written.
 */
export function request(ctx: UpdateCategoryContext): Record<string, never> {
  const input = ctx.args.input;
  if (given(input.name)) checkCategoryName('name', input.name);
  if (given(input.colour)) checkedColour('colour', input.colour);
  if (given(input.icon) && input.icon !== '') checkIcon('icon', input.icon);
  if (!given(input.name) && !given(input.colour) && input.icon === undefined && !given(input.parent))
    invalid('input', 'Nothing to update: give at least one field');
  return {};
}

export function response(ctx: UpdateCategoryContext): CustomCategoryObject {
  return ctx.prev.result;
}
