import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/stack.ts';

/**
 * `npm run bench`: every `bench:*` script of package.json, one after another (they measure
 * ratios on a shared 2-core machine, so never two at once). Each prints its own table.
 */
const scripts = Object.keys(
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>,
).filter((name) => name.startsWith('bench:'));
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== npm run ${script} ===`);
  const run = spawnSync('npm', ['run', '-s', script], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.error(`${script} failed (exit ${run.status})`);
  }
}
process.exitCode = failed ? 1 : 0;
