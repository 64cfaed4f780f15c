import { describe, expect, it } from 'vitest';
import {
  categoryAttributeOf,
  liveCategoriesOf,
  nameClaimAttributeOf,
  nameHolderOf,
  normalisedColourOf,
  learnedFilingOf,
  resolvedCategoryOf,
  type CategoriesItem,
  type CategoryEntry,
  type CategoryStatus,
} from '../../../model/categories.ts';

function entry(
  id: string,
  name: string,
  status: CategoryStatus = 'ACTIVE',
  mergedInto: string | null = null,
): CategoryEntry {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id,
    name,
    colour: '#000000',
    icon: null,
    parent: 'OTHER',
    status,
    mergedInto,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

function itemOf(...entries: CategoryEntry[]): CategoriesItem {
  const item: CategoriesItem = { user_id: 'u', live: 0, total: entries.length };
  for (const e of entries) {
    item[categoryAttributeOf(e.id)] = e;
    if (e.status === 'ACTIVE') item[nameClaimAttributeOf(e.name)] = e.id;
  }
  return item;
}

describe('custom categories item', () => {
  it('given merges that chain, when an expense’s category is resolved, then it leads to the live end, or to none past a deletion', () => {
    const item = itemOf(
      entry('A', 'a', 'MERGED', 'B'),
      entry('B', 'b', 'MERGED', 'C'),
      entry('C', 'c'),
      entry('D', 'd', 'MERGED', 'E'),
      entry('E', 'e', 'DELETED'),
    );
    expect(resolvedCategoryOf(item, 'A')?.id).toBe('C');
    expect(resolvedCategoryOf(item, 'C')?.id).toBe('C');
    expect(resolvedCategoryOf(item, 'D')).toBeNull();
    expect(resolvedCategoryOf(item, 'E')).toBeNull();
    expect(resolvedCategoryOf(item, 'nope')).toBeNull();
    expect(resolvedCategoryOf(null, 'A')).toBeNull();
  });

  it('given a custom category a merchant learned, when a new expense is filed by it, then it follows merges to the live end, and a deletion leaves the parent of the deleted one', () => {
    const parented = (e: CategoryEntry, parent: CategoryEntry['parent']) => ({ ...e, parent });
    const item = itemOf(
      parented(entry('A', 'a', 'MERGED', 'B'), 'GROCERIES'),
      parented(entry('B', 'b'), 'DINING'),
      parented(entry('D', 'd', 'MERGED', 'E'), 'TRAVEL'),
      parented(entry('E', 'e', 'DELETED'), 'HEALTH'),
    );
    expect(learnedFilingOf(item, 'A')).toEqual({ category: 'DINING', customCategoryId: 'B' });
    expect(learnedFilingOf(item, 'B')).toEqual({ category: 'DINING', customCategoryId: 'B' });
    expect(learnedFilingOf(item, 'D')).toEqual({ category: 'HEALTH', customCategoryId: null });
    expect(learnedFilingOf(item, 'E')).toEqual({ category: 'HEALTH', customCategoryId: null });
    expect(learnedFilingOf(item, 'nope')).toBeNull();
    expect(learnedFilingOf(null, 'A')).toBeNull();
    // A damaged item whose merges loop files under no custom category.
    const loop = itemOf(entry('L', 'l', 'MERGED', 'M'), entry('M', 'm', 'MERGED', 'L'));
    expect(learnedFilingOf(loop, 'L')).toEqual({ category: 'OTHER', customCategoryId: null });
  });

  it('given a damaged item whose merges loop, when resolved, then it ends with none', () => {
    expect(resolvedCategoryOf(itemOf(entry('A', 'a', 'MERGED', 'B'), entry('B', 'b', 'MERGED', 'A')), 'A')).toBeNull();
  });

  it('given live and merged categories, when listed, then only the live ones, by name ignoring case', () => {
    const item = itemOf(
      entry('1', 'banana'),
      entry('2', 'Apple'),
      entry('3', 'cherry', 'DELETED'),
      entry('4', 'Ávila'),
    );
    expect(liveCategoriesOf(item).map((c) => c.name)).toEqual(['Apple', 'banana', 'Ávila']);
    expect(nameHolderOf(item, '  APPLE ')).toBe('2');
    expect(nameHolderOf(item, 'cherry')).toBeNull();
  });

  it.each([
    ['#a1B2c3', '#A1B2C3'],
    ['#000000', '#000000'],
    ['a1b2c3', null],
    ['#a1b2c', null],
    ['#a1b2c3d', null],
    ['#GGGGGG', null],
    ['#12 456', null],
  ])('given the colour %s, then it is %s', (colour, expected) => {
    expect(normalisedColourOf(colour)).toBe(expected);
  });
});
