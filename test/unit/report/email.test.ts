import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { budgetStatusOf, statusPeriodsOf, type BudgetItem } from '../../../functions/budgets/core.ts';
import type { ReportSummary, SummaryBudget } from '../../../functions/report/core.ts';
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

/** A budget line as the report computes it (functions/budgets' status), spent `spent` of `amount`. */
function budgetLine(name: string, category: string | null, amount: number, spent: number): SummaryBudget {
  const budget: BudgetItem = { user_id: 'u', budget_id: `${category ?? 'ALL'}-MONTHLY`, name, category, period: 'MONTHLY', amount, currency: 'EUR', thresholds: [80, 100], rollover: false };
  return { budgetId: budget.budget_id, name, category, period: 'MONTHLY', currency: 'EUR', status: budgetStatusOf(budget, { byPeriod: { '2026-11-01': spent }, excludedCount: 0 }, '2026-11-30', statusPeriodsOf(budget, '2026-11-30', null)) };
}

function reportSummary(budgets: SummaryBudget[]): ReportSummary {
  return { ...summarizeExpenses(expenses, [], { from: '2026-11-01', to: '2026-11-30' }, { from: '2026-10-01', to: '2026-10-31' }), budgetsAsOf: '2026-11-30', budgets };
}

async function compose(summary: ReportSummary): Promise<string> {
  return (await composeReportEmail({ from: 'reports@example.com', to: 'ada@example.com', name: 'Ada', title: 'Your monthly spending report, 2026-11-01 – 2026-11-30', heading: 'Your monthly spending report', summary, csv: 'date,merchant\r\n', csvFileName: 'expenses.csv' })).toString('utf8');
}

function inlineImages(raw: string) {
  return [...raw.matchAll(/Content-Type: image\/png[^]*?Content-ID: <([^>]+)>[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)].map(([, cid, base64]) => ({ cid, png: Buffer.from(base64.replace(/\s/g, ''), 'base64') }));
}

describe('report email', () => {
  it('given a month of spending and budgets, when composed, then the MIME has text, HTML, three inline PNG charts (category, daily, budgets) and the CSV', async () => {
    const raw = await compose(reportSummary([budgetLine('Eating out', 'DINING', 1500, 1850), budgetLine('Everything', null, 20000, 11970)]));

    expect(raw).toMatch(/^Content-Type: multipart\/mixed/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).toMatch(/^Content-Type: multipart\/related/m);
    expect(raw).toMatch(/^Content-Type: text\/plain/m);
    expect(raw).toMatch(/^Content-Type: text\/html/m);
    expect(raw).toMatch(/^Content-Type: text\/csv; charset=utf-8; name=expenses\.csv/m);
    expect(raw).toMatch(/^Content-Disposition: attachment; filename=expenses\.csv/m);

    const images = inlineImages(raw);
    expect(images.map((i) => i.cid).sort()).toEqual(['budgets@report', 'category-0@report', 'daily-0@report']);
    for (const { cid, png } of images) {
      // The HTML part is quoted-printable: undo its soft line breaks before looking for the reference.
      expect(raw.replace(/=\r?\n/g, '')).toContain(`cid:${cid}`);
      const decoded = decodePng(png);
      expect(decoded.width).toBe(600);
      expect(decoded.height).toBeGreaterThan(100);
      // Not blank: bars, text and background make many distinct values.
      expect(decoded.distinctBytes).toBeGreaterThan(20);
    }
  });

  it('given a budget over its limit, then the text says so and the budget chart shows red past the limit line', async () => {
    const over = budgetLine('Eating out', 'DINING', 1500, 1850);
    expect(over.status.state).toBe('OVER');
    const raw = await compose(reportSummary([over]));
    const text = readTextPart(raw);
    expect(text).toContain('Budgets on 2026-11-30:');
    expect(text).toContain('Eating out (2026-11-01 – 2026-11-30): €18.50 of €15.00 (123.3 %, over the limit)');
    const chart = inlineImages(raw).find((i) => i.cid === 'budgets@report')!.png;
    // The over-limit part is drawn in the alert red (#dc2626), which appears nowhere else in that chart.
    expect(await redPixels(chart)).toBeGreaterThan(200);

    const within = await compose(reportSummary([budgetLine('Everything', null, 20000, 11970)]));
    expect(await redPixels(inlineImages(within).find((i) => i.cid === 'budgets@report')!.png)).toBe(0);
  });

  it('given no budgets, then there is no budget chart: two inline images', async () => {
    const raw = await compose(reportSummary([]));
    expect(inlineImages(raw).map((i) => i.cid).sort()).toEqual(['category-0@report', 'daily-0@report']);
    expect(readTextPart(raw)).not.toContain('Budgets');
  });
});

/** The text/plain part, decoded (quoted-printable). */
function readTextPart(raw: string): string {
  const part = /Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)\r?\n--/.exec(raw)![1];
  return Buffer.from(part.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

/** Pixels of the chart close to #dc2626 (220, 38, 38). */
async function redPixels(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) if (Math.abs(data[i] - 220) < 12 && Math.abs(data[i + 1] - 38) < 12 && Math.abs(data[i + 2] - 38) < 12) count += 1;
  return count;
}
