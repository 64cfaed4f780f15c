import { describe, expect, it } from 'vitest';
import { matchReceipts, merchantSimilarity, type ReceiptCandidate } from '../../../../functions/statements/matching.ts';

const receipt = (id: string, merchant: string, date: string, amount: number, currency = 'USD'): ReceiptCandidate => ({
  expenseId: `E${id}`,
  receiptId: `R${id}`,
  merchant,
  date,
  amount,
  currency,
});

describe('merchant similarity', () => {
  it('given bank texts around a merchant name, when compared, then the name is found and other shops are not', () => {
    expect(merchantSimilarity('CORNER BAKERY', 'CARD PURCHASE CORNER BAKERY LONDON')).toBe(1);
    expect(merchantSimilarity('Blue Bottle Coffee', 'SQ *BLUEBOTTLE 4821')).toBeGreaterThanOrEqual(0.5);
    expect(merchantSimilarity('Café Müller', 'CAFE MULLER BERLIN')).toBe(1);
    expect(merchantSimilarity('CORNER BAKERY', 'SHELL OIL 5744')).toBeLessThan(0.5);
  });
});

describe('matching receipts to statement lines', () => {
  it('given a receipt and the line of its purchase a day later, when matched, then they pair and the reason says why', () => {
    const { matches, unmatched } = matchReceipts(
      [
        { index: 1, date: '2024-03-06', amount: 1240, currency: 'USD', description: 'CARD PURCHASE CORNER BAKERY' },
        { index: 2, date: '2024-03-06', amount: 1240, currency: 'USD', description: 'SHELL OIL 5744' },
      ],
      [receipt('1', 'CORNER BAKERY', '2024-03-05', 1240)],
      3,
    );
    expect(matches.get(1)?.candidate.receiptId).toBe('R1');
    expect(matches.get(1)?.reason).toContain('1 day(s) apart, merchant similarity 1');
    expect(matches.has(2)).toBe(false);
    expect(unmatched.size).toBe(0);
  });

  it('given amounts, currencies or days that differ, when matched, then nothing pairs and each receipt says why', () => {
    const { matches, unmatched } = matchReceipts(
      [{ index: 1, date: '2024-03-20', amount: 1240, currency: 'USD', description: 'CORNER BAKERY' }],
      [
        receipt('1', 'CORNER BAKERY', '2024-03-05', 1240),
        receipt('2', 'CORNER BAKERY', '2024-03-20', 1241),
        receipt('3', 'CORNER BAKERY', '2024-03-20', 1240, 'EUR'),
      ],
      3,
    );
    expect(matches.size).toBe(0);
    expect(unmatched.get('E1')).toContain('more than 3 days');
    expect(unmatched.get('E2')).toContain('no statement line of USD 1241');
    expect(unmatched.get('E3')).toContain('no statement line of EUR 1240');
  });

  it('given two receipts of one price and two lines, when matched, then each line takes the receipt its text names', () => {
    const { matches } = matchReceipts(
      [
        { index: 1, date: '2024-03-07', amount: 450, currency: 'USD', description: 'STARBUCKS 1234' },
        { index: 2, date: '2024-03-07', amount: 450, currency: 'USD', description: 'PEETS COFFEE 88' },
      ],
      [receipt('1', "Peet's Coffee", '2024-03-07', 450), receipt('2', 'Starbucks', '2024-03-07', 450)],
      3,
    );
    expect(matches.get(1)?.candidate.receiptId).toBe('R2');
    expect(matches.get(2)?.candidate.receiptId).toBe('R1');
  });

  it('given a cryptic text, when it is the only line of that amount on the receipt day, then it matches, but not a day away', () => {
    const line = { index: 1, date: '2024-03-05', amount: 999, currency: 'USD', description: 'POS 4821 CARD' };
    expect(matchReceipts([line], [receipt('1', 'Blue Bottle Coffee', '2024-03-05', 999)], 3).matches.size).toBe(1);
    const away = matchReceipts(
      [{ ...line, date: '2024-03-06' }],
      [receipt('1', 'Blue Bottle Coffee', '2024-03-05', 999)],
      3,
    );
    expect(away.matches.size).toBe(0);
    expect(away.unmatched.get('E1')).toContain('is unlike');
  });
});
