import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { MutationMergeCategoryArgs } from '../../generated/graphql';
import {
  categoryAttributeOf,
  liveCategoryOf,
  nameClaimAttributeOf,
  toCustomCategory,
  type CategoriesItem,
  type CustomCategoryObject,
} from '../../model/categories';
import { categoriesUpdate, entryNames, writtenCategories, writtenEntry, type CategoriesStash } from '../lib/categories';
import { notFound } from '../lib/errors';

type MergeCategoryContext = Context<MutationMergeCategoryArgs, CategoriesStash, undefined, undefined, CategoriesItem>;

// `from` becomes MERGED into `into`, both live as read in step 1 (the condition holds the write to that).
export function request(ctx: MergeCategoryContext): DynamoDBUpdateItemRequest {
  const item = ctx.stash.categories;
  const from = liveCategoryOf(item, ctx.args.from);
  if (!from) notFound('Category', ctx.args.from);
  if (!liveCategoryOf(item, ctx.args.into)) notFound('Category', ctx.args.into);
  const names = entryNames(from.id);
  names['#into'] = categoryAttributeOf(ctx.args.into);
  names['#mergedInto'] = 'mergedInto';
  names['#claim'] = nameClaimAttributeOf(from.name);
  names['#live'] = 'live';
  return categoriesUpdate(ctx, {
    sets: [
      '#entry.#status = :merged',
      '#entry.#mergedInto = :into',
      '#entry.#version = #entry.#version + :one',
      '#entry.#updatedAt = :now',
      '#live = #live - :one',
    ],
    removes: ['#claim'],
    condition: '#entry.#status = :active AND #entry.#version = :version AND #into.#status = :active',
    names,
    values: {
      ':merged': 'MERGED',
      ':into': ctx.args.into,
      ':one': 1,
      ':now': util.time.nowISO8601(),
      ':active': 'ACTIVE',
      ':version': from.version,
    },
  });
}

export function response(ctx: MergeCategoryContext): CustomCategoryObject {
  return toCustomCategory(writtenEntry(writtenCategories(ctx), ctx.args.into));
}
