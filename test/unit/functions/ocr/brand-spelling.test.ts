import { describe, expect, it } from 'vitest';
import { mendedBrand } from '../../../../functions/ocr/brand-spelling.ts';
import { BrandIndex } from '../../../../functions/shared/categorize/brand-index.ts';
import { categorizeExpense } from '../../../../functions/shared/categorize/core.ts';

/**
 * A well-known brand at the head of a merchant name, misread by one letter, mended from the brand
 * index (the name-suggestion-index's brands): the chain's name as printed, so the expense shows it
 * and categorizes as that chain. Correct names, words, other names and other scripts stay as read.
 */
describe('brand names misread by a letter', () => {
  it.each([
    ['Medla Markt', 'Media Markt'],
    ['KOUFLAND', 'KAUFLAND'],
    ['Koufland Berlin-Mitte', 'Kaufland Berlin-Mitte'],
    ['ROSSMONN', 'ROSSMANN'],
    ['DECATHLUN', 'DECATHLON'],
    ['R SSMANN', 'ROSSMANN'],
  ])('given %j, then it is the brand as printed: %j', (read, printed) => {
    expect(mendedBrand(read)).toBe(printed);
  });

  it('given a misread chain, then the mended name categorizes as that chain', () => {
    expect(categorizeExpense({ merchant: 'Medla Markt' }).category).not.toBe('ELECTRONICS');
    expect(categorizeExpense({ merchant: mendedBrand('Medla Markt') }).category).toBe('ELECTRONICS');
  });

  it.each([
    'Media Markt',
    'Kaufland',
    'TOKYO KITCHEN SDN BHD', // a word as printed, though Tokyu is one letter away
    'PAGOH REST AND SERVICE AREA', // a short name one letter from a short brand
    'Kedai Runcit Medla Markt', // a brand not at the head of the name
    'Lidi', // shorter brands are left alone
    'メディアマルクト',
    'Müller Drogerie',
  ])('given %j, then it stays as read', (name) => {
    expect(mendedBrand(name)).toBe(name);
  });

  it('given two brands one slip from the name, then it stays as read', () => {
    const one = new BrandIndex({ source: 'test', categories: { SHOPPING: 'brandol' } });
    const two = new BrandIndex({ source: 'test', categories: { SHOPPING: 'brandol\nbrandvl' } });
    expect(mendedBrand('Brandul', one)).toBe('Brandol');
    expect(mendedBrand('Brandul', two)).toBe('Brandul');
  });
});
