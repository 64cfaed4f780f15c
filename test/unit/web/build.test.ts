import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWebApp, forgetWebBuilds, webInputHash } from '../../../web/build.ts';

/**
 * The web app's build: made once per set of inputs and read back from the cache after that
 * (what keeps `npm start` fast), with the first load's scripts named and measured.
 */
const cacheDir = await mkdtemp(path.join(tmpdir(), 'web-build-'));
afterAll(() => rm(cacheDir, { recursive: true, force: true }));

describe('buildWebApp', () => {
  it('given an empty cache, then it builds; given the same inputs again, then the cached build is read, not rebuilt', async () => {
    const first = await buildWebApp({ cacheDir });
    expect(first.built).toBe(true);
    expect(path.basename(first.dir)).toBe(await webInputHash());
    forgetWebBuilds();
    const again = await buildWebApp({ cacheDir });
    expect(again.built).toBe(false);
    expect([...again.assets.keys()].sort()).toEqual([...first.assets.keys()].sort());
    // Nothing half-written is left beside the build.
    expect(await readdir(cacheDir)).toEqual([path.basename(first.dir)]);
  }, 120_000);

  it('given the build, then index.html names the entry and its static imports, and the first load is within the 200 KB budget', async () => {
    const build = await buildWebApp({ cacheDir });
    const html = build.assets.get('/index.html')!.body.toString();
    const [entry, ...preloads] = build.initialScripts;
    expect(html).toContain(`<script type="module" src="${entry}"></script>`);
    for (const url of preloads) expect(html).toContain(`<link rel="modulepreload" href="${url}" />`);
    for (const url of build.initialScripts) expect(build.assets.get(url)?.immutable).toBe(true);
    // Screens are their own chunks: the expenses screen's code is not in the first load.
    const firstLoad = build.initialScripts.map((url) => build.assets.get(url)!.body.toString()).join('\n');
    expect(firstLoad).not.toContain('Load more');
    expect([...build.assets.keys()].some((url) => /^\/app\/expenses-[A-Z0-9]+\.js$/.test(url))).toBe(true);
    expect(build.initialScriptsGzip).toBeGreaterThan(10_000);
    expect(build.initialScriptsGzip).toBeLessThanOrEqual(200 * 1024);
    expect(build.assets.get('/sw.js')!.body.toString()).toContain(entry);
  }, 120_000);
});
