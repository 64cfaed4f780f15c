import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { APPSYNC_CODE_LIMIT_BYTES, bundleResolverFile } from '../../../resolvers/bundle.ts';
import { PROJECT_ROOT } from '../../../local/stack.ts';
import { GENERATED_TYPES_FILE, generatedTypes } from '../../../local/cli/codegen.ts';
import { resolverBindings } from '../../../resolvers/manifest.ts';

/** What AppSync would refuse at deploy time, caught here: oversized bundles, lint violations, stale types. */
const sources = resolverBindings(PROJECT_ROOT)
  .flatMap((b) => [b.file, ...(b.functions ?? []).map((f) => f.file)])
  .filter((f): f is string => f !== null);

describe('resolver bundles', () => {
  it('given every resolver and pipeline function, when bundled as deployed, then each stays under the 32 KB code limit', async () => {
    expect(sources.length).toBeGreaterThan(0);
    for (const file of sources) {
      const size = Buffer.byteLength(await bundleResolverFile(file));
      expect({ file: path.relative(PROJECT_ROOT, file), over: size > APPSYNC_CODE_LIMIT_BYTES }).toEqual({
        file: path.relative(PROJECT_ROOT, file),
        over: false,
      });
    }
  });

  it("given the resolvers, when linted with AppSync's rules, then nothing APPSYNC_JS rejects is found", async () => {
    const eslint = new ESLint({ cwd: PROJECT_ROOT });
    const results = await eslint.lintFiles(['resolvers/**/*.ts']);
    const problems = results.flatMap((r) =>
      r.messages
        .filter((m) => m.severity === 2)
        .map((m) => `${path.relative(PROJECT_ROOT, r.filePath)}:${m.line} ${m.ruleId} ${m.message}`),
    );
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('generated types', () => {
  it('given schema.graphql, when codegen runs, then generated/graphql.ts is unchanged', async () => {
    expect(await generatedTypes()).toBe(await readFile(GENERATED_TYPES_FILE, 'utf8'));
  }, 60_000);
});
