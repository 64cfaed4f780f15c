import { util, type Context, type DynamoDBGetItemRequest, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import {
  categoryAttributeOf,
  MAX_CATEGORY_ICON_LENGTH,
  MAX_CATEGORY_NAME_LENGTH,
  normalisedColourOf,
  type CategoriesItem,
  type CategoryEntry,
} from '../../model/categories';
import { callerId, failOnDataSourceError, invalid, isConditionFailure } from './errors';
import { checkText } from './validation';

/** What the read step stashes: the caller's Categories item (null before their first category). */
export type CategoriesStash = { categories: CategoriesItem | null };

type ReadContext = Context<
  Record<string, unknown>,
  CategoriesStash,
  Record<string, unknown> | undefined,
  undefined,
  CategoriesItem | null
>;

/**
 * A pipeline step on Categories: the caller's item, read consistently, into `ctx.stash.categories`.
 * The write after it decides on what it read, and its condition catches a change in between.
 */
export function readRequest(ctx: ReadContext): DynamoDBGetItemRequest {
  return get<CategoriesItem>({ key: { user_id: callerId(ctx) }, consistentRead: true });
}

export function readResponse(ctx: ReadContext): CategoriesItem | null {
  failOnDataSourceError(ctx);
  ctx.stash.categories = ctx.result || null;
  return ctx.stash.categories;
}

export function checkCategoryName(field: string, name: string): void {
  checkText(field, name, 1, MAX_CATEGORY_NAME_LENGTH);
}

/** `#RRGGBB`; the colour as stored (upper case). */
export function checkedColour(field: string, colour: string): string {
  const normalised = normalisedColourOf(colour);
  if (!normalised) invalid(field, `${field} must be a colour #RRGGBB, e.g. #4CAF50`);
  return normalised as string;
}

export function checkIcon(field: string, icon: string): void {
  checkText(field, icon, 1, MAX_CATEGORY_ICON_LENGTH);
}

/**
 * One UpdateItem on the caller's Categories item: `sets` and `removes` are update clauses over
 * `names`/`values` (`#…`/`:…`), `condition` what must still hold (the state the decision was made on).
 */
/** Whether `expression` uses the placeholder `key` (`#live`, not a prefix of `#lived`). */
function mentions(expression: string, key: string): boolean {
  return expression
    .split(key)
    .slice(1)
    .some((after) => {
      const next = after.charAt(0);
      return !(
        (next >= 'a' && next <= 'z') ||
        (next >= 'A' && next <= 'Z') ||
        (next >= '0' && next <= '9') ||
        next === '_'
      );
    });
}

export function categoriesUpdate(
  ctx: Pick<Context<unknown>, 'identity'>,
  parts: {
    sets: string[];
    removes?: string[];
    condition: string;
    names: Record<string, string>;
    values: Record<string, unknown>;
  },
): DynamoDBUpdateItemRequest {
  const removes = parts.removes || [];
  const update = `SET ${parts.sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
  // Each expression carries the placeholders it uses, so neither relies on how AppSync merges the two maps.
  const usedBy = <T>(expression: string, map: Record<string, T>): Record<string, T> => {
    const used: Record<string, T> = {};
    for (const key of Object.keys(map)) if (mentions(expression, key)) used[key] = map[key];
    return used;
  };
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ user_id: callerId(ctx) }),
    update: {
      expression: update,
      expressionNames: usedBy(update, parts.names),
      expressionValues: util.dynamodb.toMapValues(usedBy(update, parts.values)),
    },
    condition: {
      expression: parts.condition,
      expressionNames: usedBy(parts.condition, parts.names),
      expressionValues: util.dynamodb.toMapValues(usedBy(parts.condition, parts.values)),
    },
  };
}

/** The names a change of one category's entry uses: `#entry` and its fields. */
export function entryNames(id: string): Record<string, string> {
  return {
    '#entry': categoryAttributeOf(id),
    '#status': 'status',
    '#version': 'version',
    '#updatedAt': 'updatedAt',
  };
}

/**
 * The written item, or Conflict when it changed between the read and the write (a concurrent
 * change of the caller's categories: reading again and retrying decides on the new state).
 */
export function writtenCategories(
  ctx: Context<
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown> | undefined,
    undefined,
    CategoriesItem
  >,
): CategoriesItem {
  if (isConditionFailure(ctx))
    util.error('Your categories changed meanwhile; try again', 'Conflict', null, { currentVersion: null });
  failOnDataSourceError(ctx);
  return ctx.result;
}

/** The entry of `id` in a written item. */
export function writtenEntry(item: CategoriesItem, id: string): CategoryEntry {
  return item[categoryAttributeOf(id)] as CategoryEntry;
}
