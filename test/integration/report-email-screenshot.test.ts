import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_MIN_FONT_PX, CHART_PIXEL_RATIO, CHART_WIDTH } from '../../functions/report/charts.ts';
import { composeReportEmail } from '../../functions/report/email.ts';
import type { ExpenseLike } from '../../functions/report/summary.ts';
import { readMimeMessage } from '../../local/ses-outbox.ts';
import { launchHeadlessChromium, screenshotOf, type LaunchedChromium } from '../support/headless-chromium.ts';
import type { Category } from '../../generated/graphql.ts';
import { budgetLine, novemberSummary } from '../support/report-fixtures.ts';

/**
 * The report email as a reader sees it: its HTML (cid: images swapped for the message's own
 * parts as data: URIs, as the outbox shows it) opened in headless Chromium at a desktop and a
 * phone width, and the screenshot checked: the right size, not blank, every chart drawn,
 * fitting the screen with its text readable, each budget shown once.
 * REPORT_SCREENSHOTS=DIR keeps the PNGs to look at.
 */
const MERCHANTS = ['Tesco', 'Corner Café', 'Shell', 'Uber', 'Bakery 21', 'Cinema', 'Pharmacy', 'Bookshop'];
const CATEGORIES: Category[] = ['GROCERIES', 'DINING', 'FUEL', 'TRANSPORT', 'ENTERTAINMENT', 'HEALTH'];
const expenses: ExpenseLike[] = Array.from({ length: 60 }, (_, i) => ({
  expense_id: `e${i}`,
  merchant: MERCHANTS[(i * 5) % MERCHANTS.length],
  amount: 300 + ((i * 7919) % 9000),
  currency: 'EUR',
  date: `2026-11-${String(1 + ((i * 13) % 30)).padStart(2, '0')}`,
  category: CATEGORIES[(i * 7) % CATEGORIES.length],
}));

// page.evaluate runs its function in the page: these are the page's globals (the project has no DOM lib).
declare const document: any;
declare const window: any;

let chromium: LaunchedChromium;
let html: string;

beforeAll(async () => {
  const summary = novemberSummary(expenses, expenses.slice(0, 20), [
    budgetLine('Eating out', 'DINING', 3000, 4200),
    budgetLine('Fuel', 'FUEL', 6000, 5100),
    budgetLine('Everything', null, 60000, 31000),
  ]);
  const raw = await composeReportEmail({
    from: 'reports@example.com',
    to: 'ada@example.com',
    name: 'Ada',
    title: 'Your monthly spending report, 2026-11-01 – 2026-11-30',
    heading: 'Your monthly spending report',
    summary,
    csv: 'date\r\n',
    csvFileName: 'expenses-2026-11-01-to-2026-11-30.csv',
  });
  const message = readMimeMessage(raw.toString('utf8'));
  const inline = message.inline ?? {};
  expect(Object.keys(inline).sort()).toEqual(['category-0@report', 'daily-0@report']);
  html = message.html!.replace(/cid:([^"'\s)]+)/g, (reference, id: string) =>
    inline[id] ? `data:${inline[id].type};base64,${inline[id].base64}` : reference,
  );
  expect(html).not.toContain('cid:');
  chromium = await launchHeadlessChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.browser.close();
});

/** How varied a region of a screenshot is: per-channel standard deviation and the darkest value. */
async function regionStats(png: Buffer, box: { x: number; y: number; width: number; height: number }) {
  const region = {
    left: Math.round(box.x),
    top: Math.round(box.y),
    width: Math.round(box.width),
    height: Math.round(box.height),
  };
  const stats = await sharp(png).extract(region).removeAlpha().stats();
  return {
    stdev: Math.max(...stats.channels.map((c) => c.stdev)),
    darkest: Math.min(...stats.channels.map((c) => c.min)),
  };
}

describe('the report email in a browser', () => {
  it.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ])(
    'given the %s width (%i px), when the email is opened, then the charts are drawn, fit the screen and stay readable, and each budget shows once',
    async (name, width, height) => {
      // Offline: the email must need nothing but itself (a fetch from the page would fail).
      const context = await chromium.browser.newContext({
        viewport: { width, height },
        deviceScaleFactor: 1,
        offline: true,
        javaScriptEnabled: true,
      });
      try {
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        const layout = await page.evaluate(() => {
          const box = (el: any) => {
            const r = el.getBoundingClientRect();
            return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
          };
          const heading = [...document.querySelectorAll('h2')].find((h: any) => h.textContent.startsWith('Budgets'));
          const budgetTable = heading.nextElementSibling;
          return {
            scrollWidth: document.documentElement.scrollWidth,
            scrollHeight: document.documentElement.scrollHeight,
            text: document.body.innerText as string,
            images: [...document.images].map((img: any) => ({
              alt: img.alt,
              complete: img.complete,
              naturalWidth: img.naturalWidth,
              ...box(img),
            })),
            budgets: { ...box(heading), height: box(budgetTable).y + box(budgetTable).height - box(heading).y },
          };
        });
        // Responsive: nothing wider than the screen, charts at their width on a desktop and shrunk to fit a phone.
        expect(layout.scrollWidth).toBeLessThanOrEqual(width);
        expect(layout.images.map((i) => i.alt.split(':')[0])).toEqual(['Spending by category', 'Daily spending']);
        for (const image of layout.images) {
          expect(image.complete && image.naturalWidth).toBe(CHART_WIDTH * CHART_PIXEL_RATIO);
          expect(image.width).toBe(width >= 700 ? CHART_WIDTH : Math.min(CHART_WIDTH, image.width));
          expect(image.x).toBeGreaterThanOrEqual(0);
          expect(image.x + image.width).toBeLessThanOrEqual(width);
          if (width < 600) expect(image.width).toBeLessThan(width - 20);
          // The smallest text of a chart, as shown: 11 px or more, the smallest a phone reader can read.
          expect((image.width / CHART_WIDTH) * CHART_MIN_FONT_PX, image.alt).toBeGreaterThanOrEqual(11);
        }
        // Each budget once (its figures are text, not also a chart), under one heading.
        const count = (needle: string) => layout.text.split(needle).length - 1;
        expect(count('Budgets on 2026-11-30')).toBe(1);
        for (const name of ['Eating out', 'Fuel', 'Everything']) expect(count(`${name} 2026-11-01`), name).toBe(1);
        expect(count('€42.00 of €30.00')).toBe(1);

        const png = await screenshotOf(page, { fullPage: true, type: 'png' });
        if (process.env.REPORT_SCREENSHOTS) {
          await mkdir(process.env.REPORT_SCREENSHOTS, { recursive: true });
          await writeFile(path.join(process.env.REPORT_SCREENSHOTS, `report-email-${name}.png`), png);
        }
        const meta = await sharp(png).metadata();
        expect(meta.format).toBe('png');
        expect(meta.width).toBe(width);
        expect(meta.height).toBe(layout.scrollHeight);
        expect(meta.height).toBeGreaterThan(height);

        // Not blank: the page as a whole, the branded header band, and each chart region carry drawing.
        expect((await regionStats(png, { x: 0, y: 0, width, height: meta.height! })).stdev).toBeGreaterThan(20);
        for (const image of layout.images) {
          const chart = await regionStats(png, image);
          expect(chart.stdev, image.alt).toBeGreaterThan(15);
          expect(chart.darkest, image.alt).toBeLessThan(80); // text and bars, not an empty white box
        }
        // The over-limit budget shows its red excess in the budget section of the screenshot.
        const { data, info } = await sharp(png)
          .extract({
            left: Math.round(layout.budgets.x),
            top: Math.round(layout.budgets.y),
            width: Math.round(layout.budgets.width),
            height: Math.round(layout.budgets.height),
          })
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        let red = 0;
        for (let i = 0; i < data.length; i += info.channels)
          if (data[i] > 190 && data[i + 1] < 80 && data[i + 2] < 80) red += 1;
        expect(red).toBeGreaterThan(50);
      } finally {
        await context.close();
      }
    },
  );

  it('given the browser used, then it is the packaged Chromium wherever that build runs (linux/x64)', () => {
    if (process.platform === 'linux' && process.arch === 'x64') expect(chromium.source).toBe('packaged');
    else expect(chromium.source).not.toBe('packaged');
  });
});
