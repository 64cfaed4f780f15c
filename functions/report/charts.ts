import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { bundledFile } from '../shared/bundled-file.ts';
import { formatMoney } from '../shared/money.ts';

/**
 * Charts for the email, drawn as SVG and rendered to PNG on the server (email clients do not
 * show SVG) with resvg compiled to WebAssembly: the same bytes on x86 laptops and arm64
 * Lambdas, no native install. The font ships in an npm package, so text renders the same
 * on a machine without fonts.
 */
let ready: Promise<Uint8Array[]> | undefined;

function loadRenderer(): Promise<Uint8Array[]> {
  return (ready ??= initWasm(bundledFile('@resvg/resvg-wasm/index_bg.wasm')).then(() =>
    ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(
      (file) => new Uint8Array(bundledFile(`dejavu-fonts-ttf/ttf/${file}`)),
    ),
  ));
}

/** The PNG of a chart at twice its CSS size, so it stays sharp on high-density (phone) screens. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const fonts = await loadRenderer();
  return new Resvg(svg, {
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false },
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: CHART_PIXEL_RATIO },
  })
    .render()
    .asPng();
}

const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#dc2626', '#ca8a04', '#4b5563'];
const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Charts are drawn for the narrowest reader: CSS width 400 px, shown at most that wide and
 * shrunk to fit a phone (390 px screen: 318 px of email body), where the smallest text,
 * CHART_MIN_FONT_PX, still shows at 11 px or more. Labels sit above their bars, so long
 * category names and amounts never squeeze the bars.
 */
export const CHART_WIDTH = 400;
export const CHART_MIN_FONT_PX = 14;
export const CHART_PIXEL_RATIO = 2;
const TITLE_FONT = 16;
// Text and bars start at the chart's left edge, in line with the email's text.
const MARGIN = 2;

function chartSvg(height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${MARGIN}" y="22" font-size="${TITLE_FONT}" font-weight="bold" fill="#111827">${escape(title)}</text>
${body}
</svg>`;
}

/** Horizontal bars, largest first (spending by category): the label and amount above each bar. */
export function barChartSvg(title: string, bars: Array<{ label: string; value: number; display: string }>): string {
  const rowHeight = 44;
  const top = 36;
  const height = top + Math.max(1, bars.length) * rowHeight + 4;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const track = CHART_WIDTH - 2 * MARGIN;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const width = Math.max(2, Math.round((bar.value / max) * track));
    return `<text x="${MARGIN}" y="${y + 16}" font-size="${CHART_MIN_FONT_PX}" fill="#111827">${escape(bar.label)}</text>
<text x="${CHART_WIDTH - MARGIN}" y="${y + 16}" text-anchor="end" font-size="${CHART_MIN_FONT_PX}" fill="#374151">${escape(bar.display)}</text>
<rect x="${MARGIN}" y="${y + 22}" width="${width}" height="14" rx="3" fill="${PALETTE[i % PALETTE.length]}"/>`;
  });
  return chartSvg(
    height,
    title,
    rows.length
      ? rows.join('\n')
      : `<text x="${MARGIN}" y="${top + 16}" font-size="${CHART_MIN_FONT_PX}" fill="#6b7280">No spending</text>`,
  );
}

const SHORT_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short' });

/**
 * Vertical bars per day (the daily trend), the largest day's amount on a guide line. Days are
 * named under the bars: a week's by weekday, a month's every seventh day (1 Nov, 8 Nov…).
 */
export function dailyChartSvg(title: string, days: Array<{ date: string; amount: number }>, currency: string): string {
  const top = 58;
  const bottom = 196;
  const height = bottom + 26;
  const max = Math.max(1, ...days.map((d) => d.amount));
  const slot = (CHART_WIDTH - 2 * MARGIN) / Math.max(1, days.length);
  const every = days.length <= 7 ? 1 : days.length <= 31 ? 7 : Math.ceil(days.length / 5);
  const dayName = days.length <= 7 ? WEEKDAY : SHORT_DAY;
  const bars = days.map((d, i) => {
    const h = Math.round((d.amount / max) * (bottom - top));
    const x = MARGIN + i * slot + slot * 0.15;
    // Under its bar, kept inside the chart at both ends ("29 Nov" is about 48 px wide).
    const centre = x + slot * 0.35;
    const [labelX, anchor] =
      i === 0 ? [x, 'start'] : centre > CHART_WIDTH - 26 ? [CHART_WIDTH - MARGIN, 'end'] : [centre, 'middle'];
    const label =
      i % every === 0
        ? `<text x="${labelX.toFixed(1)}" y="${bottom + 18}" text-anchor="${anchor}" font-size="${CHART_MIN_FONT_PX}" fill="#374151">${dayName.format(new Date(`${d.date}T00:00:00Z`))}</text>`
        : '';
    return `<rect x="${x.toFixed(1)}" y="${bottom - h}" width="${(slot * 0.7).toFixed(1)}" height="${h}" fill="#2563eb"/>${label}`;
  });
  return chartSvg(
    height,
    title,
    `<text x="${MARGIN}" y="${top - 8}" font-size="${CHART_MIN_FONT_PX}" fill="#374151">${escape(`Highest day ${formatMoney(max, currency)}`)}</text>
<line x1="${MARGIN}" y1="${top}" x2="${CHART_WIDTH - MARGIN}" y2="${top}" stroke="#d1d5db" stroke-dasharray="4 3"/>
<line x1="${MARGIN}" y1="${bottom}" x2="${CHART_WIDTH - MARGIN}" y2="${bottom}" stroke="#9ca3af"/>
${bars.join('\n')}`,
  );
}
