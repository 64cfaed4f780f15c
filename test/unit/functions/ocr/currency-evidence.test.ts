import { describe, expect, it } from 'vitest';
import { currencyOf } from '../../../../functions/ocr/currency-evidence.ts';
import { config } from '../../../../functions/shared/config.ts';

/**
 * A receipt's currency from its address where it prints no symbol or code: the local recognizer
 * reads no "€" or "£", and a "$" alone says no more than dollars. Lines are made up.
 */
const receipt = (...lines: string[]) => ['SHOP', ...lines, 'TOTAL 12.00', 'CARD 12.00'].join('\n');

describe('currency from the address a receipt prints', () => {
  it.each([
    ['SYDNEY NSW 2000', 'AUD', 'AU'],
    ['Melbourne VIC 3000', 'AUD', 'AU'],
    ['PERTH WA 6000', 'AUD', 'AU'],
    ['ADELAIDE, SA 5000', 'AUD', 'AU'],
    ['TORONTO ON M5V 2T6', 'CAD', 'CA'],
    ['M5V 2T6', 'CAD', 'CA'],
    ['MISSISSAUGA, ON', 'CAD', 'CA'],
    ['Dublin D02 X285', 'EUR', 'IE'],
    ['Cork T12 K8AF', 'EUR', 'IE'],
  ])('given %j and bare dollars or no symbol, then %s (country %s)', (address, code, country) => {
    expect(currencyOf(receipt(address), 'USD')).toMatchObject({
      code,
      country,
      evidence: `country ${country} (address)`,
    });
    expect(currencyOf(receipt(address, 'TOTAL $12.00'), 'USD')).toMatchObject({ code, country });
  });

  it.each([
    ['8001 Zürich', 'CHF'],
    ['1010 Wien', 'EUR'],
    ['2100 København Ø', 'DKK'],
    ['0150 Oslo', 'NOK'],
    ['111 22 Stockholm', 'SEK'],
    ['00-950 Warszawa', 'PLN'],
    ['110 00 Praha 1', 'CZK'],
    ['1051 Budapest', 'HUF'],
    ['33098 Paderborn', 'EUR'],
  ])('given the town after its postcode %j, then %s', (address, code) => {
    expect(currencyOf(receipt(address), 'USD')).toMatchObject({ code, evidence: expect.stringMatching(/\(address\)/) });
  });

  it('given a German receipt from Zürich, then francs: the town outweighs the labels language', () => {
    const text = ['BÄCKEREI', 'Bahnhofstrasse 1', '8001 Zürich', 'Summe 4,40', 'Bar 5,00', 'Rückgeld 0,60'].join('\n');
    expect(currencyOf(text, 'USD')).toMatchObject({ code: 'CHF', country: 'CH' });
  });

  it('given a town another mark of the address already read, or printed twice, then it counts once', () => {
    const street = receipt('JALAN AMPANG');
    expect(currencyOf(receipt('JALAN AMPANG', '50250 KUALA LUMPUR'), 'USD').confidence).toBe(
      currencyOf(street, 'USD').confidence,
    );
    expect(currencyOf(receipt('33098 Paderborn', '33098 Paderborn'), 'USD').confidence).toBe(
      currencyOf(receipt('33098 Paderborn'), 'USD').confidence,
    );
  });

  it.each([['TOKYO KITCHEN'], ['NEW YORK PIZZA'], ['PARIS HAM 2.50'], ['DIJON MUSTARD 1.99']])(
    'given a town in a shop or product name (%j), then no country and the currency stays a guess',
    (line) => {
      const reading = currencyOf(receipt(line), 'USD');
      expect(reading).toMatchObject({ code: 'USD', confidence: 0.3 });
      expect(reading.country).toBeUndefined();
    },
  );

  it.each([
    ['SEATTLE WA 98101', 'US'],
    ['BRADFORD BD3 7DL', 'GB'],
    ['LONDON SW1A 1AA', 'GB'],
  ])(
    'given the US or UK address %j, then it is read as %s only, never as Australian, Canadian or Irish',
    (address, country) => {
      expect(currencyOf(receipt(address), 'USD').country).toBe(country);
    },
  );

  it.each([['VISA 5123'], ['D02 2023'], ['Z1B 2C3'], ['M5V 2U6'], ['CASH WA 6000.00']])(
    'given %j (no address), then no Australian, Canadian or Irish country',
    (line) => {
      expect(currencyOf(receipt(line), 'USD').country).toBeUndefined();
    },
  );
});

describe('currency from a VAT number printed in one run', () => {
  it.each(['VAT N0660454836', 'VAT NO: 660454836', 'VAT No 220430231'])(
    "given %j, whose check digits are a UK VAT number's, then GBP",
    (line) => {
      expect(currencyOf(receipt(line), 'USD')).toMatchObject({ code: 'GBP', evidence: 'country GB (VAT id)' });
    },
  );

  it.each(['VAT No.:610282856', 'VAT NO 123456789', 'VAT 20% 3.62 78.56'])(
    'given %j (nine digits that fail the check, as Nepal prints its VAT numbers, or a VAT rate), then no country',
    (line) => {
      expect(currencyOf(receipt(line), 'USD').country).toBeUndefined();
    },
  );
});

describe('currency from a capital or a city of a million ending an address line', () => {
  it.each([
    ['Narephat, Kathmandu', 'NPR', 'NP'],
    ['Shinjuku, Tokyo', 'JPY', 'JP'],
    ['Jl. Sudirman No. 5, Jakarta', 'IDR', 'ID'],
    ['12 MG Road, Bengaluru', 'INR', 'IN'],
  ])(
    'given %j, then %s (country %s) at a confidence that still sends the receipt to review',
    (address, code, country) => {
      const reading = currencyOf(receipt(address), 'USD');
      expect(reading).toMatchObject({ code, country, evidence: `country ${country} (city)` });
      expect(reading.confidence).toBeLessThan(config.reviewConfidence);
      expect(reading.confidence).toBeGreaterThan(currencyOf(receipt(), 'USD').confidence);
    },
  );

  it.each([
    ['TOKYO KITCHEN'],
    ['KATHMANDU MOMO 4.50'],
    ['Kathmandu'],
    ['Chicken, Tokyo style'],
    ['Fried rice, Jakarta 2.50'],
    ['Downtown, Phoenix'],
  ])('given %j (a city not ending an address line, or a common word), then no country', (line) => {
    expect(currencyOf(receipt(line), 'USD')).toMatchObject({ code: 'USD', confidence: 0.3 });
  });

  it('given the city and another mark of its country, then both count; the same address read twice counts once', () => {
    expect(currencyOf(receipt('Narephat, Kathmandu', 'Tel +977 1 4412345'), 'USD')).toMatchObject({
      code: 'NPR',
      confidence: 0.8,
    });
    expect(currencyOf(receipt('Jalan Ampang, Kuala Lumpur'), 'USD').confidence).toBe(
      currencyOf(receipt('Jalan Ampang'), 'USD').confidence,
    );
  });
});

describe('currency from a North American phone number', () => {
  it.each(['(212)947-5180', 'TEL 800-532-2918', '1-800-555-0199', 'Phone: 612.338.0085'])(
    'given %j, then the United States',
    (line) => {
      expect(currencyOf(receipt(line, 'TOTAL $12.00'), 'EUR')).toMatchObject({
        code: 'USD',
        country: 'US',
        evidence: 'country US (phone)',
      });
    },
  );

  it.each([
    'Tel : 607-556 1878',
    'Tel:012-6651783',
    'Tel: 03-7845 8155',
    'BILL 1856-608-9161',
    'Tel. +49 521 123-4567',
  ])("given %j (not North America's), then no United States", (line) => {
    expect(currencyOf(receipt(line), 'USD').evidence).not.toMatch(/country US/);
  });
});

describe('currency from the ids, phones and web addresses of Asia, the Americas and Africa', () => {
  it.each([
    ['사업자번호 123-45-67890', 'KRW', 'country KR (business id)'],
    ['Tel +82 2 123 4567', 'KRW', 'country KR (phone prefix)'],
    ['Tel: +84 28 3822 6789', 'VND', 'country VN (phone prefix)'],
    ['www.phohoa.vn', 'VND', 'country VN (web address)'],
    ['Tel +52 55 1234 5678', 'MXN', 'country MX (phone prefix)'],
    ['Tel +27 21 123 4567', 'ZAR', 'country ZA (phone prefix)'],
    ['www.carrefour.com.ar', 'ARS', 'country AR (web address)'],
  ])('given %j, then %s', (line, code, evidence) => {
    expect(currencyOf(receipt(line), 'USD')).toMatchObject({ code, evidence });
  });

  it.each([
    ['CNPJ: 12.345.678/0001-90', 'BRL'],
    ['RFC: CCO8605231N4', 'MXN'],
    ['CUIT 30-12345678-9', 'ARS'],
    ['R.U.T.: 76.123.456-7', 'CLP'],
    ['RUC: 20123456789', 'PEN'],
  ])('given the tax id %j, then %s', (line, code) => {
    expect(currencyOf(receipt(line), 'USD')).toMatchObject({ code, evidence: expect.stringMatching(/tax id/) });
  });

  it('given ¥ on a Japanese receipt whose kanji the recognizer wrote simplified (单, 计), then the yen, not the yuan', () => {
    expect(currencyOf(receipt('富士山の天然水 2×单66 ￥132', '外税计 181', '合計 ￥2.449'), 'USD').code).toBe('JPY');
    expect(currencyOf(receipt('2×单66 ￥132', '外税8% ￥181'), 'USD').code).toBe('JPY');
    // A full-width ￥ counts before an amount only: read out of a German receipt's noise it names nothing.
    expect(currencyOf(receipt('￥* Kundenbeleg', 'Summe EUR 26,42'), 'USD').code).toBe('EUR');
    // A Chinese receipt in simplified characters stays in yuan.
    expect(currencyOf(receipt('合计 ￥132', '实收 ￥200', '找零 ￥68'), 'USD').code).toBe('CNY');
  });

  it("given Japan's invoice registration number (T and thirteen digits), then Japan", () => {
    expect(currencyOf(receipt('事業者番号：T7-0104-0108-7546'), 'USD')).toMatchObject({ code: 'JPY', country: 'JP' });
    expect(currencyOf(receipt('登録番号 T7010401087546'), 'USD')).toMatchObject({ code: 'JPY', country: 'JP' });
  });

  it('given "S/ 12.50", then the sol; Malaysian "S/9" and "JALAN SS 1S/4B" name none', () => {
    expect(currencyOf(receipt('TOTAL S/ 12.50'), 'USD')).toMatchObject({ code: 'PEN', evidence: 'symbol of PEN' });
    expect(currencyOf(receipt('99 SPEED MART S/9', 'JALAN SS 1S/4B'), 'USD').code).not.toBe('PEN');
  });

  it('given amounts side by side ("336.00 320.00", "12.00 44.50"), then no phone prefix (+32, +44) is read in them', () => {
    expect(currencyOf(receipt('GSTIN 33AAACS1234F1ZK', '336.00 320.00 16.00'), 'USD')).toMatchObject({
      code: 'INR',
      evidence: 'country IN (GSTIN)',
    });
    expect(currencyOf(receipt('ITEM 12.00 44.50'), 'USD').country).toBeUndefined();
  });

  it('given a number of another shape ("123-45-6789", "1234-56-78901"), then no Korea', () => {
    expect(currencyOf(receipt('REF 123-45-6789'), 'USD').country).toBeUndefined();
    expect(currencyOf(receipt('REF 1234-56-78901'), 'USD').country).toBeUndefined();
  });
});

describe('currency from the rupee and the Swiss franc as receipts write them', () => {
  it('given a bare "Rs.", then the Indian rupee as a guess to review; a country named decides which rupee', () => {
    expect(currencyOf(receipt('TOTAL Rs. 250.00'), 'USD')).toMatchObject({ code: 'INR', confidence: 0.5 });
    expect(currencyOf(receipt('TOTAL Rs. 250.00'), 'LKR')).toMatchObject({ code: 'LKR', confidence: 0.5 });
    expect(currencyOf(receipt('Tel: +977-1-4412345', 'TOTAL Rs 250.00'), 'USD')).toMatchObject({ code: 'NPR' });
  });

  it.each(['Total Fr. 12.50', 'TOTAL SFr. 12.50'])('given %j, then Swiss francs', (line) => {
    expect(currencyOf(receipt(line), 'USD')).toMatchObject({ code: 'CHF', evidence: 'symbol of CHF' });
  });

  it('given "Fr." before a date (Freitag, a German Friday), then no franc', () => {
    expect(currencyOf(receipt('Fr. 12.05.2023 14:00'), 'USD').code).not.toBe('CHF');
  });
});

describe('currency from the ids of Nepal and India', () => {
  it('given a Nepali phone number, then rupees of Nepal', () => {
    expect(currencyOf(receipt('Tel: +977-1-4412345'), 'USD')).toMatchObject({
      code: 'NPR',
      evidence: 'country NP (phone prefix)',
    });
  });

  it.each(['GSTIN: 29AAACI1681G1ZK', 'GSTIN 07AAGFF2194N1Z1'])('given the Indian GST number %j, then INR', (line) => {
    expect(currencyOf(receipt(line), 'USD')).toMatchObject({ code: 'INR', evidence: 'country IN (GSTIN)' });
  });

  it.each(['PAN No : 610282856', 'INVOICE 29AAACI1681G1'])('given %j (no GST number), then no country', (line) => {
    expect(currencyOf(receipt(line), 'USD').country).toBeUndefined();
  });
});

describe('rupiah from Indonesian labels and amounts printed without decimals', () => {
  const rows = (...lines: string[]) => ['TOKO', ...lines].join('\n');

  it.each([
    [['NASI GORENG 25000', 'TOTAL 91000', 'CASH 100000', 'KEMBALIAN 9000'], 'one Indonesian label'],
    [['NASI GORENG 25.000', 'TOTAL 91.000', 'TUNAI 100.000', 'KEMBALIAN 9.000'], 'as many Indonesian labels as Malay'],
    [['NASI GORENG 25.000', 'JUMLAH 91.000', 'TUNAI 100.000', 'KEMBALI 9.000'], 'labels Malay and Indonesian share'],
  ])('given %j (%s), then IDR at a low confidence', (lines) => {
    const reading = currencyOf(rows(...lines), 'USD');
    expect(reading).toMatchObject({ code: 'IDR', confidence: 0.4 });
    expect(reading.evidence).toMatch(/whole amounts/);
  });

  it.each([
    [['NASI GORENG 25.00', 'TOTAL 91.00', 'CASH 100.00', 'KEMBALIAN 9.00'], 'amounts with sen'],
    [['NASI GORENG 25.00', 'TOTAL 91.00', 'TUNAI 100.00', 'KEMBALIAN 9.00'], 'amounts with sen'],
    [['TOTAL 91000', 'CASH 100000', 'CHANGE 9000'], 'no Indonesian label'],
    [['TOTAL 91000', 'KEMBALIAN 0'], 'one whole amount only'],
    [['Tanggal 16-07-2021 11:53', 'TOTAL 9'], 'a date, no amount'],
  ])('given %j (%s), then a guess', (lines) => {
    expect(currencyOf(rows(...lines), 'USD')).toMatchObject({ code: 'USD', confidence: 0.3 });
  });

  it('given Malay labels and amounts with sen, then still ringgit', () => {
    expect(currencyOf(rows('JUMLAH 91.00', 'TUNAI 100.00', 'BAKI 9.00'), 'USD').code).toBe('MYR');
  });
});
