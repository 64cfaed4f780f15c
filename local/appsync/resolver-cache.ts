import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { version as esbuildVersion } from 'esbuild';
import { bundleResolverFileWithInputs } from '../../resolvers/bundle.ts';
import { prepareResolverCode } from './vm-module.ts';

/**
 * Resolver bundles and their prepared form (local/appsync/vm-module.ts) kept under
 * node_modules/.cache between starts, as the web app's build is: a warm `npm start` reads them
 * back instead of running esbuild and the instrumenting parser on each. An entry holds
 * the hash of every file its bundle was made from and is used only while they all still
 * match; it is also keyed by esbuild's version and the code that prepares it.
 */
export interface PreparedResolver {
  bundle: string;
  prepared: { code: string; tick: string };
}

interface Entry extends PreparedResolver {
  tool: string;
  /** Input file (absolute path) → sha256 of its content. */
  inputs: Record<string, string>;
}

const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/appsync-resolvers/', import.meta.url));
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
/** What makes an entry: esbuild, the bundle options and the preparation. */
const TOOL = sha256(
  [
    esbuildVersion,
    ...['../../resolvers/bundle.ts', './vm-module.ts', './instrument.ts', './resolver-cache.ts'].map((file) =>
      readFileSync(new URL(file, import.meta.url), 'utf8'),
    ),
  ].join('\0'),
);

async function hashOf(file: string): Promise<string | null> {
  try {
    return sha256(await readFile(file));
  } catch {
    return null;
  }
}

async function fresh(entry: Entry): Promise<boolean> {
  if (entry.tool !== TOOL) return false;
  const hashes = await Promise.all(
    Object.entries(entry.inputs).map(async ([file, hash]) => (await hashOf(file)) === hash),
  );
  return hashes.every(Boolean);
}

export async function preparedResolverFile(file: string, cacheDir = CACHE_DIR): Promise<PreparedResolver> {
  const entryFile = path.join(cacheDir, `${sha256(path.resolve(file))}.json`);
  try {
    const entry = JSON.parse(await readFile(entryFile, 'utf8')) as Entry;
    if (await fresh(entry)) return { bundle: entry.bundle, prepared: entry.prepared };
  } catch {
    // No entry yet, or one that cannot be read: made again below.
  }
  const { code: bundle, inputs } = await bundleResolverFileWithInputs(file);
  // A name no resolver source can hold (made after it was written), replaced by the realm's own at load.
  const tick = `__appsync_tick_${randomBytes(8).toString('hex')}`;
  const entry: Entry = {
    tool: TOOL,
    // esbuild names inputs relative to the working directory.
    inputs: Object.fromEntries(
      await Promise.all(inputs.map(async (input) => [path.resolve(input), await hashOf(path.resolve(input))])),
    ),
    bundle,
    prepared: { code: prepareResolverCode(bundle, file, tick), tick },
  };
  try {
    await mkdir(cacheDir, { recursive: true });
    const temporary = `${entryFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, entryFile);
  } catch {
    // A cache that cannot be written only makes the next start slower.
  }
  return { bundle, prepared: entry.prepared };
}
