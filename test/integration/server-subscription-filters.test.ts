import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../local/realtime/filters.ts';

/** Enhanced subscription filters as AppSync evaluates them: OR across groups, AND inside one. */
const alert = {
  owner: 'alice',
  threshold: 80,
  category: 'DINING',
  budget: { name: 'Eating out' },
  tags: ['food', 'monthly'],
};
const filter = (...groups: Array<Array<[string, string, unknown?]>>) => ({
  filterGroup: groups.map((filters) => ({
    filters: filters.map(([fieldName, operator, value]) => ({ fieldName, operator, value })),
  })),
});

describe('enhanced subscription filters', () => {
  it.each([
    ['eq', filter([['owner', 'eq', 'alice']]), true],
    ['eq on another owner', filter([['owner', 'eq', 'bob']]), false],
    ['ne', filter([['owner', 'ne', 'bob']]), true],
    [
      'ge and lt together',
      filter([
        ['threshold', 'ge', 80],
        ['threshold', 'lt', 100],
      ]),
      true,
    ],
    [
      'one failing filter fails its group',
      filter([
        ['owner', 'eq', 'alice'],
        ['threshold', 'gt', 80],
      ]),
      false,
    ],
    [
      'any matching group passes',
      filter([['owner', 'eq', 'bob']], [['category', 'in', ['DINING', 'GROCERIES']]]),
      true,
    ],
    ['between', filter([['threshold', 'between', [50, 80]]]), true],
    ['notIn', filter([['category', 'notIn', ['DINING']]]), false],
    ['beginsWith on a nested field', filter([['budget.name', 'beginsWith', 'Eat']]), true],
    ['contains on a list', filter([['tags', 'contains', 'food']]), true],
    ['notContains on a string', filter([['owner', 'notContains', 'lic']]), false],
    ['containsAny', filter([['tags', 'containsAny', ['travel', 'monthly']]]), true],
    ['a number never equals its string', filter([['threshold', 'eq', '80']]), false],
    ['an unknown operator lets nothing through', filter([['owner', 'like', 'alice']]), false],
  ])('%s', (_name, given, expected) => {
    expect(matchesFilter(given, alert)).toBe(expected);
  });
});
