import '../local/sdk-warnings.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startLocalStack } from '../local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from '../local/wiring.ts';
import { launchHeadlessChromium } from '../test/support/headless-chromium.ts';

/**
 * `npm run bench:web`: the web app's first load next to the GraphiQL console's, on the local
 * stack (`npm start`'s code, in this process on a free port), in headless Chromium with an
 * empty cache each time, the two pages alternated load by load:
 *
 * - initial JavaScript: every script the page loads until its `load` event, each compressed
 *   with gzip -9 here (the same measure for both, whatever the server sent), and what the
 *   build reports for the app (web/build.ts: the entry and its static imports);
 * - first contentful paint (the browser's own `first-contentful-paint` entry);
 * - ready: until the page can be used (the app's sign-in form, the console's GraphiQL editor).
 *
 * The issue's budget: initial JavaScript at most 200 KB gzip, first contentful render at most 1 s.
 */
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 9);

interface Load {
  jsGzipBytes: number;
  scripts: number;
  fcpMs: number;
  readyMs: number;
}

async function measure(browser: Browser, url: string, readySelector: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ignoreHTTPSErrors: true });
  // No service worker: every load is a first visit.
  await context.addInitScript(() => {
    Object.defineProperty((globalThis as any).navigator, 'serviceWorker', { value: undefined });
  });
  const page = await context.newPage();
  const scripts: Array<Promise<number>> = [];
  let loaded = false;
  page.on('response', (response) => {
    if (!loaded && response.request().resourceType() === 'script')
      scripts.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
  });
  const start = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  loaded = true;
  await page.locator(readySelector).first().waitFor();
  const readyMs = Date.now() - start;
  const fcpMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const entry = performance.getEntriesByName('first-contentful-paint')[0];
        if (entry) return resolve(entry.startTime);
        new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({
          type: 'paint' as never,
          buffered: true,
        });
      }),
  );
  const sizes = await Promise.all(scripts);
  await context.close();
  return { jsGzipBytes: sizes.reduce((a, b) => a + b, 0), scripts: sizes.length, fcpMs, readyMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (values: number[]) =>
  `${median(values).toFixed(0)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-web-'));
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    createResolvers,
    createCognito,
    extraRoutes: createExtraRoutes,
  });
  const { browser } = await launchHeadlessChromium();
  try {
    const build = await stack.webApp;
    const pages = {
      app: { url: stack.urls.app, ready: 'input[type=email]' },
      console: { url: stack.urls.console, ready: '.graphiql-container' },
    };
    const results: Record<keyof typeof pages, Load[]> = { app: [], console: [] };
    // One warm-up load each (the server's file caches, Chromium's code caches are per context anyway).
    for (const [name, p] of Object.entries(pages)) await measure(browser, p.url, p.ready).catch(() => name);
    for (let i = 0; i < RUNS; i++) {
      for (const name of (i % 2 ? ['console', 'app'] : ['app', 'console']) as Array<keyof typeof pages>)
        results[name].push(await measure(browser, pages[name].url, pages[name].ready));
    }
    const app = results.app;
    const consolePage = results.console;
    const rows = [
      ['', 'web app (/)', 'console (/console)', 'app / console'],
      [
        'initial JS, gzip -9',
        `${kb(app[0].jsGzipBytes)} in ${app[0].scripts} files`,
        `${kb(consolePage[0].jsGzipBytes)} in ${consolePage[0].scripts} files`,
        `${(app[0].jsGzipBytes / consolePage[0].jsGzipBytes).toFixed(2)}×`,
      ],
      [
        'first contentful paint, p50 (min–max)',
        ms(app.map((r) => r.fcpMs)),
        ms(consolePage.map((r) => r.fcpMs)),
        `${(median(app.map((r) => r.fcpMs)) / median(consolePage.map((r) => r.fcpMs))).toFixed(2)}×`,
      ],
      [
        'ready to use, p50 (min–max)',
        ms(app.map((r) => r.readyMs)),
        ms(consolePage.map((r) => r.readyMs)),
        `${(median(app.map((r) => r.readyMs)) / median(consolePage.map((r) => r.readyMs))).toFixed(2)}×`,
      ],
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    console.log(
      `\nFirst load in headless Chromium, empty cache, ${RUNS} loads each, alternated (local stack, ${stack.urls.app})\n`,
    );
    for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
    console.log(
      `\nThe app's build: ${build.initialScripts.length} initial files, ${kb(build.initialScriptsGzip)} gzip -9 ` +
        `(budget 200 KB); the first paint budget is 1,000 ms. Ready = the app's sign-in form, the console's GraphiQL.`,
    );
    if (build.initialScriptsGzip > 200 * 1024) process.exitCode = 1;
  } finally {
    await browser.close();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
