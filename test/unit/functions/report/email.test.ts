import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ReportSummary, SummaryBudget } from '../../../../functions/report/core.ts';
import { CHART_PIXEL_RATIO, CHART_WIDTH } from '../../../../functions/report/charts.ts';
import { composeReportEmail } from '../../../../functions/report/email.ts';
import type { ExpenseLike } from '../../../../functions/report/summary.ts';
import { budgetLine, novemberSummary } from '../../../support/report-fixtures.ts';

/** The report email's MIME: text + HTML + inline PNG charts + the CSV, charts that are real pictures, budgets as HTML. */
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
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT')
      chunks.push(png.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  return { width, height, distinctBytes: new Set(raw).size };
}

const reportSummary = (budgets: SummaryBudget[]) => novemberSummary(expenses, [], budgets);

async function compose(summary: ReportSummary): Promise<string> {
  return (
    await composeReportEmail({
      from: 'reports@example.com',
      to: 'ada@example.com',
      name: 'Ada',
      title: 'Your monthly spending report, 2026-11-01 – 2026-11-30',
      heading: 'Your monthly spending report',
      summary,
      csv: 'date,merchant\r\n',
      csvFileName: 'expenses.csv',
    })
  ).toString('utf8');
}

function inlineImages(raw: string) {
  return [
    ...raw.matchAll(/Content-Type: image\/png[^]*?Content-ID: <([^>]+)>[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g),
  ].map(([, cid, base64]) => ({ cid, png: Buffer.from(base64.replace(/\s/g, ''), 'base64') }));
}

describe('report email', () => {
  it('given a month of spending and budgets, when composed, then the MIME has text, HTML, two inline PNG charts (category, daily) and the CSV', async () => {
    const raw = await compose(
      reportSummary([budgetLine('Eating out', 'DINING', 1500, 1850), budgetLine('Everything', null, 20000, 11970)]),
    );

    expect(raw).toMatch(/^Content-Type: multipart\/mixed/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).toMatch(/^Content-Type: multipart\/related/m);
    expect(raw).toMatch(/^Content-Type: text\/plain/m);
    expect(raw).toMatch(/^Content-Type: text\/html/m);
    expect(raw).toMatch(/^Content-Type: text\/csv; charset=utf-8; name=expenses\.csv/m);
    expect(raw).toMatch(/^Content-Disposition: attachment; filename=expenses\.csv/m);

    const images = inlineImages(raw);
    expect(images.map((i) => i.cid).sort()).toEqual(['category-0@report', 'daily-0@report']);
    for (const { cid, png } of images) {
      // The HTML part is quoted-printable: undo its soft line breaks before looking for the reference.
      expect(raw.replace(/=\r?\n/g, '')).toContain(`cid:${cid}`);
      const decoded = decodePng(png);
      // Drawn at twice the width it is shown at: sharp on phones' dense screens.
      expect(decoded.width).toBe(CHART_WIDTH * CHART_PIXEL_RATIO);
      expect(decoded.height).toBeGreaterThan(100);
      // Not blank: bars, text and background make many distinct values.
      expect(decoded.distinctBytes).toBeGreaterThan(20);
    }
  });

  it('given a budget over its limit, then the text says so and its HTML bar has a red part past the limit tick', async () => {
    const over = budgetLine('Eating out', 'DINING', 1500, 1850);
    expect(over.status.state).toBe('OVER');
    const raw = await compose(reportSummary([over, budgetLine('Everything', null, 20000, 11970)]));
    const text = readTextPart(raw);
    expect(text).toContain('Budgets on 2026-11-30:');
    expect(text).toContain('Eating out (2026-11-01 – 2026-11-30): €18.50 of €15.00 (123.3 %, over the limit)');
    const html = readHtmlPart(raw);
    // Each budget once: its name, its figures and its bar, under one heading.
    expect(html.match(/Budgets <span/g)).toHaveLength(1);
    expect(html.match(/Eating out/g)).toHaveLength(1);
    expect(html.match(/€18\.50 of €15\.00/g)).toHaveLength(1);
    // The scale runs to 123.3 % of the limit: the limit tick at 81.1 % of the bar, the red part the 18.9 % after it.
    const [eatingOut, everything] = html.split(/<strong>/).slice(1);
    expect(eatingOut).toMatch(
      /<td width="81\.1%" bgcolor="#fca5a5"[^>]*border-right:2px solid #111827">&nbsp;<\/td><td width="18\.9%" bgcolor="#dc2626"/,
    );
    expect(everything).not.toContain('#dc2626');
  });

  it('given spending by tag, then the text and the HTML list it under "By tag"; without, neither has the heading', async () => {
    const tagged: ReportSummary = {
      ...reportSummary([]),
      byTag: [
        { tag: 'holiday', amount: 12345, count: 3 },
        { tag: 'work', amount: 500, count: 1 },
      ],
    };
    const raw = await compose(tagged);
    const text = readTextPart(raw);
    expect(text).toContain('By tag:');
    expect(text).toMatch(/#holiday +€123\.45/);
    expect(text).toMatch(/#work +€5\.00/);
    const html = readHtmlPart(raw);
    expect(html).toContain('By tag</h3>');
    expect(html).toMatch(/#holiday<\/td><td[^>]*>€123\.45/);

    const untagged = await compose(reportSummary([]));
    expect(readTextPart(untagged)).not.toContain('By tag');
    expect(readHtmlPart(untagged)).not.toContain('By tag');
  });

  it('given no budgets, then there is no budget section', async () => {
    const raw = await compose(reportSummary([]));
    expect(
      inlineImages(raw)
        .map((i) => i.cid)
        .sort(),
    ).toEqual(['category-0@report', 'daily-0@report']);
    expect(readTextPart(raw)).not.toContain('Budgets');
    expect(readHtmlPart(raw)).not.toContain('Budgets');
  });
});

/** The text/plain part, decoded (quoted-printable). */
const readTextPart = (raw: string) => readPart(raw, 'text/plain');
const readHtmlPart = (raw: string) => readPart(raw, 'text/html');

function readPart(raw: string, type: string): string {
  const part = new RegExp(`Content-Type: ${type}[^]*?\\r?\\n\\r?\\n([^]*?)\\r?\\n--`).exec(raw)![1];
  return Buffer.from(
    part.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');
}
