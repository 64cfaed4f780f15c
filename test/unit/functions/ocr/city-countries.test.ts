import { describe, expect, it } from 'vitest';
import { citiesEndingLines, foldPlaceName, townsAfterPostcodes } from '../../../../functions/ocr/city-countries.ts';

/**
 * Towns read from the addresses receipts print: after a postcode in the town's own country's
 * form, as the last thing on the line. Lines are made up.
 */
describe('towns after postcodes', () => {
  it.each([
    ['33098 Paderborn', 'PADERBORN', 'DE'],
    ['Hauptstr. 5, 33098 Paderborn', 'PADERBORN', 'DE'],
    ['D-80331 München', 'MUNCHEN', 'DE'],
    ['80331 MUENCHEN', 'MUENCHEN', 'DE'],
    ['75015 PARIS', 'PARIS', 'FR'],
    ['75008 PARIS CEDEX 08', 'PARIS', 'FR'],
    ['1012 AB Amsterdam', 'AMSTERDAM', 'NL'],
    ['00-950 Warszawa', 'WARSZAWA', 'PL'],
    ['111 22 Stockholm', 'STOCKHOLM', 'SE'],
    ['8001 Zürich', 'ZURICH', 'CH'],
    ['CH-8001 Zurich', 'ZURICH', 'CH'],
    ['1010 Wien', 'WIEN', 'AT'],
    ['2100 København Ø', 'KOBENHAVN', 'DK'],
    ['110 00 Praha 1', 'PRAHA', 'CZ'],
    ['20121 MILANO (MI)', 'MILANO', 'IT'],
    ['1000-001 Lisboa', 'LISBOA', 'PT'],
    ['50250 Kuala Lumpur', 'KUALA LUMPUR', 'MY'],
    ['60311 Frankfurt am Main', 'FRANKFURT AM MAIN', 'DE'],
  ])('given the address line %j, then the town %s of %s', (line, town, country) => {
    expect(townsAfterPostcodes(`SHOP\n${line}\nTOTAL 12,00`)).toEqual([{ town, country }]);
  });

  it.each([['TOKYO KITCHEN'], ['NEW YORK PIZZA'], ['PARIS HAM'], ['DIJON MUSTARD'], ['2 PARIS HAM 3,98']])(
    'given a town in a shop or product name (%j), then no town',
    (line) => {
      expect(townsAfterPostcodes(`${line}\nTOTAL 12,00`)).toEqual([]);
    },
  );

  it.each([
    ['12345 PARIS HAM', 'a town the line goes on past'],
    ['21000 DIJON MUSTARD 1,99', 'a town the line goes on past'],
    ['4006381333931 PARIS', 'a product code, no postcode'],
    ['8001 PARIS', "a postcode not in France's form"],
    ['33098 Zürich', "a postcode not in Switzerland's form"],
    ['12,50 ROMA', 'an amount'],
  ])('given %j (%s), then no town', (line) => {
    expect(townsAfterPostcodes(`SHOP\n${line}\nTOTAL 12,00`)).toEqual([]);
  });

  it('given names in any alphabet Latin letters write, then they fold to capitals without accents', () => {
    expect(['Łódź', 'Gießen', "'s-Gravenhage", 'København', 'İzmir'].map(foldPlaceName)).toEqual([
      'LODZ',
      'GIESSEN',
      'S GRAVENHAGE',
      'KOBENHAVN',
      'IZMIR',
    ]);
  });
});

describe('cities ending address lines', () => {
  it.each([
    ['Narephat, Kathmandu', 'KATHMANDU', 'NP'],
    ['Shinjuku, Tokyo', 'TOKYO', 'JP'],
    ['Via del Corso 12, Roma.', 'ROMA', 'IT'],
    ['Jl. Kopo No. 5, Margasuka, Bandung', 'BANDUNG', 'ID'],
  ])('given the address line %j, then the city %s of %s', (line, town, country) => {
    expect(citiesEndingLines(`SHOP\n${line}\nTOTAL 12.00`)).toEqual([{ town, country }]);
  });

  it.each([
    ['TOKYO KITCHEN', 'a shop name, no comma'],
    ['Kathmandu', 'a city alone on its line'],
    ['Chicken, Tokyo style', 'a line going on past the city'],
    ['Katsu, Tokyo 12.50', 'an item and its price'],
    ['Narephat, Kathmandu 44600', 'a postcode after the city'],
    [', Tokyo', 'nothing before the comma'],
    ['Main St, Springfield', 'a town of a few hundred thousand'],
  ])('given %j (%s), then no city', (line) => {
    expect(citiesEndingLines(`SHOP\n${line}\nTOTAL 12.00`)).toEqual([]);
  });
});
