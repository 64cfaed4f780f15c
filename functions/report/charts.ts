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
    ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => new Uint8Array(bundledFile(`dejavu-fonts-ttf/ttf/${file}`))),
  ));
}

export async function svgToPng(svg: string): Promise<Uint8Array> {
  const fonts = await loadRenderer();
  return new Resvg(svg, { font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false }, background: '#ffffff' }).render().asPng();
}

const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#dc2626', '#ca8a04', '#4b5563'];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const CHART_WIDTH = 600;

/** Horizontal bars, largest first: spending by category (or budget use). */
export function barChartSvg(title: string, bars: Array<{ label: string; value: number; display: string }>): string {
  const rowHeight = 30;
  const top = 44;
  const height = top + Math.max(1, bars.length) * rowHeight + 16;
  const labelWidth = 150;
  const valueWidth = 110;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barSpace = CHART_WIDTH - labelWidth - valueWidth - 24;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const width = Math.max(2, Math.round((bar.value / max) * barSpace));
    return `<text x="${labelWidth - 8}" y="${y + 19}" text-anchor="end" font-size="13" fill="#111827">${escape(bar.label)}</text>
<rect x="${labelWidth}" y="${y + 5}" width="${width}" height="20" rx="3" fill="${PALETTE[i % PALETTE.length]}"/>
<text x="${labelWidth + width + 8}" y="${y + 19}" font-size="13" fill="#374151">${escape(bar.display)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="16" y="26" font-size="16" font-weight="bold" fill="#111827">${escape(title)}</text>
${rows.length ? rows.join('\n') : `<text x="16" y="${top + 19}" font-size="13" fill="#6b7280">No spending</text>`}
</svg>`;
}

/** Vertical bars per day: the daily trend. */
export function dailyChartSvg(title: string, days: Array<{ date: string; amount: number }>, currency: string): string {
  const height = 240;
  const left = 70;
  const bottom = 200;
  const top = 44;
  const max = Math.max(1, ...days.map((d) => d.amount));
  const slot = (CHART_WIDTH - left - 16) / Math.max(1, days.length);
  const bars = days.map((d, i) => {
    const h = Math.round((d.amount / max) * (bottom - top));
    const x = left + i * slot + slot * 0.15;
    const label = days.length <= 10 || i % Math.ceil(days.length / 8) === 0 ? `<text x="${x + slot * 0.35}" y="${bottom + 16}" text-anchor="middle" font-size="11" fill="#374151">${d.date.slice(5)}</text>` : '';
    return `<rect x="${x.toFixed(1)}" y="${bottom - h}" width="${(slot * 0.7).toFixed(1)}" height="${h}" fill="#2563eb"/>${label}`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="16" y="26" font-size="16" font-weight="bold" fill="#111827">${escape(title)}</text>
<line x1="${left}" y1="${bottom}" x2="${CHART_WIDTH - 16}" y2="${bottom}" stroke="#9ca3af"/>
<text x="${left - 6}" y="${top + 10}" text-anchor="end" font-size="11" fill="#374151">${escape(formatMoney(max, currency))}</text>
${bars.join('\n')}
</svg>`;
}

const STATE_COLOURS = { ON_TRACK: '#16a34a', AT_RISK: '#ea580c', OVER: '#fca5a5' } as const;
const OVER_LIMIT = '#dc2626';

/**
 * Budget bars: spent against each budget's own limit (budgets may be in different currencies,
 * so the scale is percent of the limit). The grey track is the limit, marked by a dark tick;
 * what goes past the limit is drawn in strong red, so an overspent budget stands out.
 */
export function budgetChartSvg(title: string, budgets: Array<{ label: string; percentUsed: number; state: keyof typeof STATE_COLOURS; display: string }>): string {
  const rowHeight = 44;
  const top = 44;
  const left = 16;
  const height = top + Math.max(1, budgets.length) * rowHeight + 4;
  const trackWidth = CHART_WIDTH - left * 2;
  // Up to twice the limit fits on the scale; more is shown as the full bar and told in the text.
  const scaleMax = Math.min(200, Math.max(100, ...budgets.map((b) => b.percentUsed)));
  const x = (percent: number) => left + (Math.min(percent, scaleMax) / scaleMax) * trackWidth;
  const limitX = x(100);
  const rows = budgets.map((b, i) => {
    const y = top + i * rowHeight;
    const spentX = x(Math.max(0, b.percentUsed));
    const within = Math.max(0, Math.min(spentX, limitX) - left);
    const over = spentX > limitX ? `<rect x="${limitX.toFixed(1)}" y="${y + 20}" width="${(spentX - limitX).toFixed(1)}" height="14" fill="${OVER_LIMIT}"/>` : '';
    return `<text x="${left}" y="${y + 14}" font-size="13" fill="#111827">${escape(b.label)}</text>
<text x="${CHART_WIDTH - left}" y="${y + 14}" text-anchor="end" font-size="12" fill="${b.state === 'OVER' ? OVER_LIMIT : '#374151'}">${escape(b.display)}</text>
<rect x="${left}" y="${y + 20}" width="${(limitX - left).toFixed(1)}" height="14" fill="#e5e7eb"/>
<rect x="${left}" y="${y + 20}" width="${Math.max(within, b.percentUsed > 0 ? 2 : 0).toFixed(1)}" height="14" fill="${STATE_COLOURS[b.state]}"/>${over}
<rect x="${(limitX - 1).toFixed(1)}" y="${y + 17}" width="2" height="20" fill="#111827"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="16" y="26" font-size="16" font-weight="bold" fill="#111827">${escape(title)}</text>
${rows.join('\n')}
</svg>`;
}
