import { describe, expect, it } from 'vitest';
import { cleanName, oneDigitApart, readLayout, type TextLine } from '../../../../functions/ocr/layout-rules.ts';

/** One printed row as OCR lines: the label on the left, the amount on the right. */
function receipt(rows: Array<string | [string, string]>): TextLine[] {
  return rows.flatMap((row, i) => {
    const top = 0.05 + i * 0.03;
    const at = (text: string, left: number): TextLine => ({
      text,
      confidence: 0.95,
      page: 1,
      box: { left, top, width: 0.3, height: 0.02 },
    });
    return typeof row === 'string' ? [at(row, 0.1)] : [at(row[0], 0.1), at(row[1], 0.7)];
  });
}
const today = new Date('2026-11-24T12:00:00Z');
const totalOf = (rows: Array<string | [string, string]>) =>
  readLayout(receipt(rows), 'DMY', today, 'MYR').total?.amount;

describe('layout rules: rounded cash totals', () => {
  it('given a total, a signed rounding adjustment and the rounded total, then the rounded total is what is owed', () => {
    expect(
      totalOf([
        'CW HARDWARE SDN BHD',
        ['Net Total (MYR):', '19.01'],
        ['Rounding Adj.:', '-0.01'],
        ['Net Total Rounded (MYR) :', '19.00'],
        ['Cash', '19.00'],
        ['Change', '0.00'],
      ]),
    ).toBe(1900);
  });

  it('given an adjustment OCR read without its sign or zero, then the sum printed below it (what was paid) decides', () => {
    expect(
      totalOf([
        '99 SPEED MART S/B',
        ['Total Sales (Inclusive GST) RM', '45.34'],
        ['Rounding Adjustment RM', '.01'],
        ['Rounding RM', '45.35'],
        ['CREDIT RM', '45.35'],
      ]),
    ).toBe(4535);
  });

  it('given a rounding whose label and adjustment OCR garbled, then the rounded amount printed below the total is owed', () => {
    expect(
      totalOf([
        'KEDAI MAJU',
        ['Total Sales (Inclusive GST) RM', '42.33'],
        ['Rourding Adjustment RM', '.02'],
        ['Rounding RM', '42.35'],
        ['CREDIT RM', '42.35'],
      ]),
    ).toBe(4235);
    expect(
      totalOf([
        'KEDAI MAJU',
        ['Total Sales Incl GST', '46.54'],
        ['Rounding Adj', '6.01'],
        ['Total After Adj Incl GST', '46.55'],
        ['CASH', '100.00'],
        ['Change Amt', '53.45'],
      ]),
    ).toBe(4655);
  });

  it('given an amount a few cents from the total but no rounding mentioned, then the total stays as printed', () => {
    expect(totalOf(['SHOP', ['TOTAL', '12.33'], ['CASH', '12.35'], ['CHANGE', '0.02']])).toBe(1233);
  });

  it('given a rounding mentioned only after the change, then the total stays as printed', () => {
    expect(totalOf(['SHOP', ['TOTAL', '12.33'], ['CASH', '20.00'], ['CHANGE', '7.65'], ['Rounding', '12.35']])).toBe(
      1233,
    );
  });

  it('given a rounding adjustment whose result is printed nowhere, then the total stays as printed', () => {
    expect(totalOf(['SHOP', ['TOTAL', '12.34'], ['Rounding', '0.01'], ['Thank you', '']])).toBe(1234);
  });

  it('given no rounding row, then the total is the owed row as before', () => {
    expect(
      totalOf([
        'SHOP',
        ['Sub Total', '10.00'],
        ['GST 6%', '0.60'],
        ['TOTAL', '10.60'],
        ['CASH', '20.00'],
        ['CHANGE', '9.40'],
      ]),
    ).toBe(1060);
  });
});

describe('layout rules: rows', () => {
  it('given a note written large across the total rows, then the rows stay apart and the cash is not the total', () => {
    const lines = receipt([
      'MR D.I.Y. (JOHOR) SDN BHD',
      ['TOTAL', 'RM 33.92'],
      ['ROUNDING ADJUSTMENT', '-RM 0.02'],
      ['TOTAL ROUNDED', 'RM 33.90'],
      ['CASH', 'RM 50.00'],
      ['CHANGE', 'RM 16.10'],
    ]);
    // "33-30" written by hand, nearly three times the print's height, over the rounded total and the cash.
    lines.push({ text: '33-30', confidence: 0.9, page: 1, box: { left: 0.45, top: 0.13, width: 0.2, height: 0.056 } });
    expect(readLayout(lines, 'DMY', today, 'MYR').total?.amount).toBe(3390);
  });
});

describe('layout rules: names', () => {
  it.each([
    ['AEON C0.(M)BHD', 'AEON CO. (M) BHD'],
    ['TasteOfTheWorId Sdn Bhd', 'TasteOfTheWorld Sdn Bhd'],
    ['99 SPEED MART S/B', '99 SPEED MART S/B'],
    ['GST NO 000584089600', 'GST NO 000584089600'],
    ['ROOM 101 CAFE', 'ROOM 101 CAFE'],
  ])('given %s, then %s (look-alike characters among letters only)', (read, name) => {
    expect(cleanName(read)).toBe(name);
  });

  it('given a receipt headed by a company name with a zero read for an O, then the merchant has the O', () => {
    expect(
      readLayout(receipt(['AEON C0. (M) BHD', 'No.3, Jalan Kiara', ['TOTAL', '9.90']]), 'DMY', today, 'MYR').merchant
        ?.text,
    ).toBe('AEON CO. (M) BHD');
  });
});

describe('layout rules: the merchant', () => {
  const merchantOf = (rows: Array<string | [string, string]>) =>
    readLayout(receipt(rows), 'DMY', today, 'EUR').merchant?.text;

  it("given a chain's logo over a row naming only a kind of shop, then the chain is the merchant", () => {
    const rows = ['20.05.2020 14:47 Kasse 01', ['Total', '17,33']] as Array<string | [string, string]>;
    expect(merchantOf(['R SSMANN', 'Mein Drogeriemarkt', ...rows])).toBe('ROSSMANN');
    // A trading or legal name under a chain's sign is the business's own ("BHPetrol" / "Esjay Fuel Enterprise").
    expect(merchantOf(['BHPetrol Permas Jaya 2', 'Esjay Fuel Enterprise', ...rows])).toBe('Esjay Fuel Enterprise');
  });

  it("given a chain's name heading the receipt and its operator's legal name only in the footer, then the chain is the merchant", () => {
    const rows: Array<string | [string, string]> = [
      "DOMINO'S PIZZA",
      'No.12, Jalan Permas Jaya 10',
      'Order Time :10:15:18 Date :17/04/18',
      ['Grand Total :', '3.90'],
      'Owned by',
      'Dommal Food Services Sdn Bhd',
    ];
    expect(merchantOf(rows)).toBe("DOMINO'S PIZZA");
    // A head naming no chain still leaves the legal name printed further down to be the merchant.
    expect(merchantOf(['Order Time :10:15:18', ['Grand Total :', '3.90'], 'Dommal Food Services Sdn Bhd'])).toBe(
      'Dommal Food Services Sdn Bhd',
    );
  });

  it('given a Finnish receipt whose name is only a logo, then no merchant rather than its street, phone or title', () => {
    const head = ['Bulevardi 6', '00120 Helsinki', 'Puh.010 3229381', 'LASKU', 'Kuitti: 1523 Kassa: 02'];
    expect(merchantOf([...head, ['Yhteensä', '164,00']])).toBeUndefined();
    expect(merchantOf(['Mannerheimintie 12', 'Drottninggatan 53', 'Keizersgracht 1', 'ul. Długa 5', 'KVITTO'])).toBe(
      undefined,
    );
  });

  it('given a name printed with its registration code over an Estonian street, then the name', () => {
    const head = ['ABC Supermarkets AS Reg.kood 10714195', 'Estonia pst. 9 10143 Tallinn', 'Tel.663 1334'];
    expect(merchantOf([...head, ['KOKKU', '41,95']])).toBe('ABC Supermarkets AS');
    // A title printed beside its tax word is still no name ("SIMPLIFIED TAX INVOICE").
    expect(merchantOf(['SIMPLIFIED TAX INVOICE', 'SIN THYE & COMPANY', ['TOTAL', '4.00']])).toBe('SIN THYE & COMPANY');
  });

  it('given a fuel station whose logo is unread, then its street ("RUMMU TEE 2") is no merchant', () => {
    expect(merchantOf(['TALLINN, RUMMU TEE 2', 'NESTE EESTI AS', 'SOPRUSE PST. 155 TALLINN', ['KOKKU', '40,82']])).toBe(
      'NESTE EESTI AS',
    );
  });

  it('given a cash and carry under a scrap of the receipt before it, then the cash and carry is the merchant', () => {
    expect(merchantOf(['POSTEL', 'FIVE STAR CASH & CARRY', '(1365663-P)', ['TOTAL', '4.00']])).toBe(
      'FIVE STAR CASH & CARRY',
    );
  });

  it('given the country closing the address ("MALAYSIA"), then the name above it is the merchant, not the country', () => {
    const head = ['GL HANDICRAFT & TAILORING', '19, JALAN KANCIL,', '55100 KUALA LUMPUR', 'MALAYSIA'];
    expect(merchantOf([...head, ['Total', '102.00']])).toBe('GL HANDICRAFT & TAILORING');
  });

  it('given a chain\'s name with its store number ("ALBERT HEIJN 1234"), then it is the merchant, not a street', () => {
    const rows: Array<string | [string, string]> = [
      ['TOTAAL', '12,50'],
      ['PIN', '12,50'],
    ];
    expect(merchantOf(['ALBERT HEIJN 1234', 'Kalverstraat 1', 'Amsterdam', ...rows])).toBe('ALBERT HEIJN');
    expect(merchantOf(['Pohlweg 110', 'BÄCKEREI MÜLLER', ...rows])).toBe('BÄCKEREI MÜLLER');
  });

  it("given a legal name of business words only under a chain's sign, then the sign begins the name", () => {
    const rows: Array<string | [string, string]> = [
      ['TOTAL', '£12.50'],
      ['CASH', '£20.00'],
    ];
    expect(merchantOf(["Sainsbury's", 'Supermarkets Ltd', '33 Holborn', ...rows])).toBe("Sainsbury's Supermarkets Ltd");
    expect(merchantOf(['Boots', 'Boots UK Limited', ...rows])).toBe('Boots UK Limited');
    expect(merchantOf(['Desa Park City', 'Golden Scoop Sdn Bhd', ...rows])).toBe('Golden Scoop Sdn Bhd');
  });

  it('given a weighed item ("ZUCCHINE KG") whose price OCR ran into the tax rate, then it is no company', () => {
    expect(merchantOf(['COOP', 'Via Roma 12, Bologna', 'ZUCCHINE KG 2,294%', ['TOTALE', '2,29']])).toBe('COOP');
    expect(merchantOf(['Muster Handels GmbH & Co. KG', 'Hauptstr. 1', ['SUMME', '2,29']])).toBe(
      'Muster Handels GmbH & Co. KG',
    );
  });

  it('given an item whose name looks like a business ("CAFE CREME 3.80"), then the name at the head is the merchant, not the item', () => {
    expect(
      merchantOf([
        'CORNER BAKERY',
        '12 Rue de la Paix, Lyon',
        'DATE: 14/11/2026 08:12',
        'CROISSANT 2.40',
        'CAFE CREME 3.80',
        'TOTAL EUR 8.80',
      ]),
    ).toBe('CORNER BAKERY');
  });

  it('given a street address under the name with a business word in it ("88 MARKET ST"), then the name alone', () => {
    expect(
      merchantOf(['BLUE PLATE GRILL', '88 MARKET ST', 'SAN FRANCISCO CA', ['BURGER', '13.95'], ['TOTAL', '13.95']]),
    ).toBe('BLUE PLATE GRILL');
  });

  it('given a business name at the head, then it wins over a plainer first row', () => {
    expect(merchantOf(['WELCOME', 'KEDAI RUNCIT MART', 'Jalan 3, Taman Jaya', ['TOTAL', '5.00']])).toBe(
      'KEDAI RUNCIT MART',
    );
  });
});

describe('layout rules: what was handed over is not the total', () => {
  it('given "Paid Amount" larger than the total payable, then the total is what is payable', () => {
    expect(
      totalOf([
        'KEDAI BUKU MAJU SDN BHD',
        ['Total Amt Incl. GST @ 6%:', '42.40'],
        ['Total Amt Payable :', '42.40'],
        ['Paid Amount:', '50.00'],
        ['Change :', '7.60'],
      ]),
    ).toBe(4240);
  });

  it.each([
    ['Amount Incl. GST', 'Accepted total'],
    ['Anount Incl. GST', 'Accapted total'],
  ])('given a parking machine\'s "%s" and "%s" (what was put in), then the amount is the total', (amount, accepted) => {
    expect(totalOf(['CITY PARKING SDN BHD', [amount, '5.00 RM'], [accepted, '10.00 RM'], ['Change', '5.00 RM']])).toBe(
      500,
    );
  });

  it('given "Amount Tendered" and a plain "Amount" total, then the plain one is the total', () => {
    expect(totalOf(['CORNER SHOP', ['Amount', '8.50'], ['Amount Tendered', '10.00'], ['Change', '1.50']])).toBe(850);
  });

  it('given the tax summary\'s "TAX TOTALS" under a total OCR read without its point, then cash less change is the total', () => {
    expect(
      totalOf([
        'SHOP',
        ['SUB-TOTAL', '6.60'],
        ['TOTAL', '700'],
        ['CASH', '7.00'],
        ['CHANGE', '0.00'],
        ['TAX TOTALS', '0.40'],
      ]),
    ).toBe(700);
  });

  it('given a total row whose amount OCR read without its decimals ("25."), then it borrows no amount from the row below', () => {
    expect(totalOf(['SHOP', ['SubTotal', '25.00'], ['Net Total', '25.'], ['C', '50.00'], ['GE', '25.00']])).toBe(2500);
  });

  it('given a tax line labelled payable, then it is not the total', () => {
    expect(totalOf(['SHOP', ['GST Payable:', '0.60'], ['TOTAL:', '10.60'], ['CASH:', '10.60']])).toBe(1060);
  });
});

describe('layout rules: a name printed over two rows', () => {
  const merchantOf = (rows: Array<string | [string, string]>) =>
    readLayout(receipt(rows), 'DMY', today, 'MYR').merchant?.text;

  it('given a name row ending in "&", then the next row completes the name', () => {
    expect(merchantOf(['NORTH STAR PAINT &', 'TILES', 'NO. 5, JALAN BESAR 3', ['TOTAL', '12.00']])).toBe(
      'NORTH STAR PAINT & TILES',
    );
  });

  it('given a row with the legal form under a name without one, then they are one name', () => {
    expect(
      merchantOf([
        'BINTANG HARDWARE',
        'TRADING (KAJANG) SDN BHD',
        '(123456-A)',
        'LOT 7, JALAN MAJU',
        ['TOTAL', '3.00'],
      ]),
    ).toBe('BINTANG HARDWARE TRADING (KAJANG) SDN BHD');
  });

  it('given a name over three rows whose first row OCR misread, then the rows are one name', () => {
    expect(
      merchantOf(['BINTANG HARDWAPE', 'ENTERPRISE (KAJANG', 'BARU) SDN BHD', '(123456-A)', ['TOTAL', '3.00']]),
    ).toBe('BINTANG HARDWAPE ENTERPRISE (KAJANG BARU) SDN BHD');
  });

  it('given a row closing a bracket OCR read without its opening, then it continues the name', () => {
    expect(
      merchantOf(['BINTANG HARDWARE', 'ENTERPRISF LKAJANG', 'BARU) SDN BHD', 'LOT 7, JALAN MAJU', ['TOTAL', '3.00']]),
    ).toBe('BINTANG HARDWARE ENTERPRISE (KAJANG BARU) SDN BHD');
  });

  it('given the name and the address printed side by side in one row, then the name up to its legal form', () => {
    expect(
      merchantOf([
        'PELANGI PRINTS SDN BHD No: 28, JALAN ASTANA 1C,',
        'KLANG SELANGOR, MALAYSIA',
        'GST No.:000123456789',
        'CREDIT NOTE',
        ['TOTAL', '3.00'],
      ]),
    ).toBe('PELANGI PRINTS SDN BHD');
  });

  it('given a scrap OCR read after the legal form, then the name ends at the legal form', () => {
    expect(merchantOf(['BINTANG TRADING SDN BHD SE', 'LOT 7, JALAN MAJU', ['TOTAL', '3.00']])).toBe(
      'BINTANG TRADING SDN BHD',
    );
    expect(merchantOf(['Kaffeehaus GmbH & Co. KG', 'Hauptstr. 5', ['SUMME', '3,00']])).toBe('Kaffeehaus GmbH & Co. KG');
  });

  it('given a name that already ends in its legal form, then the row under it is not added', () => {
    expect(merchantOf(['MAJU HARDWARE SDN BHD', 'TRADING HOURS 9AM-6PM', 'LOT 7, JALAN MAJU', ['TOTAL', '3.00']])).toBe(
      'MAJU HARDWARE SDN BHD',
    );
  });

  it("given the previous receipt's policy footer caught above the head, then the name below is the merchant", () => {
    expect(
      merchantOf([
        'GOODS SOLD ARE NOT RETURNABLE THANK YOU',
        'MAJU CASH & CARRY',
        'NO. 5, JALAN BESAR 3',
        ['TOTAL', '2.00'],
      ]),
    ).toBe('MAJU CASH & CARRY');
  });
});

describe('layout rules: totals as OCR misreads them', () => {
  it.each([
    ['jotal Sales (Incl. GST @6%) RM367.10', 36710],
    ['Tolal Sales 21.20', 2120],
    ['TOTAL RM5:O0', 500],
    ['TOTAL RMO.50', 50],
    ['Total 12.O5', 1205],
    ['8 TOTAL. 26 .50', 2650],
    ['TOTAL 73. 00', 7300],
  ])('given %j, then the total is %d', (row, amount) => {
    expect(totalOf(['KEDAI MAJU', row, ['CASH', '500.00'], ['CHANGE', '1.00']])).toBe(amount);
  });

  it('given a time beside a total with no currency, then no colon is read as a point', () => {
    expect(totalOf(['KEDAI MAJU', 'TOTAL 12:30', ['TOTAL', '8.00']])).toBe(800);
  });

  it('given a tax row that mentions the total ("GST @6% included in total RM 0.49"), then the total is the total row', () => {
    expect(
      totalOf([
        'KEDAI MAJU',
        'TOTAL INCL. GST@6% RM 8.60',
        'CASH RM 20.00',
        'CHANGE RM 11.40',
        'GST @6% included in total RM 0.49',
      ]),
    ).toBe(860);
  });

  it('given "Total Paid" above the change, then it is what was paid, not the total', () => {
    expect(totalOf(['BAKERY', ['Total', 'RM21.85'], ['Total Paid', 'RM50.00'], ['Change', 'RM28.15']])).toBe(2185);
  });

  it('given a count OCR read as "lotal Qty 1.00", then it is no total', () => {
    expect(totalOf(['RESTORAN', ['lotal Qty', '1.00'], ['TOTAL', '15.00'], ['CASH', '15.00']])).toBe(1500);
  });

  it('given a Chinese receipt, then 合计 is the total and what was received (实收) and the change (找零) are not', () => {
    const rows: Array<string | [string, string]> = [
      ['可口可乐 330ml', '3.50'],
      ['本单合计', '¥25.00'],
    ];
    expect(totalOf(['华联超市', ...rows, ['实收', '¥50.00'], ['找零', '¥25.00']])).toBe(2500);
    expect(totalOf(['全家便利商店', '商品數量 2', ['應收金額', '128'], ['現金', '200'], ['找零', '72']])).not.toBe(
      20000,
    );
  });

  it('given thousands grouped by spaces or apostrophes, then the whole amount is read', () => {
    const layout = (rows: Array<string | [string, string]>, currency: string) =>
      readLayout(receipt(rows), 'DMY', today, currency).total?.amount;
    expect(layout(['DARTY', ['TV OLED 55"', '1 299,00'], ['TOTAL TTC', '1 299,00 €'], ['CB', '1 299,00']], 'EUR')).toBe(
      129900,
    );
    expect(layout(['TESCO', ['Kenyér', '459 Ft'], ['Összesen:', '12 345 Ft']], 'HUF')).toBe(1234500);
    expect(layout(['Migros', ['Total CHF', "1'234.50"], ['Bar', "1'300.00"], ['Rückgeld', '65.50']], 'CHF')).toBe(
      123450,
    );
    expect(layout(['BOULANGERIE', ['TOTAL', '12€50']], 'EUR')).toBe(1250);
    // A count before a price on a receipt with decimal points is no thousands group.
    expect(layout(['KEDAI', ['TOTAL 2', '100.00'], ['CASH', '100.00']], 'MYR')).toBe(10000);
  });

  it('given a receipt that prints no decimals and no currency, then its whole-hundreds total is read in whole units', () => {
    const items: Array<[string, string]> = [
      ['J.STB PROMO', '17500'],
      ['Y.B.BAT', '46000'],
      ['Y.BASO PROM', '27500'],
    ];
    const rows = ['TOTAL 91000', 'CASH 91000'];
    expect(readLayout(receipt([...items, ...rows]), 'DMY', today, 'USD').total?.amount).toBe(9100000);
    // The same with cents printed anywhere is a receipt whose decimal point OCR lost on one row: no total is made up.
    expect(readLayout(receipt([['COFFEE', '4.50'], 'TOTAL 1200']), 'DMY', today, 'USD').total?.amount).not.toBe(120000);
  });

  it('given two total rows one digit apart, then the amount the receipt prints more often is the total', () => {
    const items: Array<[string, string]> = [['1 SR 9566405112206 11 5.80', '63.80']];
    const rows: Array<[string, string]> = [
      ['Total :', '63.80'],
      ['Total sales inclusive GST @6%:', '83.80'],
    ];
    expect(totalOf(['KEDAI MAJU', ...items, ...rows, ['Master Card', '63.80']])).toBe(6380);
  });

  it('given totals before and after a tax that tells them apart, then the larger is the total', () => {
    const items: Array<[string, string]> = [['HM BAG 040', '18.00']];
    const rows: Array<[string, string]> = [
      ['Total', '18.00'],
      ['GST 6%', '1.00'],
      ['Total incl. GST', '19.00'],
    ];
    expect(totalOf(['KEDAI MAJU', ...items, ...rows, ['CASH', '20.00'], ['CHANGE', '1.00']])).toBe(1900);
  });

  it('given a count printed on the total\'s row ("Qty : 1   Total RM 11.60"), then that row is the total', () => {
    const rows: Array<[string, string]> = [
      ['Qty : 1 Total RM', '11.60'],
      ['CASH', '12.00'],
      ['Change', '0.40'],
    ];
    expect(totalOf(['KFA SUPPLY', ...rows, 'GST Summary', ['Total 10.94', '0.66']])).toBe(1160);
  });

  it('given a total label with no amount and a payment with no change printed, then what was paid, less sure', () => {
    const lines = receipt(['PETROL STATION', ['PPF P1 1.000 6', '6.00'], 'TOTAL AMOUNT', ['CASH RM', '6.00']]);
    const total = readLayout(lines, 'DMY', today, 'MYR').total;
    expect(total?.amount).toBe(600);
    expect(total!.confidence).toBeLessThan(0.6);
  });
});

describe('layout rules: totals on skewed photos and comped bills', () => {
  it('given a total label whose amount a tilted photo put on the row above, then that amount, less sure', () => {
    const lines = receipt(['PASTA CASA', ['1 Espresso', '3.50'], 'Euro 122.10', 'Tot', 'Total HT Tva']);
    const total = readLayout(lines, 'DMY', today, 'EUR').total;
    expect(total?.amount).toBe(12210);
    expect(total!.confidence).toBeLessThan(0.8);
  });

  it('given the amount both below and above a bare label, then the one below', () => {
    expect(totalOf(['SHOP', 'RM 3.00', 'TOTAL', 'RM 9.00', 'THANK YOU'])).toBe(900);
  });

  it('given a comped bill whose only total is 0.00, then the total is zero, to be reviewed', () => {
    const lines = receipt(['GRILL HOUSE', ['Scallops, Lunch', '12.95'], ['Manager Comp', '-12.95'], ['Total', '0.00']]);
    const total = readLayout(lines, 'DMY', today, 'USD').total;
    expect(total?.amount).toBe(0);
    expect(total!.confidence).toBeLessThan(0.6);
  });

  it('given a balance due of 0.00 after a positive total, then the positive total', () => {
    expect(totalOf(['SHOP', ['TOTAL', '25.00'], ['VISA', '25.00'], ['BALANCE DUE', '0.00']])).toBe(2500);
  });
});

/**
 * A receipt photographed tilted: each row runs down to the right by `slope` (page fractions
 * down per page width across), so an amount at the right edge sits level with the next row's
 * label at the left. Every line carries its corners, as the engine and Textract give them.
 */
function tilted(rows: Array<[string, string]>, slope: number): TextLine[] {
  const height = 0.02;
  const line = (text: string, left: number, width: number, top: number): TextLine => {
    const [y0, y1] = [top + slope * left, top + slope * (left + width)];
    return {
      text,
      confidence: 0.95,
      page: 1,
      box: { left, top: Math.min(y0, y1), width, height: Math.abs(y1 - y0) + height },
      polygon: [
        { x: left, y: y0 },
        { x: left + width, y: y1 },
        { x: left + width, y: y1 + height },
        { x: left, y: y0 + height },
      ],
    };
  };
  return rows.flatMap(([label, amount], i) => {
    const top = 0.1 + i * 0.03;
    return [line(label, 0.1, 0.3, top), line(amount, 0.7, 0.15, top)];
  });
}

describe('layout rules: rows of a tilted photo', () => {
  const bill: Array<[string, string]> = [
    ['FISH AND CHIPS', '16.50'],
    ['SUNDAY ROAST BEEF', '18.95'],
    ['SUBTOTAL', '60.30'],
    ['OPTIONAL SERVICE 12.5%', '7.54'],
    ['TOTAL', '67.84'],
    ['CONTACTLESS', '67.84'],
  ];

  it.each([0.04, -0.04])('given rows slanting by %d, then each amount stays on its label’s row', (slope) => {
    const reading = readLayout(tilted(bill, slope), 'DMY', today, 'GBP');
    expect(reading.rows.map((r) => r.text)).toEqual(bill.map(([label, amount]) => `${label} ${amount}`));
    expect(reading.total?.amount).toBe(6784);
  });

  it('given lines whose corners are upright, then rows as their boxes make them', () => {
    const reading = readLayout(tilted(bill, 0), 'DMY', today, 'GBP');
    expect(reading.rows).toHaveLength(bill.length);
    expect(reading.total?.amount).toBe(6784);
  });
});

describe('layout rules: net amount abbreviated', () => {
  it('given "Net Amt" after a gross amount and its taxes, then the net amount is what is owed', () => {
    expect(
      totalOf([
        'KEDAI MAJU',
        ['Gross Amt :', '47.80'],
        ['Svc Tax', '2.87'],
        ['GST (6%) :', '2.86'],
        ['Net Amt :', '53.55'],
      ]),
    ).toBe(5355);
  });
});

describe('layout rules: choosing the name row', () => {
  /** Rows with their own confidence; a row given as several strings is several lines at one height. */
  function rowsAt(rows: Array<{ lines: string[]; confidence?: number }>): TextLine[] {
    return rows.flatMap((row, i) =>
      row.lines.map((text, j) => ({
        text,
        confidence: row.confidence ?? 0.95,
        page: 1,
        box: { left: 0.05 + j * 0.32, top: 0.05 + i * 0.03, width: 0.3, height: 0.02 },
      })),
    );
  }
  const merchantOf = (rows: Array<{ lines: string[]; confidence?: number }>) =>
    readLayout(rowsAt(rows), 'DMY', today, 'EUR').merchant?.text;

  it('given a name written by hand in small letters above the printed one, then the printed name', () => {
    expect(
      merchantOf([
        { lines: ['lim ah kow'], confidence: 0.99 },
        { lines: ['BUNGA RAYA GIFT & DECO'] },
        { lines: ['12, JALAN MAWAR 3'] },
        { lines: ['TOTAL', '12.00'] },
      ]),
    ).toBe('BUNGA RAYA GIFT & DECO');
  });

  it('given a brand printed in small letters over a slogan in small letters, then the brand', () => {
    expect(
      merchantOf([{ lines: ['frisch mal anders'] }, { lines: ['Gute Dinge seit 1950'] }, { lines: ['SUMME', '3,00'] }]),
    ).toBe('frisch mal anders');
  });

  it('given a lower-case brand of one word, then it is still the name', () => {
    expect(merchantOf([{ lines: ['mio'] }, { lines: ['Am Ring 12'] }, { lines: ['SUMME', '3,00'] }])).toBe('mio');
  });

  it('given a name ending in a single digit, then it is a name, not a street and house number', () => {
    expect(
      merchantOf([
        { lines: ['Petro Maju Jaya 2'] },
        { lines: ['LOT 7, JALAN MAJU'] },
        { lines: ['PREPAY CHIT NUMBER'] },
        { lines: ['TOTAL', '50.00'] },
      ]),
    ).toBe('Petro Maju Jaya 2');
    expect(merchantOf([{ lines: ['Hofweg 12'] }, { lines: ['Backstube Linde'] }, { lines: ['SUMME', '3,00'] }])).toBe(
      'Backstube Linde',
    );
  });

  it('given no name at the head, then a legal name printed as one line of a row beside the phone and address', () => {
    expect(
      merchantOf([
        { lines: ['BROT 1,99 A'] },
        { lines: ['MILCH 0,99 A'] },
        { lines: ['SUMME', '2,98'] },
        { lines: ['Tel.: 0521/12345', 'Hauptstr. 5', 'Frischmarkt GmbH'] },
      ]),
    ).toBe('Frischmarkt GmbH');
  });

  it('given a units heading "kg EURO/kg EURO" and a legal name in the footer, then the legal name, not the unit', () => {
    expect(
      merchantOf([
        { lines: ['BROT 1,99 A'] },
        { lines: ['MILCH 0,99 A'] },
        { lines: ['kg', 'EURO/kg', 'EURO'] },
        { lines: ['SUMME', '2,98'] },
        { lines: ['Frischmarkt GmbH & Co. KG, Essen'] },
      ]),
    ).toBe('Frischmarkt GmbH & Co. KG');
  });
});

describe("layout rules: a total against the receipt's own arithmetic", () => {
  it.each([
    [19419, 9419, true],
    [5180, 5188, true],
    [8400, 9400, true],
    [1060, 1000, true],
    [1234, 4321, false],
    [1000, 100000, false],
    [500, 500, false],
  ])('given %d and %d, then one digit apart: %s', (a, b, apart) => {
    expect(oneDigitApart(a, b)).toBe(apart);
  });

  it('given a total one digit off subtotal plus tax, then subtotal plus tax', () => {
    expect(
      totalOf(['KEDAI MAJU', ['SUB-TOTAL', '92.50'], ['GST', '1.50'], ['TOTAL', '84.00'], ['CASH', '84.00']]),
    ).toBe(9400);
  });

  it('given a total one digit off what was paid less the change, then paid less change', () => {
    expect(totalOf(['KEDAI MAJU', ['TOTAL', '27.80'], ['CASH', '50.00'], ['CHANGE', '22.60']])).toBe(2740);
  });

  it('given a total one digit off the two part totals printed above it, then their sum', () => {
    expect(
      totalOf([
        'ROTI MAJU SDN BHD',
        ['Total 6% supplies (Inc. GST):', '73.52'],
        ['Total 0% supplies:', '20.67'],
        ['Total Payable:', '194.19'],
      ]),
    ).toBe(9419);
  });

  it('given a tax-inclusive receipt (the subtotal is the total), then the total stays as printed', () => {
    expect(totalOf(['SHOP', ['SUBTOTAL', '10.00'], ['GST 6%', '0.60'], ['TOTAL', '10.00']])).toBe(1000);
  });

  it('given a discount between the subtotal and the total, then the total stays as printed', () => {
    expect(totalOf(['SHOP', ['SUBTOTAL', '12.00'], ['DISCOUNT', '-2.00'], ['TAX', '0.60'], ['TOTAL', '10.60']])).toBe(
      1060,
    );
  });

  it('given the cash charged, then the cash received and the change, then what was received less the change checks the total', () => {
    expect(
      totalOf(['KEDAI MAJU', ['TOTAL', '71.00'], ['Cash', '71.00'], ['Cash Received', '101.00'], ['Change', '30.00']]),
    ).toBe(7100);
  });

  it('given labels in a script the recognizer cannot read (합계, 카드), then the amount printed on two rows close together, to review', () => {
    const rows = ['2023-05-12 12:30', ['2', '24,000'], ['1', '28,000'], ['', '76,000'], ['', '76,000']] as Array<
      string | [string, string]
    >;
    const total = readLayout(receipt(rows), 'YMD', today, 'KRW').total;
    expect(total?.amount).toBe(76000);
    expect(total?.confidence).toBeLessThan(0.6);
    // Amounts that never repeat give no total rather than a guess.
    expect(
      readLayout(receipt(['12.05.2023', ['', '134.90'], ['', '200.00'], ['', '65.10']]), 'DMY', today, 'EUR').total,
    ).toBe(undefined);
  });

  it('given a total whose decimal comma OCR lost, then the payment printed with it below is the total', () => {
    expect(totalOf(['RISTORANTE', ['Menu Carta', '4,00'], ['TOTALE EURO', '6900'], ['CONTANTI', '69,00']])).toBe(6900);
  });

  it('given paid less change a few cents off the total (a cash rounding), then the total stays as printed', () => {
    expect(totalOf(['SHOP', ['TOTAL', '12.32'], ['CASH', '20.00'], ['CHANGE', '7.70']])).toBe(1232);
  });
});
