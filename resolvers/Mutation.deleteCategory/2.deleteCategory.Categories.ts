import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { MutationDeleteCategoryArgs } from '../../generated/graphql';
import {
  liveCategoryOf,
  nameClaimAttributeOf,
  toCustomCategory,
  type CategoriesItem,
  type CategoryEntry,
  type CustomCategoryObject,
} from '../../model/categories';
import { categoriesUpdate, entryNames, writtenCategories, type CategoriesStash } from '../lib/categories';
import { notFound } from '../lib/errors';

type DeleteCategoryContext = Context<MutationDeleteCategoryArgs, CategoriesStash, undefined, undefined, CategoriesItem>;

/**
 * The category becomes a DELETED tombstone and its name is freed, in one write; no expense is
 * rewritten (model/categories.ts): theirs keep their `category` (the parent) and their
 * `customCategory` reads null. The tombstone also ends the merges that led into it.
 */
export function request(ctx: DeleteCategoryContext): DynamoDBUpdateItemRequest {
  const current = liveCategoryOf(ctx.stash.categories, ctx.args.id);
  if (!current) notFound('Category', ctx.args.id);
  const names = entryNames(current.id);
  names['#claim'] = nameClaimAttributeOf(current.name);
  names['#live'] = 'live';
  return categoriesUpdate(ctx, {
    sets: [
      '#entry.#status = :deleted',
      '#entry.#version = #entry.#version + :one',
      '#entry.#updatedAt = :now',
      '#live = #live - :one',
    ],
    removes: ['#claim'],
    condition: '#entry.#status = :active AND #entry.#version = :version',
    names,
    values: {
      ':deleted': 'DELETED',
      ':one': 1,
      ':now': util.time.nowISO8601(),
      ':active': 'ACTIVE',
      ':version': current.version,
    },
  });
}

// The category as it was (step 1 read it live: the write's condition held it to that).
export function response(ctx: DeleteCategoryContext): CustomCategoryObject {
  writtenCategories(ctx);
  return toCustomCategory(liveCategoryOf(ctx.stash.categories, ctx.args.id) as CategoryEntry);
}
