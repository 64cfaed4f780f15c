import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { APP_PATHS } from './src/app-paths.ts';

/**
 * The web app's build: esbuild bundles web/src (Preact, Amplify's Auth and API categories) into
 * content-hashed ES modules, one chunk per lazy route, a service worker and an index.html that
 * names the entry and its static imports. `npm start`, `npm run synth` and the tests call
 * `buildWebApp()`: the output is cached under node_modules/.cache by a hash of every input
 * (web/, model/, generated/, package-lock.json and esbuild's version), so a warm start reads it
 * back in milliseconds and nothing built is ever committed.
 */
const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(WEB_DIR, '..');
/** Everything the bundle is made from; node_modules changes only with package-lock.json. */
const INPUTS = ['web/src', 'web/public', 'web/build.ts', 'model', 'generated', 'package-lock.json'];

export interface WebAsset {
  body: Buffer;
  contentType: string;
  /** Content-hashed (under /app/): may be cached for a year. */
  immutable: boolean;
}

export interface WebBuild {
  /** Files by URL path (`/index.html`, `/app/main-XXXX.js`, `/sw.js`…). */
  assets: Map<string, WebAsset>;
  /** URL paths of the JavaScript the first page load runs (the entry and its static imports). */
  initialScripts: string[];
  /** Their size, gzip level 9, in bytes. */
  initialScriptsGzip: number;
  /** Where the files are on disk. */
  dir: string;
  /** Whether this call ran esbuild (false: read from the cache). */
  built: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json',
};

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A hash of every input file's path and bytes, and of the esbuild version. */
export async function webInputHash(): Promise<string> {
  const hash = createHash('sha256').update(esbuild.version);
  for (const input of INPUTS) {
    const full = path.join(PROJECT_ROOT, input);
    const files = existsSync(full) && statSync(full).isFile() ? [full] : await filesUnder(full);
    for (const file of files) {
      hash.update(path.relative(PROJECT_ROOT, file)).update('\0');
      hash.update(await readFile(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function defaultCacheDir(): string {
  const modules = path.join(PROJECT_ROOT, 'node_modules');
  return existsSync(modules) ? path.join(modules, '.cache', 'web') : path.join(os.tmpdir(), 'expense-tracker-web');
}

const MANIFEST = 'build-manifest.json';

interface BuildManifest {
  initialScripts: string[];
}

/** The entry's static imports, transitively: what the browser loads before the first render. */
function initialScriptsOf(metafile: esbuild.Metafile, outDir: string): string[] {
  const toUrl = (output: string) =>
    `/${path.relative(outDir, path.resolve(PROJECT_ROOT, output)).split(path.sep).join('/')}`;
  const entry = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint?.endsWith('web/src/main.tsx'));
  if (!entry) throw new Error('web build: no output for web/src/main.tsx');
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? [])
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry[0]);
  return [...seen].map(toUrl);
}

function indexHtml(template: string, scripts: string[], styles: string[]): string {
  const [entry, ...preloads] = scripts;
  const head = [
    ...styles.map((href) => `<link rel="stylesheet" href="${href}" />`),
    ...preloads.map((href) => `<link rel="modulepreload" href="${href}" />`),
    `<script type="module" src="${entry}"></script>`,
  ].join('\n    ');
  return template.replace('<!-- build:assets -->', head);
}

async function runEsbuild(outDir: string): Promise<BuildManifest> {
  const result = await esbuild.build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { main: 'web/src/main.tsx' },
    outdir: path.join(outDir, 'app'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(WEB_DIR, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'silent',
  });
  const initialScripts = initialScriptsOf(result.metafile, outDir);
  const styles = Object.keys(result.metafile.outputs)
    .filter((o) => o.endsWith('.css'))
    .map((o) => `/${path.relative(outDir, path.resolve(PROJECT_ROOT, o)).split(path.sep).join('/')}`);

  // The service worker sits at the root (its scope is the whole app) under a fixed name; it
  // precaches the shell, so the app opens offline and the upload queue can wait there.
  const shell = ['/', ...initialScripts, ...styles, '/manifest.webmanifest', '/icon.svg'];
  await esbuild.build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: ['web/src/service-worker.ts'],
    outfile: path.join(outDir, 'sw.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    define: {
      SHELL_FILES: JSON.stringify(shell),
      SHELL_VERSION: JSON.stringify(createHash('sha256').update(shell.join()).digest('hex').slice(0, 12)),
      APP_PATHS: JSON.stringify(APP_PATHS),
    },
    logLevel: 'silent',
  });

  const template = await readFile(path.join(WEB_DIR, 'src', 'index.html'), 'utf8');
  await writeFile(path.join(outDir, 'index.html'), indexHtml(template, initialScripts, styles));
  for (const file of await filesUnder(path.join(WEB_DIR, 'public')))
    await writeFile(path.join(outDir, path.basename(file)), await readFile(file));
  const manifest: BuildManifest = { initialScripts };
  await writeFile(path.join(outDir, MANIFEST), JSON.stringify(manifest));
  return manifest;
}

async function loadAssets(dir: string): Promise<Map<string, WebAsset>> {
  const assets = new Map<string, WebAsset>();
  for (const file of await filesUnder(dir)) {
    const urlPath = `/${path.relative(dir, file).split(path.sep).join('/')}`;
    if (urlPath === `/${MANIFEST}`) continue;
    const ext = path.extname(file);
    assets.set(urlPath, {
      body: await readFile(file),
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      immutable: urlPath.startsWith('/app/'),
    });
  }
  return assets;
}

let pending: Map<string, Promise<WebBuild>> = new Map();

/**
 * The app, built or read from the cache. Concurrent calls (several stacks in one test
 * process) share one build; a build is written to a temporary folder and renamed into place,
 * so a crash or a second process never leaves a half-written cache entry.
 */
export function buildWebApp(options: { cacheDir?: string } = {}): Promise<WebBuild> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  let build = pending.get(cacheDir);
  if (!build) {
    build = buildOrReuse(cacheDir);
    pending.set(cacheDir, build);
    build.catch(() => pending.delete(cacheDir));
  }
  return build;
}

/** Forget builds made in this process (a test that edits inputs). */
export function forgetWebBuilds(): void {
  pending = new Map();
}

async function buildOrReuse(cacheDir: string): Promise<WebBuild> {
  const key = await webInputHash();
  const dir = path.join(cacheDir, key);
  let built = false;
  if (!existsSync(path.join(dir, MANIFEST))) {
    const staging = `${dir}.${process.pid}.${Date.now()}.tmp`;
    await mkdir(staging, { recursive: true });
    try {
      await runEsbuild(staging);
      // Never delete a build another process put in place (a reader may be loading it): a rename onto
      // an existing folder fails, and that build of the same inputs is used. Only a folder without a
      // manifest (left by an old version) is replaced.
      built = await rename(staging, dir).then(
        () => true,
        async () => {
          if (existsSync(path.join(dir, MANIFEST))) return false;
          await rm(dir, { recursive: true, force: true });
          await rename(staging, dir);
          return true;
        },
      );
      if (!built) await rm(staging, { recursive: true, force: true });
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(path.join(dir, MANIFEST))) throw error;
    }
    await pruneOldBuilds(cacheDir, key);
  }
  const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as BuildManifest;
  const assets = await loadAssets(dir);
  const initialScriptsGzip = manifest.initialScripts.reduce(
    (sum, url) => sum + gzipSync(assets.get(url)!.body, { level: 9 }).length,
    0,
  );
  return { assets, initialScripts: manifest.initialScripts, initialScriptsGzip, dir, built };
}

/** Keeps the cache to the current build and the one before (a branch switch back is still warm). */
async function pruneOldBuilds(cacheDir: string, keep: string): Promise<void> {
  const entries = await readdir(cacheDir, { withFileTypes: true }).catch(() => []);
  const builds = entries.filter((e) => e.isDirectory() && /^[0-9a-f]{16}$/.test(e.name) && e.name !== keep);
  const dated = builds.map((e) => ({ name: e.name, at: statSync(path.join(cacheDir, e.name)).mtimeMs }));
  dated.sort((a, b) => b.at - a.at);
  for (const old of dated.slice(1)) await rm(path.join(cacheDir, old.name), { recursive: true, force: true });
}
