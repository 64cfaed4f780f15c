import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { composeReportEmail } from '../../../functions/report/email.ts';
import { summarizeExpenses, type ExpenseLike } from '../../../functions/report/summary.ts';

/** The report email's MIME: text + HTML + inline PNG charts + the CSV, and charts that are real pictures. */
const expenses: ExpenseLike[] = [
  { expense_id: 'e1', merchant: 'Tesco', amount: 4120, currency: 'EUR', date: '2026-11-03', category: 'GROCERIES' },
  { expense_id: 'e2', merchant: 'Corner Café', amount: 1850, currency: 'EUR', date: '2026-11-04', category: 'DINING' },
  { expense_id: 'e3', merchant: 'Shell', amount: 6000, currency: 'EUR', date: '2026-11-20', category: 'FUEL' },
];

/** Width, height and distinct pixel values of a PNG (8-bit, any colour type), decoded with zlib. */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT') chunks.push(png.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  return { width, height, distinctBytes: new Set(raw).size };
}

describe('report email', () => {
  it('given a month of spending, when composed, then the MIME has text, HTML, two inline PNG charts and the CSV', async () => {
    const summary = summarizeExpenses(expenses, [], { from: '2026-11-01', to: '2026-11-30' }, { from: '2026-10-01', to: '2026-10-31' });
    const raw = (await composeReportEmail({ from: 'reports@example.com', to: 'ada@example.com', name: 'Ada', title: 'Your monthly spending report, 2026-11-01 – 2026-11-30', heading: 'Your monthly spending report', summary, csv: 'date,merchant\r\n', csvFileName: 'expenses.csv' })).toString('utf8');

    expect(raw).toMatch(/^Content-Type: multipart\/mixed/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).toMatch(/^Content-Type: multipart\/related/m);
    expect(raw).toMatch(/^Content-Type: text\/plain/m);
    expect(raw).toMatch(/^Content-Type: text\/html/m);
    expect(raw).toMatch(/^Content-Type: text\/csv; charset=utf-8; name=expenses\.csv/m);
    expect(raw).toMatch(/^Content-Disposition: attachment; filename=expenses\.csv/m);

    const images = [...raw.matchAll(/Content-Type: image\/png[^]*?Content-ID: <([^>]+)>[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)];
    expect(images.map((m) => m[1]).sort()).toEqual(['category-0@report', 'daily-0@report']);
    for (const [, cid, base64] of images) {
      // The HTML part is quoted-printable: undo its soft line breaks before looking for the reference.
      expect(raw.replace(/=\r?\n/g, '')).toContain(`cid:${cid}`);
      const png = decodePng(Buffer.from(base64.replace(/\s/g, ''), 'base64'));
      expect(png.width).toBe(600);
      expect(png.height).toBeGreaterThan(100);
      // Not blank: bars, text and background make many distinct values.
      expect(png.distinctBytes).toBeGreaterThan(20);
    }
  });
});
