import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { MutationUpdateCategoryArgs } from '../../generated/graphql';
import {
  categoryNameKeyOf,
  liveCategoryOf,
  nameClaimAttributeOf,
  nameHolderOf,
  toCustomCategory,
  type CategoriesItem,
  type CustomCategoryObject,
} from '../../model/categories';
import {
  categoriesUpdate,
  checkedColour,
  entryNames,
  writtenCategories,
  writtenEntry,
  type CategoriesStash,
} from '../lib/categories';
import { given, invalid, notFound } from '../lib/errors';

type UpdateCategoryContext = Context<MutationUpdateCategoryArgs, CategoriesStash, undefined, undefined, CategoriesItem>;

/**
 * The changed fields of a live category, on the version read in step 1 (the condition holds the
 * write to it). A rename to a name of another category is a Conflict; a rename frees the old name
 * and claims the new one in the same write.
 */
export function request(ctx: UpdateCategoryContext): DynamoDBUpdateItemRequest {
  const id = ctx.args.id;
  const input = ctx.args.input;
  const item = ctx.stash.categories;
  const current = liveCategoryOf(item, id);
  if (!current) notFound('Category', id);
  // After NotFound: an id that is not the caller's answers the same whatever the changes.
  if (!given(input.name) && !given(input.colour) && input.icon === undefined && !given(input.parent))
    invalid('input', 'Nothing to update: give at least one field');
  const names = entryNames(id);
  const values: Record<string, unknown> = { ':one': 1, ':now': util.time.nowISO8601(), ':version': current.version };
  const sets = ['#entry.#version = #entry.#version + :one', '#entry.#updatedAt = :now'];
  const removes: string[] = [];
  let condition = '#entry.#status = :active AND #entry.#version = :version';
  values[':active'] = 'ACTIVE';
  if (given(input.name)) {
    const name = input.name.trim();
    names['#name'] = 'name';
    values[':name'] = name;
    sets.push('#entry.#name = :name');
    if (categoryNameKeyOf(name) !== categoryNameKeyOf(current.name)) {
      const holder = nameHolderOf(item, name);
      if (holder)
        util.error('You already have a category of this name', 'Conflict', null, { field: 'name', categoryId: holder });
      names['#oldClaim'] = nameClaimAttributeOf(current.name);
      names['#newClaim'] = nameClaimAttributeOf(name);
      values[':id'] = id;
      sets.push('#newClaim = :id');
      removes.push('#oldClaim');
      condition = `${condition} AND attribute_not_exists(#newClaim)`;
    }
  }
  if (given(input.colour)) {
    names['#colour'] = 'colour';
    values[':colour'] = checkedColour('colour', input.colour);
    sets.push('#entry.#colour = :colour');
  }
  if (input.icon !== undefined) {
    names['#icon'] = 'icon';
    values[':icon'] = input.icon ? input.icon.trim() : null;
    sets.push('#entry.#icon = :icon');
  }
  if (given(input.parent)) {
    names['#parent'] = 'parent';
    values[':parent'] = input.parent;
    sets.push('#entry.#parent = :parent');
  }
  return categoriesUpdate(ctx, { sets, removes, condition, names, values });
}

export function response(ctx: UpdateCategoryContext): CustomCategoryObject {
  return toCustomCategory(writtenEntry(writtenCategories(ctx), ctx.args.id));
}
