import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import american from 'dictionary-en';
import british from 'dictionary-en-gb';
import nspell from 'nspell';
import { packWords, type WordListData } from '../../functions/ocr/word-list.ts';
import { PROJECT_ROOT } from '../stack.ts';
import { generatedJsonText } from './generated-json.ts';

/**
 * `npm run words`: regenerates functions/ocr/english-words.json, the word list the OCR function
 * mends merchant names' misread words with, from the pinned dictionary-en and dictionary-en-gb
 * (SCOWL's en_US and en_GB-ise Hunspell dictionaries: receipts from Malaysia to London spell
 * "jewellery", "centre") expanded by nspell (devDependencies). Run it after updating either; the
 * word list test fails while the committed file differs from what they give.
 */
export const ENGLISH_WORDS_FILE = path.join(PROJECT_ROOT, 'functions/ocr/english-words.json');

const versionOf = (pkg: string) =>
  (
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

export function englishWordsFromPackages(): WordListData {
  // nspell applies the affix rules to every stem when it loads: its data holds every form.
  const formsOf = ({ aff, dic }: typeof american) =>
    Object.keys((nspell(Buffer.from(aff), Buffer.from(dic)) as unknown as { data: Record<string, unknown> }).data);
  const forms = [...formsOf(american), ...formsOf(british)];
  const common = new Set(forms.filter((w) => /^[a-z]+$/.test(w)));
  const proper = forms.map((w) => w.toLowerCase()).filter((w) => !common.has(w));
  return {
    source: `dictionary-en ${versionOf('dictionary-en')} and dictionary-en-gb ${versionOf('dictionary-en-gb')} (SCOWL en_US and en_GB-ise size 60, MIT AND BSD), forms by nspell ${versionOf('nspell')}`,
    common: packWords(common),
    proper: packWords(proper),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const data = englishWordsFromPackages();
  writeFileSync(ENGLISH_WORDS_FILE, generatedJsonText(data));
  const count = (packed: Record<string, string>) =>
    Object.entries(packed).reduce((n, [length, run]) => n + run.length / Number(length), 0);
  console.log(
    `${path.relative(PROJECT_ROOT, ENGLISH_WORDS_FILE)}: ${data.source}\n${count(data.common)} common, ${count(data.proper)} proper`,
  );
}
