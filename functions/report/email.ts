import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { barChartSvg, CHART_WIDTH, dailyChartSvg, svgToPng } from './charts.ts';
import { formatMoney } from '../shared/money.ts';
import type { ReportSummary, SummaryBudget } from './core.ts';
import type { CurrencySummary } from './summary.ts';

/**
 * The report email: a responsive HTML body (one column, inline styles, 600 px max, as email
 * clients need), a plain-text alternative, the charts as inline PNG parts (cid:), and the
 * period's CSV attached. Returned as raw MIME for SES SendEmail (Content.Raw). Budgets are
 * HTML (text and a bar of table cells), not a picture: readable at any width and with images
 * blocked, as many clients start.
 */
const EMAIL_WIDTH = 600;
export interface ReportEmailInput {
  from: string;
  to: string;
  name: string | null;
  /** The subject. */
  title: string;
  /** The heading inside the email (the subject without the dates, which it shows below). */
  heading: string;
  summary: ReportSummary;
  csv: string;
  csvFileName: string;
  consoleUrl?: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const titleCase = (category: string) => category.charAt(0) + category.slice(1).toLowerCase();
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const STATE_TEXT: Record<SummaryBudget['status']['state'], string> = {
  ON_TRACK: 'on track',
  AT_RISK: 'at risk',
  OVER: 'over the limit',
};

function budgetText(b: SummaryBudget): string {
  return `${formatMoney(b.status.spent, b.currency)} of ${formatMoney(b.status.limit, b.currency)} (${b.status.percentUsed} %, ${STATE_TEXT[b.status.state]})`;
}

function budgetLabel(b: SummaryBudget): string {
  return `${b.name} (${b.status.periodStart} – ${b.status.periodEnd})`;
}

function changeText(c: CurrencySummary): string {
  if (c.changePercent === null) return 'no spending in the previous period to compare with';
  const direction = c.change > 0 ? 'more' : c.change < 0 ? 'less' : 'the same';
  return c.change === 0
    ? 'the same as the previous period'
    : `${formatMoney(Math.abs(c.change), c.currency)} ${direction} than the previous period (${c.change > 0 ? '+' : ''}${c.changePercent} %)`;
}

/** What the email shows: all spending in the home currency (every expense converted at the rate of its day). */
function shownCurrencies(summary: ReportSummary): CurrencySummary[] {
  return summary.home.count ? [summary.home] : [];
}

/** Expenses no rate converts yet, named with their own sums: never silently left out. */
function unconvertedText(summary: ReportSummary): string | null {
  if (!summary.unconverted.length) return null;
  const parts = summary.unconverted.map((u) => `${u.count} in ${u.currency} (${formatMoney(u.total, u.currency)})`);
  return `Not included until you set their exchange rate: ${parts.join(', ')}.`;
}

/** The tags the email lists (the largest; an expense counts in each of its tags). */
const MAX_TAGS_SHOWN = 10;
function tagsShown(summary: ReportSummary) {
  return summary.byTag.slice(0, MAX_TAGS_SHOWN);
}

/** A small table of the spending by tag, in the home currency; empty without tagged spending. */
function tagSection(summary: ReportSummary): string {
  const tags = tagsShown(summary);
  if (!tags.length) return '';
  const cell = 'padding:6px 0;border-bottom:1px solid #e5e7eb;font-size:14px;';
  const rows = tags.map(
    (t) =>
      `<tr><td style="${cell}">#${escapeHtml(t.tag)}</td><td style="${cell}text-align:right">${escapeHtml(formatMoney(t.amount, summary.homeCurrency))}</td></tr>`,
  );
  return `
<h3 style="font-size:15px;margin:20px 0 4px;color:#111827">By tag</h3>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">
${rows.join('\n')}
</table>`;
}

export function reportText(input: ReportEmailInput): string {
  const lines = [`${input.title}`, `${input.summary.from} to ${input.summary.to}`, ''];
  if (!input.summary.home.count && !input.summary.unconverted.length) lines.push('No expenses in this period.');
  const unconverted = unconvertedText(input.summary);
  if (unconverted) lines.push(unconverted, '');
  for (const c of shownCurrencies(input.summary)) {
    lines.push(`Total ${formatMoney(c.total, c.currency)} in ${c.count} expenses: ${changeText(c)}.`);
    lines.push(
      `Average ${formatMoney(c.average, c.currency)}, median ${formatMoney(c.median, c.currency)}${c.largest ? `, largest ${formatMoney(c.largest.amount, c.currency)} at ${c.largest.merchant} on ${c.largest.date}` : ''}.`,
      '',
    );
    lines.push(
      'By category:',
      ...c.byCategory.map((x) => `  ${titleCase(x.category).padEnd(14)} ${formatMoney(x.amount, c.currency)}`),
      '',
    );
    lines.push(
      'Top merchants:',
      ...c.byMerchant.map((x) => `  ${x.merchant.padEnd(24)} ${formatMoney(x.amount, c.currency)}`),
      '',
    );
  }
  const tags = tagsShown(input.summary);
  if (tags.length) {
    const home = input.summary.homeCurrency;
    lines.push('By tag:', ...tags.map((t) => `  #${t.tag.padEnd(23)} ${formatMoney(t.amount, home)}`), '');
  }
  if (input.summary.budgets.length) {
    lines.push(
      `Budgets on ${input.summary.budgetsAsOf}:`,
      ...input.summary.budgets.map((b) => `  ${budgetLabel(b)}: ${budgetText(b)}`),
      '',
    );
  }
  lines.push(`Every expense is in the attached ${input.csvFileName}.`);
  return lines.join('\n');
}

function currencySection(c: CurrencySummary, chartIds: { category: string; daily: string }): string {
  const cell = 'padding:6px 0;border-bottom:1px solid #e5e7eb;font-size:14px;';
  return `
<h2 style="font-size:18px;margin:24px 0 4px;color:#111827">${escapeHtml(formatMoney(c.total, c.currency))} <span style="font-weight:normal;color:#6b7280;font-size:14px">in ${c.count} expenses</span></h2>
<p style="margin:0 0 16px;color:#374151;font-size:14px">${escapeHtml(sentence(changeText(c)))}. Average ${escapeHtml(formatMoney(c.average, c.currency))}, median ${escapeHtml(formatMoney(c.median, c.currency))}${
    c.largest
      ? `, largest ${escapeHtml(formatMoney(c.largest.amount, c.currency))} at ${escapeHtml(c.largest.merchant)}`
      : ''
  }.</p>
<img src="cid:${chartIds.category}" width="${CHART_WIDTH}" alt="${escapeHtml(`Spending by category: ${c.byCategory.map((x) => `${titleCase(x.category)} ${formatMoney(x.amount, c.currency)}`).join(', ')}`)}" style="display:block;width:100%;max-width:${CHART_WIDTH}px;height:auto;border:0">
<img src="cid:${chartIds.daily}" width="${CHART_WIDTH}" alt="Daily spending" style="display:block;width:100%;max-width:${CHART_WIDTH}px;height:auto;border:0;margin-top:8px">
<h3 style="font-size:15px;margin:20px 0 4px;color:#111827">Top merchants</h3>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">
${c.byMerchant.map((m) => `<tr><td style="${cell}">${escapeHtml(m.merchant)}</td><td style="${cell}text-align:right">${escapeHtml(formatMoney(m.amount, c.currency))}</td></tr>`).join('\n')}
</table>`;
}

const STATE_COLOURS: Record<SummaryBudget['status']['state'], string> = {
  ON_TRACK: '#16a34a',
  AT_RISK: '#ea580c',
  OVER: '#fca5a5',
};
const OVER_LIMIT = '#dc2626';

/**
 * One budget's bar: spent against its own limit (budgets may be in different currencies, so the
 * scale is percent of the limit, the same for every budget of the email, up to twice the limit).
 * The grey track is the limit, ended by a dark tick; what goes past it is strong red.
 */
function budgetBar(percentUsed: number, state: SummaryBudget['status']['state'], scaleMax: number): string {
  const share = (percent: number) => (Math.max(0, percent) / scaleMax) * 100;
  const spent = Math.min(Math.max(0, percentUsed), scaleMax);
  const segments: Array<{ width: number; colour: string; limit?: boolean }> = [
    { width: share(Math.min(spent, 100)), colour: STATE_COLOURS[state] },
    { width: share(100 - Math.min(spent, 100)), colour: '#e5e7eb' },
    { width: share(spent - 100), colour: OVER_LIMIT },
    { width: share(scaleMax - Math.max(spent, 100)), colour: '#ffffff' },
  ];
  // The tick: a border on the last segment within the limit (borders survive every email client).
  segments[segments[1].width > 0 ? 1 : 0].limit = true;
  const cells = segments
    .filter((s) => s.width > 0)
    .map(
      (s) =>
        `<td width="${s.width.toFixed(1)}%" bgcolor="${s.colour}" style="background:${s.colour};height:12px;font-size:0;line-height:0${s.limit ? ';border-right:2px solid #111827' : ''}">&nbsp;</td>`,
    );
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse"><tr>${cells.join('')}</tr></table>`;
}

function budgetSection(budgets: SummaryBudget[], asOf: string): string {
  const scaleMax = Math.min(200, Math.max(100, ...budgets.map((b) => b.status.percentUsed)));
  const rows = budgets.map(
    (
      b,
    ) => `<tr><td style="padding:12px 0 4px;font-size:14px;color:#111827"><strong>${escapeHtml(b.name)}</strong> <span style="color:#6b7280">${escapeHtml(`${b.status.periodStart} – ${b.status.periodEnd}`)}</span></td></tr>
<tr><td style="padding:0 0 6px;font-size:14px;color:${b.status.state === 'OVER' ? '#b91c1c' : '#374151'}">${escapeHtml(budgetText(b))}</td></tr>
<tr><td style="padding:0 0 4px;border-bottom:1px solid #e5e7eb">${budgetBar(b.status.percentUsed, b.status.state, scaleMax)}</td></tr>`,
  );
  return `
<h2 style="font-size:18px;margin:28px 0 0;color:#111827">Budgets <span style="font-weight:normal;color:#6b7280;font-size:14px">on ${escapeHtml(asOf)}</span></h2>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">
${rows.join('\n')}
</table>`;
}

export async function composeReportEmail(input: ReportEmailInput): Promise<Buffer> {
  const attachments: Array<{ filename: string; content: Buffer | string; contentType: string; cid?: string }> = [];
  const sections: string[] = [];
  const unconverted = unconvertedText(input.summary);
  if (unconverted)
    sections.push(`<p style="margin:16px 0 0;color:#92400e;font-size:14px">${escapeHtml(unconverted)}</p>`);
  for (const [i, c] of shownCurrencies(input.summary).entries()) {
    const ids = { category: `category-${i}@report`, daily: `daily-${i}@report` };
    const categoryPng = await svgToPng(
      barChartSvg(
        `Spending by category (${c.currency})`,
        c.byCategory.map((x) => ({
          label: titleCase(x.category),
          value: x.amount,
          display: formatMoney(x.amount, c.currency),
        })),
      ),
    );
    const dailyPng = await svgToPng(dailyChartSvg(`Daily spending (${c.currency})`, c.byDay, c.currency));
    attachments.push({
      filename: `category-${c.currency}.png`,
      content: Buffer.from(categoryPng),
      contentType: 'image/png',
      cid: ids.category,
    });
    attachments.push({
      filename: `daily-${c.currency}.png`,
      content: Buffer.from(dailyPng),
      contentType: 'image/png',
      cid: ids.daily,
    });
    sections.push(currencySection(c, ids));
  }
  const tagHtml = tagSection(input.summary);
  if (tagHtml) sections.push(tagHtml);
  const budgetHtml = input.summary.budgets.length
    ? budgetSection(input.summary.budgets, input.summary.budgetsAsOf)
    : '';
  attachments.push({ filename: input.csvFileName, content: input.csv, contentType: 'text/csv; charset=utf-8' });

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(input.title)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:${EMAIL_WIDTH + 48}px;background:#ffffff;border-radius:8px">
<tr><td style="background:#1e3a8a;color:#ffffff;padding:20px 24px;border-radius:8px 8px 0 0">
<div style="font-size:13px;letter-spacing:.05em;text-transform:uppercase;opacity:.8">Smart Expense Tracker</div>
<div style="font-size:22px;font-weight:bold;margin-top:4px">${escapeHtml(input.heading)}</div>
<div style="font-size:14px;opacity:.9">${escapeHtml(input.summary.from)} – ${escapeHtml(input.summary.to)}</div>
</td></tr>
<tr><td style="padding:8px 24px 24px">
<p style="font-size:15px;color:#111827">Hello${input.name ? ` ${escapeHtml(input.name)}` : ''}, here is where your money went.</p>
${sections.length ? sections.join('\n') : '<p style="font-size:14px;color:#374151">No expenses in this period.</p>'}${budgetHtml}
<p style="font-size:13px;color:#6b7280;margin-top:24px">Every expense of the period is in the attached ${escapeHtml(input.csvFileName)}.${
    input.consoleUrl ? ` <a href="${escapeHtml(input.consoleUrl)}" style="color:#1d4ed8">Open the tracker</a>.` : ''
  }</p>
</td></tr></table>
<p style="font-size:12px;color:#9ca3af">Weekly and monthly reports can be turned on or off in your profile.</p>
</td></tr></table></body></html>`;

  const mail = new MailComposer({
    from: input.from,
    to: input.to,
    subject: input.title,
    text: reportText(input),
    html,
    attachments,
  });
  return mail.compile().build();
}
