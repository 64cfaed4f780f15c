/**
 * The key under which a user's merchant is remembered (Merchants table), in every script:
 * lower case, letters and digits only, so "STARBUCKS #1234", "Starbucks 1234" and
 * "starbucks-1234" are one merchant, and "星巴克", "مطعم" or "סופר-פארם" keep their letters.
 *
 * Shared by the resolvers (APPSYNC_JS: no regular expressions, no Intl) and the functions, so
 * both always agree. Characters are classed one UTF-16 unit at a time by their code block:
 * a letter is a character whose upper and lower case differ, an ASCII digit, or any character
 * of a caseless script (CJK, Arabic, Hebrew, Thai, Indic…) that is not punctuation or a symbol.
 * A name of symbols only ("☕", "🍔🍟") is keyed by its symbols, and one of punctuation only by
 * everything that is not white space: every non-blank name has a non-empty key.
 *
 * Names with a cased letter or digit and no caseless-script letter keep the key they had
 * before caseless scripts were kept (learned categories stay found).
 */

const DIGITS = '0123456789';

type CharClass = 'letter' | 'symbol' | 'separator';

// [first, last] code unit ranges (inclusive) that are punctuation, spaces, marks or format
// characters in otherwise caseless blocks: they separate words and are never part of a key.
const SEPARATOR_RANGES: ReadonlyArray<readonly [string, string]> = [
  ['\u0080', '\u00bf'], // Latin-1 controls, no-break space, punctuation and signs (¡ ¿ « » ° £ ©…)
  ['\u00d7', '\u00d7'], // ×
  ['\u00f7', '\u00f7'], // ÷
  ['\u02b0', '\u02ff'], // spacing modifier letters: ʼ ˆ ˜ ˈ (an apostrophe typed as ʼ)
  ['\u0300', '\u036f'], // combining accents of decomposed Latin (dropped, as they always were)
  ['\u0374', '\u0375'], // Greek numeral signs, question mark, tonos
  ['\u037e', '\u037e'],
  ['\u0384', '\u0385'],
  ['\u0387', '\u0387'],
  ['\u055a', '\u055f'], // Armenian punctuation
  ['\u0589', '\u058a'],
  ['\u05be', '\u05be'], // Hebrew maqaf, paseq, sof pasuq, geresh, gershayim (בע״מ)
  ['\u05c0', '\u05c0'],
  ['\u05c3', '\u05c3'],
  ['\u05f3', '\u05f4'],
  ['\u060c', '\u060d'], // Arabic comma, date separator
  ['\u061b', '\u061f'], // Arabic semicolon, question mark…
  ['\u066a', '\u066d'], // Arabic percent, decimal and thousands separators, five-pointed star
  ['\u06d4', '\u06d4'], // Arabic full stop
  ['\u0964', '\u0965'], // Devanagari danda
  ['\u0e4f', '\u0e4f'], // Thai fongman
  ['\u0e5a', '\u0e5b'],
  ['\u1680', '\u1680'], // Ogham space
  ['\u2000', '\u206f'], // General Punctuation: spaces, dashes, quotes, zero-width joiners and marks
  ['\u2e00', '\u2e7f'], // Supplemental Punctuation
  ['\u3000', '\u3004'], // CJK space, 、。〃〄 (〆々〇 at 3005–3007 are letters)
  ['\u3008', '\u3020'], // CJK brackets 「」【】…
  ['\u3030', '\u3030'],
  ['\u30fb', '\u30fb'], // Katakana middle dot (スターバックス・コーヒー)
  ['\ufe00', '\ufe0f'], // variation selectors (☕️ is ☕ + U+FE0F)
  ['\ufe10', '\ufe1f'], // vertical forms
  ['\ufe30', '\ufe6f'], // CJK compatibility forms, small form variants
  ['\ufeff', '\ufeff'], // byte order mark
  ['\uff00', '\uff0f'], // fullwidth punctuation ！＂＃…／
  ['\uff1a', '\uff20'],
  ['\uff3b', '\uff40'],
  ['\uff5b', '\uff65'],
  ['\ufff0', '\uffff'], // specials
];

// Symbols: kept only when a name has no letter at all.
const SYMBOL_RANGES: ReadonlyArray<readonly [string, string]> = [
  ['\u2070', '\u2bff'], // super/subscripts, currency, letterlike, arrows, maths, technical, shapes, ☕ and dingbats
  ['\u2e80', '\u2eff'], // CJK radicals supplement (pictographic components, not words)
  ['\ue000', '\uf8ff'], // private use
];

// The high surrogates of U+1F000–U+1FBFF: emoji, playing cards, pictographs, symbols.
const EMOJI_HIGH_SURROGATES: readonly [string, string] = ['\ud83c', '\ud83e'];
const HIGH_SURROGATES: readonly [string, string] = ['\ud800', '\udbff'];
const LOW_SURROGATES: readonly [string, string] = ['\udc00', '\udfff'];

function within(c: string, range: readonly [string, string]): boolean {
  return c >= range[0] && c <= range[1];
}

function withinAny(c: string, ranges: ReadonlyArray<readonly [string, string]>): boolean {
  for (const range of ranges) if (within(c, range)) return true;
  return false;
}

/** The class of one UTF-16 unit that is not a surrogate, already lower-cased. */
function classOf(c: string): CharClass {
  if (c.toUpperCase() !== c.toLowerCase()) return 'letter';
  if (c < '\u0080') return DIGITS.indexOf(c) >= 0 ? 'letter' : 'separator';
  if (withinAny(c, SEPARATOR_RANGES)) return 'separator';
  if (withinAny(c, SYMBOL_RANGES)) return 'symbol';
  return 'letter';
}

/** Letters (and digits) and symbols of a name, each as an array of UTF-16 units in order. */
function partsOf(merchant: string): { letters: string[]; symbols: string[] } {
  const letters: string[] = [];
  const symbols: string[] = [];
  // A surrogate pair is one character: its high half decides, its low half follows it.
  let pairClass: CharClass | null = null;
  for (const c of merchant.toLowerCase().split('')) {
    let kind: CharClass;
    if (within(c, HIGH_SURROGATES)) {
      kind = within(c, EMOJI_HIGH_SURROGATES) ? 'symbol' : 'letter';
      pairClass = kind;
    } else if (within(c, LOW_SURROGATES)) {
      kind = pairClass === null ? 'symbol' : pairClass;
      pairClass = null;
    } else {
      kind = classOf(c);
      pairClass = null;
    }
    if (kind === 'letter') letters.push(c);
    else if (kind === 'symbol') symbols.push(c);
  }
  return { letters, symbols };
}

export function merchantKeyOf(merchant: string): string {
  const { letters, symbols } = partsOf(merchant);
  if (letters.length > 0) return letters.join('');
  if (symbols.length > 0) return symbols.join('');
  // Punctuation only ("!!!", "---"): everything but white space, so the key is still the name's own.
  return merchant
    .toLowerCase()
    .split('')
    .filter((c) => c.trim() !== '')
    .join('');
}
