import { createHash } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * A ULID whose time part is `timeMs` and whose random part comes from SHA-256(`seed`): the same
 * inputs always give the same id, so a retried event writes the item it wrote before (a
 * conditional put then finds it) instead of a second one. Ids still sort by time.
 */
export function derivedUlid(timeMs: number, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let next = 0;
  // ulid draws one base-32 character per call: floor(prng() * 32).
  return ulid(Math.max(0, Math.floor(timeMs)), () => (digest[next++ % digest.length] % 32) / 32);
}
