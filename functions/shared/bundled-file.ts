import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * A data file the code reads at run time (WebAssembly, fonts): next to the deployed bundle,
 * where infra copies it (infra/function-access.ts `bundleFiles`), else from its npm package.
 */
export function bundledFile(packagePath: string): Buffer {
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), path.basename(packagePath));
  return readFileSync(existsSync(beside) ? beside : require.resolve(packagePath));
}
