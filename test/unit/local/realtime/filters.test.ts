import { describe, expect, it } from 'vitest';
import { matchesFilter, type SubscriptionFilter } from '../../../../local/realtime/filters.ts';

const filterOn = (fieldName: string, operator: string, value?: unknown): SubscriptionFilter => ({
  filterGroup: [{ filters: [{ fieldName, operator, value }] }],
});

describe('matchesFilter', () => {
  it.each(['constructor', 'toString', '__proto__', 'owner.constructor', 'owner.length'])(
    "given a filter on %s, which the payload does not have, then it reads as absent (never Object.prototype's or a string's own)",
    (fieldName) => {
      const payload = { owner: 'alice', amount: 5 };
      expect(matchesFilter(filterOn(fieldName, 'attributeExists', true), payload)).toBe(false);
      expect(matchesFilter(filterOn(fieldName, 'attributeExists', false), payload)).toBe(true);
    },
  );

  it('given nested fields the payload has, then they are read through', () => {
    const payload = { expense: { category: 'DINING' } };
    expect(matchesFilter(filterOn('expense.category', 'eq', 'DINING'), payload)).toBe(true);
    expect(matchesFilter(filterOn('expense.category', 'eq', 'TRAVEL'), payload)).toBe(false);
  });
});
