import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/stack.ts';

/**
 * The dependency tree as `npm ci` installs it (package-lock.json) holds none of the versions
 * with published advisories below: what `npm audit` would say, checked where the registry's
 * audit endpoint cannot be reached. Each entry: the package, the first affected version, the
 * first fixed one ('' when no fix exists), and the advisory.
 */
const KNOWN_VULNERABLE: Array<[name: string, from: string, fixedIn: string, advisory: string]> = [
  ['dicer', '0.0.0', '', 'GHSA-wm7h-9275-46v2: a malformed multipart body crashes the process'],
  ['s3rver', '0.0.0', '', 'unmaintained; depends on busboy 0.x and dicer'],
  ['busboy', '0.0.0', '1.0.0', 'uses dicer (GHSA-wm7h-9275-46v2)'],
  ['fast-xml-parser', '0.0.0', '4.4.1', 'CVE-2023-34104 prototype pollution, CVE-2024-41818 ReDoS'],
  ['xml2js', '0.0.0', '0.5.0', 'CVE-2023-0842 prototype pollution'],
  ['ws', '8.0.0', '8.17.1', 'CVE-2024-37890 denial of service by many headers'],
  ['semver', '7.0.0', '7.5.2', 'CVE-2022-25883 ReDoS'],
  ['tough-cookie', '0.0.0', '4.1.3', 'CVE-2023-26136 prototype pollution'],
  ['braces', '0.0.0', '3.0.3', 'CVE-2024-4068 memory exhaustion'],
  ['micromatch', '0.0.0', '4.0.8', 'CVE-2024-4067 ReDoS'],
  ['cross-spawn', '7.0.0', '7.0.5', 'CVE-2024-21538 ReDoS'],
  ['path-to-regexp', '0.0.0', '0.1.10', 'CVE-2024-45296 ReDoS'],
  ['cookie', '0.0.0', '0.7.0', 'CVE-2024-47764 injection'],
  ['nanoid', '3.0.0', '3.3.8', 'CVE-2024-55565 predictable output'],
  ['form-data', '4.0.0', '4.0.4', 'CVE-2025-7783 predictable boundary'],
  ['undici', '6.0.0', '6.21.1', 'CVE-2025-22150 predictable boundary'],
  ['lodash', '0.0.0', '4.17.21', 'CVE-2021-23337 command injection'],
  ['json5', '2.0.0', '2.2.2', 'CVE-2022-46175 prototype pollution'],
  ['tar', '0.0.0', '6.2.1', 'CVE-2024-28863 denial of service'],
  ['ip', '0.0.0', '', 'CVE-2024-29415 SSRF, unfixed'],
  ['esbuild', '0.0.0', '0.25.0', 'GHSA-67mh-4wv8-2f99 dev server answers any origin'],
];

const parts = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);
function below(version: string, bound: string): boolean {
  const [a, b] = [parts(version), parts(bound)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

describe('the locked dependency tree', () => {
  it('given package-lock.json, then no installed package is a version with a known advisory', () => {
    const lock = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const found: string[] = [];
    for (const [where, info] of Object.entries(lock.packages)) {
      const name = where.split('node_modules/').pop()!;
      if (!info.version) continue;
      for (const [vulnerable, from, fixedIn, advisory] of KNOWN_VULNERABLE)
        if (name === vulnerable && !below(info.version, from) && (!fixedIn || below(info.version, fixedIn)))
          found.push(`${where}@${info.version}: ${advisory}`);
    }
    expect(found).toEqual([]);
  });
});
