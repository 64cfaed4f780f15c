import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { MutationCreateCategoryArgs } from '../../generated/graphql';
import {
  categoryAttributeOf,
  MAX_CATEGORIES,
  MAX_CATEGORY_ENTRIES,
  nameClaimAttributeOf,
  nameHolderOf,
  toCustomCategory,
  type CategoriesItem,
  type CategoryEntry,
  type CustomCategoryObject,
} from '../../model/categories';
import {
  categoriesUpdate,
  checkedColour,
  writtenCategories,
  writtenEntry,
  type CategoriesStash,
} from '../lib/categories';
import { given } from '../lib/errors';

type AddCategoryContext = Context<
  MutationCreateCategoryArgs,
  CategoriesStash & { categoryId: string },
  undefined,
  undefined,
  CategoriesItem
>;

/**
 * The new category and its name claim in one update, on the state read in step 1: the name is
 * free and the limits not reached, and the condition holds them to it (a concurrent create of the
 * same name, or past a limit, fails the write: Conflict, and a retry answers precisely).
 */
export function request(ctx: AddCategoryContext): DynamoDBUpdateItemRequest {
  const input = ctx.args.input;
  const item = ctx.stash.categories;
  const name = input.name.trim();
  const holder = nameHolderOf(item, name);
  if (holder)
    util.error('You already have a category of this name', 'Conflict', null, { field: 'name', categoryId: holder });
  const live = (item && item.live) || 0;
  const total = (item && item.total) || 0;
  if (live >= MAX_CATEGORIES)
    util.error(`At most ${MAX_CATEGORIES} categories: merge or delete one first`, 'LimitExceeded', null, {
      limit: MAX_CATEGORIES,
    });
  if (total >= MAX_CATEGORY_ENTRIES)
    util.error(
      `At most ${MAX_CATEGORY_ENTRIES} categories can be created, merged and deleted ones included`,
      'LimitExceeded',
      null,
      { limit: MAX_CATEGORY_ENTRIES },
    );
  const now = util.time.nowISO8601();
  const id = util.autoUlid();
  ctx.stash.categoryId = id;
  const entry: CategoryEntry = {
    id,
    name,
    colour: checkedColour('colour', input.colour),
    icon: given(input.icon) ? input.icon.trim() : null,
    parent: input.parent,
    status: 'ACTIVE',
    mergedInto: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return categoriesUpdate(ctx, {
    sets: [
      '#entry = :entry',
      '#claim = :id',
      '#live = if_not_exists(#live, :zero) + :one',
      '#total = if_not_exists(#total, :zero) + :one',
    ],
    condition:
      'attribute_not_exists(#entry) AND attribute_not_exists(#claim) AND ' +
      '(attribute_not_exists(#live) OR #live < :maxLive) AND (attribute_not_exists(#total) OR #total < :maxTotal)',
    names: {
      '#entry': categoryAttributeOf(id),
      '#claim': nameClaimAttributeOf(name),
      '#live': 'live',
      '#total': 'total',
    },
    values: {
      ':entry': entry,
      ':id': id,
      ':zero': 0,
      ':one': 1,
      ':maxLive': MAX_CATEGORIES,
      ':maxTotal': MAX_CATEGORY_ENTRIES,
    },
  });
}

export function response(ctx: AddCategoryContext): CustomCategoryObject {
  return toCustomCategory(writtenEntry(writtenCategories(ctx), ctx.stash.categoryId));
}
