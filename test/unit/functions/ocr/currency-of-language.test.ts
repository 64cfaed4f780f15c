import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import { currencyOf } from '../../../../functions/ocr/currency-evidence.ts';
import { parseAnalyzeExpense } from '../../../../functions/ocr/parse-analyze-expense.ts';
import { config } from '../../../../functions/shared/config.ts';
import { analyzeExpenseResponse } from '../../../../local/textract.ts';

/**
 * A receipt that prints no currency but labels its rows in one language: the language suggests
 * the currency, weakly (the receipt is still reviewed), and any printed symbol, code or country
 * decides instead. The lines are made up.
 */
const german = [
  'DROGERIE MARKT',
  'Shampoo 2,95 A',
  'Zahnpasta 1,45 A',
  'Summe 4,40',
  'Bar 5,00',
  'Rückgeld 0,60',
  'MwSt 19% 0,70',
];
const lines = (rows: string[]) => rows.join('\n');

describe('currency from the language of the labels', () => {
  it('given German labels and no currency, then EUR at a confidence that still sends the receipt to review', () => {
    const c = currencyOf(lines(german), 'USD');
    expect(c.code).toBe('EUR');
    expect(c.confidence).toBeLessThan(config.reviewConfidence);
    expect(c.confidence).toBeGreaterThan(currencyOf('TOTAL 4.40', 'USD').confidence);
    expect(c.evidence).toMatch(/language de/);
  });

  it('given German labels and CHF printed, then CHF', () => {
    expect(currencyOf(lines([...german.slice(0, 3), 'Summe CHF 4,40', ...german.slice(4)]), 'USD').code).toBe('CHF');
  });

  it('given German labels and a Swiss VAT id, then CHF', () => {
    expect(currencyOf(lines([...german, 'MWST-Nr CHE-123.456.789']), 'USD').code).toBe('CHF');
  });

  it('given an explicit "$" or "€" or code, then that wins over the language', () => {
    expect(currencyOf(lines([...german, 'Summe $ 4,40']), 'USD').code).toBe('USD');
    expect(currencyOf(lines(['JUMLAH 12.50', 'TUNAI 20.00', 'BAKI 7.50', 'TOTAL EUR 12.50']), 'USD').code).toBe('EUR');
    expect(currencyOf(lines(['Totaal 12,50', 'Wisselgeld 7,50', 'Betaald £ 20,00']), 'USD').code).toBe('GBP');
  });

  it.each([
    ['Malay', ['KEDAI RUNCIT', 'JUMLAH 12.50', 'TUNAI 20.00', 'BAKI 7.50', 'CUKAI 0.00'], 'MYR'],
    ['Indonesian', ['TOKO MAKMUR', 'TOTAL BELANJA 12.500', 'TUNAI 20.000', 'KEMBALIAN 7.500', 'DISKON 0'], 'IDR'],
    ['French', ['BOULANGERIE', 'Total TTC 4,40', 'Espèces 5,00', 'Rendu 0,60', 'dont TVA 0,23'], 'EUR'],
    ['Dutch', ['BAKKERIJ', 'Totaal 4,40', 'Contant 5,00', 'Wisselgeld 0,60', 'BTW 9% 0,36'], 'EUR'],
    ['Polish', ['SKLEP', 'Suma PTU 0,82', 'Razem 4,40', 'Gotówka 5,00', 'Reszta 0,60'], 'PLN'],
    ['Swedish', ['BUTIK', 'Att betala 44,00', 'Kontant 50,00', 'Växel 6,00', 'Moms 8,80'], 'SEK'],
    ['Turkish', ['MARKET', 'TOPLAM 44,00', 'NAKİT 50,00', 'PARA ÜSTÜ 6,00', 'TOPKDV 4,00'], 'TRY'],
  ])('given %s labels and no currency, then %s at a low confidence', (_, rows, code) => {
    expect(currencyOf(lines(rows as string[]), 'USD')).toMatchObject({ code, confidence: 0.4 });
  });

  it('given Spanish labels alone (euro or a Latin American currency), then still a guess', () => {
    expect(currencyOf(lines(['TIENDA', 'Total a pagar 4,40', 'Efectivo 5,00', 'Cambio 0,60']), 'USD')).toMatchObject({
      code: 'USD',
      confidence: 0.3,
    });
  });

  it('given one foreign-looking word on an English receipt, then no language is inferred', () => {
    expect(currencyOf(lines(['CAFE', 'TOTAL 4.40', 'CASH 5.00', 'CHANGE 0.60', 'Summe']), 'USD').confidence).toBe(0.3);
  });

  it('given a German receipt read the local way, then EUR is the suggested currency and its amounts are read', () => {
    const textLines = german.map((text, i) => ({
      text,
      confidence: 0.97,
      page: 1,
      box: { left: 0.05, top: 0.03 + i * 0.05, width: 0.6, height: 0.03 },
    }));
    const today = new Date('2026-11-24T12:00:00Z');
    const x = parseAnalyzeExpense(
      { ...analyzeExpenseResponse(textLines, { today }), $metadata: {} } as AnalyzeExpenseCommandOutput,
      { dateOrder: 'DMY', homeCurrency: 'USD', today },
    );
    expect(x.currency?.value).toBe('EUR');
    expect(x.currency!.confidence).toBeLessThan(config.reviewConfidence);
    expect(x.total?.amount).toBe(440);
  });
});

describe('currency from the ids a receipt prints', () => {
  it('given an Australian business number and bare dollars, then Australian dollars', () => {
    const c = currencyOf(lines(['WOOLWORTHS', 'ABN 88 000 014 675', 'TOTAL $23.45', 'EFTPOS 23.45']), 'USD');
    expect(c).toMatchObject({ code: 'AUD', country: 'AU' });
    expect(currencyOf(lines(['JB HI-FI', 'ABN 37093114286', 'TOTAL $5,896.00']), 'USD').code).toBe('AUD');
  });

  it('given a British VAT number printed without its GB (the O of NO read as a zero too), then pounds', () => {
    expect(currencyOf(lines(["SAINSBURY'S", 'VAT NO 660 4548 36', 'TOTAL 12.00']), 'USD').code).toBe('GBP');
    expect(currencyOf(lines(['ASDA', 'VAT N0 363 1234 56', 'TOTAL 12.00']), 'USD').code).toBe('GBP');
    expect(currencyOf(lines(['SAATHIMART', 'VAT No.:610282856', 'TOTAL 12.00']), 'USD').code).not.toBe('GBP');
    expect(currencyOf(lines(['TESCO', 'VAT NO: GB 220 4302 31', 'TOTAL 12.00']), 'USD').code).toBe('GBP');
  });

  it('given a Spanish simplified invoice whose euro sign was not read ("TOTAL (E)"), then euros', () => {
    const c = currencyOf(
      lines(['CONSUM', 'FACTURA SIMPLIFICADA: 2345-012-123456', 'TOTAL (E) 61,17', 'CAMBIO 8,83']),
      'USD',
    );
    expect(c).toMatchObject({ code: 'EUR', country: 'ES' });
  });

  it('given "RM" opening a line under a price (an Indonesian rumah makan), then no ringgit', () => {
    const text = lines(['TOTAL BELANJA 275.000', 'RM SEDERHANA', 'NPWP 01.337.994.6-092.000']);
    expect(currencyOf(text, 'USD').code).toBe('IDR');
    expect(currencyOf(lines(['TOTAL RM 12.00']), 'USD').code).toBe('MYR');
    expect(currencyOf(lines(['TOTAL 12.00 RM']), 'USD').code).toBe('MYR');
    expect(currencyOf(lines(['SUBTOTAL 28.70', 'RM CASH 100.00']), 'USD').code).toBe('MYR');
  });

  it('given ¥ or 元 on a Chinese receipt, then yuan (simplified) or Taiwan dollars (traditional), and yen in Japan', () => {
    expect(currencyOf(lines(['华联超市', '合计 ¥25.00', '实收 ¥50.00']), 'USD').code).toBe('CNY');
    expect(currencyOf(lines(['全家便利商店', '應收金額 128元']), 'USD').code).toBe('TWD');
    expect(currencyOf(lines(['ローソン', '合計 ¥1,280']), 'USD').code).toBe('JPY');
    expect(currencyOf(lines(['MR. D.I.Y. SDN BHD', 'CNY DECO A002# 26CM', 'TOTAL RM 57.40']), 'USD').code).toBe('MYR');
  });

  it('given a Malaysian receipt whose amounts print no RM, then a ringgit column heading or its GST id says MYR', () => {
    const rows = ['SLF CASH & CARRY', 'Total Sales 21.20', 'CASH : 100.00'];
    expect(currencyOf(lines([...rows, 'Tax Code Amt (RM) Tax (RM)']), 'USD').code).toBe('MYR');
    expect(currencyOf(lines([...rows, 'GST 1D .001169362944']), 'USD').code).toBe('MYR');
    expect(currencyOf(lines([...rows, '(002107265-V)']), 'USD').code).toBe('MYR');
    expect(currencyOf(lines(rows), 'USD').code).not.toBe('MYR');
  });
});
