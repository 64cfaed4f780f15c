import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isItemId, MAX_SORT_KEY_BYTES, utf8ByteLength } from '../../../model/item-ids.ts';

/** Any UTF-16 code unit, lone surrogates included: what a GraphQL string argument can carry. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) });
/** Whole code points, astral ones (4 bytes in UTF-8) included. */
const codePoints = fc.string({ unit: 'binary' });

describe('utf8ByteLength', () => {
  it('given any string, then it counts the bytes the SDK sends (TextEncoder: a lone surrogate is U+FFFD)', () => {
    fc.assert(
      fc.property(fc.oneof(codeUnits, codePoints), (text) => {
        expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['', 0],
    ['RULE#', 5],
    ['café', 5],
    ['星巴克', 9],
    ['☕', 3],
    ['🍜', 4],
    ['\ud83c', 3],
    ['\udf5c\ud83c', 6],
  ])('given %j, then %i bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });
});

describe('isItemId', () => {
  it('given ids at and past the sort key limit in bytes, then only those that fit are ids, whatever their length in characters', () => {
    expect(isItemId('01JD0000000000000000000000')).toBe(true);
    expect(isItemId('')).toBe(false);
    expect(isItemId(42)).toBe(false);
    expect(isItemId(null)).toBe(false);
    // Longer than 256 characters, as a recurring series id can be: an id while it fits 1,024 bytes.
    expect(isItemId('x'.repeat(MAX_SORT_KEY_BYTES))).toBe(true);
    expect(isItemId('x'.repeat(MAX_SORT_KEY_BYTES + 1))).toBe(false);
    // 342 characters of 3 bytes are 1,026 bytes: too long, though short in characters.
    expect(isItemId('星'.repeat(341))).toBe(true);
    expect(isItemId('星'.repeat(342))).toBe(false);
  });

  it('given a key prefix, then the prefix counts towards the limit (a recurring rule is stored as RULE#<id>)', () => {
    const id = 'x'.repeat(MAX_SORT_KEY_BYTES - 'RULE#'.length);
    expect(isItemId(id, 'RULE#')).toBe(true);
    expect(isItemId(`${id}x`, 'RULE#')).toBe(false);
    expect(isItemId(`${id}x`)).toBe(true);
  });
});
