import type { ShareParticipantInput, ShareSplitMethod } from '../../generated/graphql.ts';
import { isMinorUnits } from '../../model/money.ts';
import { allocateByWeights, basisPointsOf, splitEvenly, WHOLE_BASIS_POINTS } from '../../model/splits.ts';
import { FieldError } from '../shared/field-call.ts';
import { addMinor, sumMinor } from '../shared/money.ts';

/**
 * Each person's share of `total` minor units, the payer first, then the participants in order:
 * equal parts, the participants' amounts (the payer keeps the rest), or their percentages (the
 * payer keeps the rest). ValidationError (errorInfo.field) when an input does not fit; the parts
 * always add up to `total` exactly and none is negative: divided by the largest remainder method
 * (model/splits.ts, the same rounding as an expense split across categories).
 */
export function splitShares(
  total: number,
  method: ShareSplitMethod,
  participants: readonly Pick<ShareParticipantInput, 'amount' | 'percent'>[],
): number[] {
  const field = (i: number, name: string) => `participants.${i}.${name}`;
  // Only the figure the method divides by may be given: an amount with EQUAL would be silently ignored.
  const taken = method === 'AMOUNTS' ? 'amount' : method === 'PERCENTAGES' ? 'percent' : null;
  participants.forEach((p, i) => {
    for (const name of ['amount', 'percent'] as const)
      if (p[name] != null && name !== taken)
        throw new FieldError('ValidationError', `${name} is not taken with ${method}`, { field: field(i, name) });
  });
  if (method === 'EQUAL') return splitEvenly(total, participants.length + 1);
  if (method === 'AMOUNTS') {
    const amounts = participants.map((p, i) => {
      const amount = p.amount;
      if (amount == null || !isMinorUnits(amount, 1))
        throw new FieldError('ValidationError', 'Each share is a whole number of minor units, at least 1', {
          field: field(i, 'amount'),
        });
      return amount;
    });
    const shared = sumMinor(amounts, 'The shares');
    if (shared > total)
      throw new FieldError('ValidationError', 'The shares add up to more than the expense', {
        field: 'participants',
        amount: total,
      });
    return [total - shared, ...amounts];
  }
  const points = participants.map((p, i) => {
    const bp = p.percent == null ? null : basisPointsOf(p.percent);
    if (bp === null)
      throw new FieldError('ValidationError', 'Each percentage is 0.01..100 with at most two decimals', {
        field: field(i, 'percent'),
      });
    return bp;
  });
  const shared = points.reduce((a, b) => addMinor(a, b), 0);
  if (shared > WHOLE_BASIS_POINTS)
    throw new FieldError('ValidationError', 'The percentages add up to more than 100', { field: 'participants' });
  return allocateByWeights(total, [WHOLE_BASIS_POINTS - shared, ...points]);
}

/** A balance: what `email` owes (positive) or is owed (negative) in `currency`, in minor units. */
export type BalanceLine = { email: string; currency: string; amount: number };

/** The exact sums of ledger entries by person and currency, zero balances left out, by person then currency. */
export function balancesOf(entries: Iterable<{ email: string; currency: string; amount: number }>): BalanceLine[] {
  const sums = new Map<string, BalanceLine>();
  for (const entry of entries) {
    const key = `${entry.email}\u0000${entry.currency}`;
    const line = sums.get(key) ?? { email: entry.email, currency: entry.currency, amount: 0 };
    line.amount = addMinor(line.amount, entry.amount, 'A balance');
    sums.set(key, line);
  }
  return [...sums.values()]
    .filter((line) => line.amount !== 0)
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.currency < b.currency ? -1 : 1));
}
