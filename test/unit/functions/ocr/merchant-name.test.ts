import { describe, expect, it } from 'vitest';
import { currencyOf } from '../../../../functions/ocr/currency-evidence.ts';
import {
  cleanName,
  isCountryName,
  looksPrinted,
  withoutRegistration,
} from '../../../../functions/ocr/merchant-name.ts';

describe('merchant names as printed', () => {
  it.each([
    ['MR.D.I.Y.（M）SDNBHD', 'MR. D.I.Y. (M) SDN BHD'],
    ['GARDENIA BAKERIES(KL)SDN BHD', 'GARDENIA BAKERIES (KL) SDN BHD'],
    ['UNIHAKKA INTERNATIONALSDN BHD', 'UNIHAKKA INTERNATIONAL SDN BHD'],
    ['t00m Baumarkt GmbH', 'tOOm Baumarkt GmbH'],
    ['B a u m a r k t GmbH', 'Baumarkt GmbH'],
    ['MIZU MENTAI SDN.BHD.', 'MIZU MENTAI SDN. BHD.'],
    ['ECOSWAY.COM SDN BHD', 'ECOSWAY.COM SDN BHD'],
    ['Verkkokauppa.com', 'Verkkokauppa.com'],
    ['ST.MARY CAFE', 'ST. MARY CAFE'],
    ['ROOM 101 CAFE', 'ROOM 101 CAFE'],
    ['THE: CORNER BAKERY', 'THE CORNER BAKERY'],
    ['KEDAI MAJU SON BHD', 'KEDAI MAJU SDN BHD'],
    ['Pelangi Marketing 5dn Bhd', 'Pelangi Marketing Sdn Bhd'],
    ['KEDAI MAJU SDN 3HD', 'KEDAI MAJU SDN BHD'],
    ['KEDAI MAJU S DN BHD', 'KEDAI MAJU SDN BHD'],
    ['MR。 D.I.Y. (M) SDN BHD', 'MR. D.I.Y. (M) SDN BHD'],
    ['MASON BHD', 'MASON BHD'],
    ['S.K. MOTOR ( BATU PAHAT ) SDN. BHD.', 'S.K. MOTOR (BATU PAHAT) SDN. BHD.'],
    ['88 MINI MART 5/B', '88 MINI MART S/B'],
    ['FUN N CHEER (MALURI', 'FUN N CHEER (MALURI)'],
    ['AIK HUAT ENTERPRISE (SETIA ALAM SDN BHD', 'AIK HUAT ENTERPRISE (SETIA ALAM) SDN BHD'],
    ['KEDAI MAJU (SETIA ALAM S/B', 'KEDAI MAJU (SETIA ALAM) S/B'],
    ['FOO TRADING (BANGSAR SDN. BHD.', 'FOO TRADING (BANGSAR) SDN. BHD.'],
    ['KEDAI (M', 'KEDAI (M'],
    ['KEDAI 5/B', 'KEDAI S/B'],
    ['88 MINI MART S/D', '88 MINI MART S/B'],
    ['KEDAI MAJU SUN BHD', 'KEDAI MAJU SDN BHD'],
    ['Kedai Maju Sen Bhd', 'Kedai Maju Sdn Bhd'],
    ['S/D TRADING', 'S/D TRADING'],
    ['SUN MOTOR BHD', 'SUN MOTOR BHD'],
    ['WAHIN HARDWARE SDN BHI', 'WAHIN HARDWARE SDN BHD'],
    ['MOONLIGHT CAKE HOUSE SDN DHD', 'MOONLIGHT CAKE HOUSE SDN BHD'],
    ['UNIHAKKA INTERNATIONAL-SDN BHD', 'UNIHAKKA INTERNATIONAL SDN BHD'],
    ['AIK HUAT HARDWARE ENTERPRISE CSETIA ALAM) SDN BHD', 'AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD'],
    ['KEDAI MAJU ITAMAN JAYA)', 'KEDAI MAJU (TAMAN JAYA)'],
    ['DELUXE FRESH MART SDN BHD)', 'DELUXE FRESH MART SDN BHD'],
    ['KEDAI (M) SDN BHD', 'KEDAI (M) SDN BHD'],
    ['LAVENDER CONFECTIONERY & BAKERY S/B-', 'LAVENDER CONFECTIONERY & BAKERY S/B'],
    ['AUTO-SERVICE BHD', 'AUTO-SERVICE BHD'],
    ['THE MARCO _POLO . KITCH', 'THE MARCO POLO KITCH'],
    ['99.SPEED MART S/B', '99 SPEED MART S/B'],
    ['NO.1 CAFE', 'NO.1 CAFE'],
    ['*** P E N N Y - M A R K T GmbH ***', 'PENNY-MARKT GmbH'],
    ['A & W RESTAURANT', 'A&W RESTAURANT'],
    ['JOE - CAFE', 'JOE - CAFE'],
  ])('given OCR read %j, then the name is %j', (read, printed) => {
    expect(cleanName(read)).toBe(printed);
  });

  it.each([
    ['GARDENIA BAKERIES (KL) SDN BHD (139386-X)', 'GARDENIA BAKERIES (KL) SDN BHD'],
    ['SYARIKAT MAJU Company No: 12345-A', 'SYARIKAT MAJU'],
    ['FUN N CHEER (1', 'FUN N CHEER'],
    ['KEDAI MAJU SDN BHD （482123-U)', 'KEDAI MAJU SDN BHD'],
    ['KEDAI MAJU SDN BHD (4821S3 X)', 'KEDAI MAJU SDN BHD'],
    ['Kaffeehaus GmbH USt-IdNr: DE123456789', 'Kaffeehaus GmbH'],
    ['KEDAI MAJU SDN BHD (I234S6 X)', 'KEDAI MAJU SDN BHD'],
    ['KEDAI MAJU SDN BHD (l23O56)', 'KEDAI MAJU SDN BHD'],
    ['KEDAI MAJU SDN BHD (482123-U), B-1-07, PLAZA MAJU,', 'KEDAI MAJU SDN BHD'],
    ['KEDAI MAJU (SETIA)', 'KEDAI MAJU (SETIA)'],
    ['BOB (OSB)', 'BOB (OSB)'],
    ['BAKERY S/B- COMPANY NO): 499702-V', 'BAKERY S/B-'],
    ['MOONLIGHT CAKE HOUSE SDN BHD 8OZTZ5-U', 'MOONLIGHT CAKE HOUSE SDN BHD'],
    ['KEDAI MAJU 7-ELEVEN-X', 'KEDAI MAJU 7-ELEVEN-X'],
    ['ABC Supermarkets AS Reg.kood 10714195', 'ABC Supermarkets AS'],
    ['Kohvik OÜ Registrikood 12345678', 'Kohvik OÜ'],
  ])('given %j, then registration numbers and open brackets are cut: %j', (read, name) => {
    expect(withoutRegistration(read)).toBe(name);
  });

  it.each([
    ['lutsegmetmusf AdnbaDnelettid', 0.8, false],
    ['nallonepitsArlonoeToanette bnu nelO', 0.73, false],
    ['MediaMarkt', 0.94, true],
    ['TasteOfTheWorldSdnBhd', 0.97, true],
    ['SDNBHD', 0.95, true],
    ['real GmbH', 0.96, true],
  ] as const)('given %j read at confidence %d, then it looks printed: %s', (text, confidence, printed) => {
    expect(looksPrinted(text, confidence)).toBe(printed);
  });
});

describe('currency from what the receipt prints', () => {
  it.each([
    ['SUMME EUR 24,23', 'EUR', 'code EUR'],
    ['ZU ZAHLEN EURO 24,23', 'EUR', 'symbol of EUR'],
    ['TOTAL RM 9.00', 'MYR', 'symbol of MYR'],
    ['Total Bayar Rp 47.730', 'IDR', 'symbol of IDR'],
    ['GARDENIA BAKERIES (KL) SDN BHD\nTOTAL 9.00', 'MYR', 'country MY (company form)'],
    ['USt-IdNr. DE123456789\nSumme 3,50', 'EUR', 'country DE (VAT id)'],
    ['Tel +351 21 123 4567\nTotal 3,50', 'EUR', 'country PT (phone prefix)'],
    ['www.example.nl\nTotaal 3,50', 'EUR', 'country NL (web address)'],
    ['Netto Eur 129,75\nSumme Eur 154,40', 'EUR', 'symbol of EUR'],
    ['GREEN GROCERS LTD\nBRADFORD BD3 7DL\nTOTAL 12.40', 'GBP', 'country GB (address)'],
  ])('given %j, then %s from %s', (text, code, evidence) => {
    const reading = currencyOf(text, 'USD');
    expect(reading).toMatchObject({ code, evidence });
    expect(reading.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('given a Malaysian company, then its SDN BHD is not read as Bahraini dinars', () => {
    expect(currencyOf('KEDAI MAJU SDN BHD\n(12345-X)\nTOTAL 8.20').code).toBe('MYR');
  });

  it('given nothing that names a currency, then the home currency as a guess below the review threshold', () => {
    expect(currencyOf('TOTAL 12.00', 'EUR')).toMatchObject({ code: 'EUR', confidence: 0.3 });
    expect(currencyOf('TOTAL $12.00', 'GBP')).toMatchObject({ code: 'USD', confidence: 0.5 });
  });
});

describe('the country a receipt prints, for its currency and date order', () => {
  it.each([
    ['MAPLE DINER\nSPRINGFIELD, IL 62701\nTOTAL $12.40', 'US'],
    ['CORNER DELI\nAUSTIN TX 78701-1234\nTOTAL 8.00', 'US'],
    ['MEGA STORE\nCHICAGO, IL\nTOTAL $5.00', 'US'],
  ])('given %j, then the country is %s and a "$" is US dollars', (text, country) => {
    expect(currencyOf(text, 'EUR')).toMatchObject({ code: 'USD', country });
  });

  it.each([['KEDAI MAJU\n81100 JOHOR BAHRU\nTOTAL RM 5.00'], ['BÄCKEREI\n33602 Bielefeld\nSUMME EUR 3,50']])(
    'given %j (a postcode before the town), then no US address is read',
    (text) => {
      expect(currencyOf(text).country).not.toBe('US');
    },
  );
});

describe('country names', () => {
  it.each(['MALAYSIA', 'Deutschland', 'SINGAPORE.', 'Suomi', 'España', 'United Kingdom'])(
    'given "%s", then a country',
    (row) => {
      expect(isCountryName(row)).toBe(true);
    },
  );

  it.each(['MALAYSIA AIRLINES', 'Tesco', 'GL HANDICRAFT', ''])('given "%s", then no country', (row) => {
    expect(isCountryName(row)).toBe(false);
  });
});
