import { describe, expect, it } from 'vitest';
import { checkRule, dueOnOf, occurrenceToCheck } from '../../../../functions/recurring/check.ts';
import type { Charge } from '../../../../functions/recurring/detection.ts';
import type { RecurringRuleItem } from '../../../../model/recurring.ts';

const rule: RecurringRuleItem = {
  user_id: 'ada',
  rule_id: 'RULE#MONTHLY#EUR#netflixcom',
  id: 'MONTHLY#EUR#netflixcom',
  name: 'Netflix',
  merchant: 'Netflix.com',
  merchantKey: 'netflixcom',
  currency: 'EUR',
  cadence: 'MONTHLY',
  amount: 1799,
  tolerancePercent: 10,
  anchorDay: 31,
  anchorMonth: 1,
  lastDate: '2027-01-31',
  createdAt: '2027-02-01T00:00:00.000Z',
  updatedAt: '2027-02-01T00:00:00.000Z',
};

const charge = (merchant: string, amount: number, date: string, currency = 'EUR'): Charge => ({
  expenseId: `${merchant}-${date}`,
  merchant,
  amount,
  currency,
  date,
});

describe('checkRule (the daily check of a confirmed rule)', () => {
  it('given a charge on the 31st, when checked, then the next occurrence is the last day of February, judged from 4 March', () => {
    expect(occurrenceToCheck(rule)).toBe('2027-02-28');
    expect(dueOnOf('2027-02-28', rule)).toBe('2027-03-04');
    expect(checkRule(rule, [], '2027-03-03')).toBeNull();
  });

  it('given a charge within the grace days at the price, when checked, then it is paid', () => {
    expect(checkRule(rule, [charge('NETFLIX.COM 866-579-7172', 1799, '2027-03-01')], '2027-03-04')).toEqual({
      kind: 'paid',
      occurrence: '2027-02-28',
      chargeDate: '2027-03-01',
    });
  });

  it('given the merchant charged 11 % more, when checked, then it is a price change with the new amount', () => {
    expect(checkRule(rule, [charge('Netflix.com', 1999, '2027-02-27')], '2027-03-04')).toEqual({
      kind: 'priceChanged',
      occurrence: '2027-02-28',
      chargeDate: '2027-02-27',
      amount: 1999,
    });
  });

  it('given no charge of the merchant in the window (another merchant, another currency, too early), when checked, then it is missed', () => {
    const others = [
      charge('Spotify', 1799, '2027-02-28'),
      charge('Netflix.com', 1799, '2027-02-28', 'USD'),
      charge('Netflix.com', 1799, '2027-02-20'),
    ];
    expect(checkRule(rule, others, '2027-03-04')).toEqual({ kind: 'missed', occurrence: '2027-02-28' });
  });

  it('given February judged already, when checked again, then March 31st is the next occurrence', () => {
    expect(occurrenceToCheck({ ...rule, checkedThrough: '2027-02-28' })).toBe('2027-03-31');
  });
});
