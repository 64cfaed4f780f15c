/**
 * Names as they appear on receipts and as typed, reduced to what identifies a brand: the same
 * reduction for the index's names (at build time) and for a merchant (at lookup), so
 * "REWE Markt GmbH", "McDonald's 1234", "ALDI SÜD" and "星巴克(国贸店)" meet "REWE", "McDonald's",
 * "Aldi Süd" and "星巴克" in the index.
 *
 * A name becomes a list of units: words of spaced scripts (Latin, Cyrillic, Greek, Arabic,
 * Hebrew, Hangul, Devanagari…) and single characters of unspaced ones (Han, kana, Thai, Lao,
 * Khmer, Myanmar), so a brand can be found inside a longer name in either kind of script. A
 * key is units joined without separators: accents folded (é→e, ß→ss), case folded, punctuation
 * and spaces gone.
 */

// Scripts written without spaces between words: every character is a unit (with the kana
// length mark ー and the iteration mark 々, which are in no script of their own).
const UNSPACED_CHARS =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}\\u30fc\\u3005';
const UNSPACED = new RegExp(`[${UNSPACED_CHARS}]`, 'u');
const UNIT = new RegExp(`[${UNSPACED_CHARS}]\\p{M}*|(?:(?![${UNSPACED_CHARS}])[\\p{L}\\p{N}\\p{M}])+`, 'gu');

// Letters NFKD does not take apart.
const FOLDED: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

/** Lower case, compatibility forms (fullwidth, ligatures) unified, Latin accents off, apostrophes gone. */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħ]/g, (c) => FOLDED[c] ?? c)
    .replace(/['’ʼ`´]/g, '');
}

/** Company forms, written as units (accents folded), that say nothing about what a business sells. */
const LEGAL_FORMS: readonly string[][] = [
  // German-speaking: GmbH & Co. KG and its parts
  'gmbh co kg',
  'gmbh co ohg',
  'ag co kg',
  'se co kg',
  'co kg',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'e v',
  'se',
  // Malaysia, Singapore, Indonesia, India, Australia
  'sdn bhd',
  's b',
  'bhd',
  'berhad',
  'plt',
  'enterprise',
  'trading',
  'tbk',
  'pte ltd',
  'pty ltd',
  'pvt ltd',
  'private limited',
  // English-speaking
  'co ltd',
  'company limited',
  'ltd',
  'limited',
  'llc',
  'l l c',
  'llp',
  'lp',
  'plc',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  // French, Spanish, Italian, Portuguese, Dutch
  'et cie',
  'cie',
  'sa',
  's a',
  'sas',
  's a s',
  'sasu',
  'sarl',
  's a r l',
  'eurl',
  'snc',
  'sl',
  's l',
  'slu',
  'srl',
  's r l',
  'spa',
  's p a',
  'sapa',
  'ltda',
  'eireli',
  'epp',
  'lda',
  'unipessoal lda',
  'bv',
  'b v',
  'nv',
  'n v',
  'vof',
  'cv',
  // Nordic, Central and Eastern Europe
  'ab',
  'aps',
  'a s',
  'as',
  'asa',
  'oy',
  'oyj',
  'kft',
  'zrt',
  'nyrt',
  'sp z o o',
  'spzoo',
  'sp j',
  's r o',
  'sro',
  'd o o',
  'doo',
  'ooo',
  'ооо',
  'оао',
  'зао',
  'пао',
  'ао',
  'тов',
  'ип',
  'jsc',
  'pjsc',
  'ojsc',
  // Japan (romanised)
  'kk',
  'k k',
].map((form) => form.split(' '));

// Written before the name: PT Matahari, CV Sinar, 株式会社 (kabushiki kaisha).
const LEADING_FORMS: readonly string[][] = [['pt'], ['cv'], ['株', '式', '会', '社'], ['有', '限', '会', '社']];
// After the name in Chinese and Japanese: 有限公司, 股份有限公司, 株式会社…
const TRAILING_CJK_FORMS: readonly string[][] = [
  '股份有限公司',
  '有限责任公司',
  '有限責任公司',
  '有限公司',
  '股份公司',
  '株式会社',
  '有限会社',
  '合同会社',
  '公司',
  '集团',
  '集團',
].map((form) => form.split(''));

// What follows a brand on a receipt and is no part of it: store numbers and branch words.
const BRANCH_WORDS = new Set([
  'no',
  'nr',
  'nº',
  'store',
  'branch',
  'outlet',
  'filiale',
  'fil',
  'cawangan',
  'sucursal',
  'succursale',
  'magasin',
  'tienda',
  'negozio',
  'vestiging',
  'loja',
  'unit',
  'shop',
  '店',
]);

export function unitsOf(name: string): string[] {
  return foldName(name).match(UNIT) ?? [];
}

export function isUnspaced(unit: string): boolean {
  return UNSPACED.test(unit);
}

function endsWith(units: readonly string[], form: readonly string[]): boolean {
  if (form.length > units.length) return false;
  const start = units.length - form.length;
  return form.every((u, i) => units[start + i] === u);
}

function startsWith(units: readonly string[], form: readonly string[]): boolean {
  return form.length <= units.length && form.every((u, i) => units[i] === u);
}

const isNumber = (unit: string) => /^\p{N}+$/u.test(unit);

/**
 * The units that name the business: company forms, store numbers and branch words cut from
 * the end (repeatedly: "Tesco Stores Ltd 2345"), company forms from the start. What is left
 * when everything would go is the name as it was.
 */
export function coreUnitsOf(name: string): string[] {
  const all = unitsOf(name);
  let units = all;
  for (let changed = true; changed && units.length > 1;) {
    changed = false;
    const last = units[units.length - 1];
    if (isNumber(last) || BRANCH_WORDS.has(last)) {
      units = units.slice(0, -1);
      changed = true;
      continue;
    }
    const form = [...LEGAL_FORMS, ...TRAILING_CJK_FORMS].find((f) => f.length < units.length && endsWith(units, f));
    if (form) {
      units = units.slice(0, units.length - form.length);
      changed = true;
    }
  }
  const lead = LEADING_FORMS.find((f) => f.length < units.length && startsWith(units, f));
  if (lead) units = units.slice(lead.length);
  return units.length > 0 ? units : all;
}

export const keyOfUnits = (units: readonly string[]): string => units.join('');

/** The key a brand name is indexed under. */
export function brandKeyOf(name: string): string {
  return keyOfUnits(coreUnitsOf(name));
}
