import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolverBindings } from '../../resolvers/manifest.ts';
import { PROJECT_ROOT } from '../stack.ts';
import { APPSYNC_CODE_LIMIT_BYTES, bundleResolverFile } from '../../resolvers/bundle.ts';

/**
 * `npm run build`: every resolver and pipeline function bundled into dist/resolvers/ exactly
 * as deployed, with its size against AppSync's code limit. Fails when one is over it.
 */
const outDir = path.join(PROJECT_ROOT, 'dist', 'resolvers');
await mkdir(outDir, { recursive: true });
let over = 0;
for (const binding of resolverBindings(PROJECT_ROOT)) {
  const files = [binding.file, ...(binding.functions ?? []).map((f) => f.file)].filter((f): f is string => f !== null);
  for (const file of files) {
    const code = await bundleResolverFile(file);
    const name = path
      .relative(path.join(PROJECT_ROOT, 'resolvers'), file)
      .replace(/\.ts$/, '.js')
      .replaceAll(path.sep, '__');
    await writeFile(path.join(outDir, name), code);
    const size = Buffer.byteLength(code);
    if (size > APPSYNC_CODE_LIMIT_BYTES) over += 1;
    console.log(`${size > APPSYNC_CODE_LIMIT_BYTES ? 'OVER' : 'ok  '} ${String(size).padStart(6)} B  ${name}`);
  }
}
if (over) {
  console.error(`${over} bundle(s) exceed AppSync's ${APPSYNC_CODE_LIMIT_BYTES} byte limit`);
  process.exitCode = 1;
}
