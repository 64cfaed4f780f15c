import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preparedResolverFile } from '../../../../local/appsync/resolver-cache.ts';
import { loadResolverModule } from '../../../../local/appsync/vm-module.ts';

/** What a resolver made from the cache answers when the realm runs it. */
async function answerOf(file: string, cacheDir: string) {
  const { bundle, prepared } = await preparedResolverFile(file, cacheDir);
  const module = loadResolverModule(bundle, file, prepared);
  return module.call(
    'request',
    JSON.stringify({ arguments: {}, stash: {} }),
    'User Pool Authorization',
    Date.now() + 5000,
  );
}

describe('resolver bundles kept between starts', () => {
  let dir: string;
  let cacheDir: string;
  let resolver: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'resolver-cache-'));
    cacheDir = path.join(dir, 'cache');
    resolver = path.join(dir, 'Query.thing.ts');
    await writeFile(path.join(dir, 'lib.ts'), "export const word = 'one';\n");
    await writeFile(
      resolver,
      "import { word } from './lib.ts';\nexport function request() { return { word }; }\nexport function response(ctx) { return ctx.prev.result; }\n",
    );
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('given a resolver made once, when it is made again with nothing changed, then the kept entry is what runs (no second build)', async () => {
    expect(await answerOf(resolver, cacheDir)).toMatchObject({ kind: 'value', value: { word: 'one' } });
    const [entry] = await readdir(cacheDir);
    // Marks the kept code: only a run from the entry can answer 'kept'.
    const kept = await readFile(path.join(cacheDir, entry), 'utf8');
    await writeFile(
      path.join(cacheDir, entry),
      kept.replaceAll("'one'", "'kept'").replaceAll('\\"one\\"', '\\"kept\\"'),
    );
    expect(await answerOf(resolver, cacheDir)).toMatchObject({ kind: 'value', value: { word: 'kept' } });
    expect(await readdir(cacheDir)).toEqual([entry]);
  });

  it('given a kept resolver, when a file it imports changes, then the next start runs the new code, not the kept one', async () => {
    await answerOf(resolver, cacheDir);
    await writeFile(path.join(dir, 'lib.ts'), "export const word = 'two';\n");
    expect(await answerOf(resolver, cacheDir)).toMatchObject({ kind: 'value', value: { word: 'two' } });
  });

  it('given a kept resolver that loops, when it runs, then its deadline still stops it (the checks are wired to the realm that loads it)', async () => {
    await writeFile(
      resolver,
      'export function request() { for (;;) {} }\nexport function response() { return null; }\n',
    );
    await preparedResolverFile(resolver, cacheDir);
    const { bundle, prepared } = await preparedResolverFile(resolver, cacheDir);
    const module = loadResolverModule(bundle, resolver, prepared);
    const outcome = await module.call(
      'request',
      JSON.stringify({ arguments: {}, stash: {} }),
      'User Pool Authorization',
      Date.now() + 200,
    );
    expect(outcome).toMatchObject({ kind: 'timeout' });
  });

  it('given an entry that cannot be read, then the resolver is made again and answers', async () => {
    await answerOf(resolver, cacheDir);
    const [entry] = await readdir(cacheDir);
    await writeFile(path.join(cacheDir, entry), '{ not json');
    expect(await answerOf(resolver, cacheDir)).toMatchObject({ kind: 'value', value: { word: 'one' } });
  });
});
