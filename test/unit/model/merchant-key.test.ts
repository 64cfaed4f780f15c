import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merchantKeyOf } from '../../../model/merchant-key.ts';

describe('merchantKeyOf', () => {
  it.each([
    ['STARBUCKS #1234', 'starbucks1234'],
    ['Starbucks 1234', 'starbucks1234'],
    ['starbucks-1234', 'starbucks1234'],
    ['Corner Café', 'cornercafé'],
    ["McDonald's", 'mcdonalds'],
    ['McDonaldʼs', 'mcdonalds'],
    ['Starbucks ☕', 'starbucks'],
  ])('given %s, when keyed, then the key is %s (as before caseless scripts were kept)', (name, key) => {
    expect(merchantKeyOf(name)).toBe(key);
  });

  it.each([
    ['星巴克', '星巴克'],
    ['星巴克 (中关村店)', '星巴克中关村店'],
    ['スターバックス・コーヒー', 'スターバックスコーヒー'],
    ['مطعم', 'مطعم'],
    ['مطعم، الرياض', 'مطعمالرياض'],
    ['סופר-פארם', 'סופרפארם'],
    ['7-Eleven เซเว่น อีเลฟเว่น', '7elevenเซเว่นอีเลฟเว่น'],
    ['Пятёрочка', 'пятёрочка'],
    ['☕', '☕'],
    ['☕️', '☕'],
    ['🍔🍟', '🍔🍟'],
    ['𠀋𠀋 Store', '𠀋𠀋store'],
    ['!!!', '!!!'],
    ['— · —', '—·—'],
  ])('given %s (no or few Latin letters), when keyed, then the key is %s', (name, key) => {
    expect(merchantKeyOf(name)).toBe(key);
  });

  it('given names that differ only in case, spacing and punctuation, when keyed, then they are one merchant', () => {
    expect(merchantKeyOf('REWE Markt, Berlin')).toBe(merchantKeyOf('rewe markt berlin'));
    expect(merchantKeyOf('星巴克 · 咖啡')).toBe(merchantKeyOf('星巴克咖啡'));
    expect(merchantKeyOf('مطعم  البيك')).toBe(merchantKeyOf('مطعم البيك'));
  });

  it('given any non-blank string, when keyed, then the key is non-empty, stable and a fixed point', () => {
    const names = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(' ', '-', '.', '☕', '🍔', '\u200d', '\ufe0f', '、', '·'), minLength: 1 }),
    );
    fc.assert(
      fc.property(
        names.filter((s) => s.trim() !== ''),
        (name) => {
          const key = merchantKeyOf(name);
          expect(key.length).toBeGreaterThan(0);
          expect(merchantKeyOf(name)).toBe(key);
          expect(merchantKeyOf(key)).toBe(key);
          expect(key.length).toBeLessThanOrEqual(name.toLowerCase().length);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('given any name with a letter, when separators are put between its characters, then the key does not change', () => {
    const separators = fc.constantFrom(' ', '-', '.', ',', '/', '(', ')', '#', '\u00a0', '・', '、', '，', '«', '—');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'Z', 'é', '7', '星', 'م', 'ש', 'ก', 'я'), minLength: 1, maxLength: 12 }),
        fc.array(separators, { maxLength: 12 }),
        (name, seps) => {
          const spread = name
            .split('')
            .map((c, i) => c + (seps[i] ?? ''))
            .join('');
          expect(merchantKeyOf(spread)).toBe(merchantKeyOf(name));
        },
      ),
    );
  });
});
