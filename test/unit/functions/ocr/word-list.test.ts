import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packedHas, packWords } from '../../../../functions/ocr/word-list.ts';
import { ENGLISH_WORDS_FILE, englishWordsFromPackages } from '../../../../local/cli/english-words.ts';
import { generatedJsonText } from '../../../../local/cli/generated-json.ts';

/**
 * The English word list the OCR function mends names with: generated from the pinned
 * dictionary-en and dictionary-en-gb by `npm run words` and committed
 * (functions/ocr/english-words.json), so the Lambda bundle holds it and reads no file.
 */
describe('English word list', () => {
  it('given the pinned dictionaries, when the word list is rebuilt, then it is the committed file (run npm run words after an update)', () => {
    const rebuilt = englishWordsFromPackages();
    expect(rebuilt.source).toMatch(/^dictionary-en \d+\.\d+\.\d+ and dictionary-en-gb \d+\.\d+\.\d+ /);
    expect(generatedJsonText(rebuilt) === readFileSync(ENGLISH_WORDS_FILE, 'utf8')).toBe(true);
  }, 60_000);

  it('given packed words, when looked up, then only the words packed are found, at every length', () => {
    const packed = packWords(['pear', 'apple', 'fig', 'plum', 'banana', 'Kiwi', 'figs']);
    expect(['pear', 'apple', 'fig', 'plum', 'banana', 'figs'].every((w) => packedHas(packed, w))).toBe(true);
    expect(['pea', 'apples', 'kiwi', 'plums', 'a', ''].some((w) => packedHas(packed, w))).toBe(false);
  });
});
