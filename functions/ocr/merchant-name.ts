/**
 * A merchant's name as printed, from what OCR read of it: look-alike characters put back,
 * word spacing restored where the print has it and OCR lost it, registration numbers and
 * stray brackets cut off; plus the test that tells a printed name from print-through or a
 * watermark. Matching names across spellings (legal forms off: "SDN BHD", "GmbH & Co. KG") is
 * the categorizer's (functions/shared/categorize/brand-names.ts); the name kept is as printed.
 */

import { isLegalFormWord } from './name-words.ts';

/**
 * The name with OCR's confusions undone, as printed: full-width forms as plain ones, zeros
 * among letters as O ("AEON C0.", "t00m"), a capital I between small letters as l ("WorId"),
 * letter-spaced words closed ("B a u m a r k t"), a space after an abbreviating period and
 * around brackets ("MR.D.I.Y.(M)SDNBHD" → "MR. D.I.Y. (M) SDN BHD").
 */
export function cleanName(text: string): string {
  return balancedBrackets(
    text
      .normalize('NFKC')
      // The ideographic full stop a Chinese-trained recognizer reads for a point ("MR。 D.I.Y.").
      .replace(/。\s*/g, '. ')
      // Names print no space inside their brackets ("( SUNGAI RENGIT )" is "(SUNGAI RENGIT)").
      .replace(/\(\s+/g, '(')
      .replace(/\s+\)/g, ')')
      // Malaysia's "S/B" (Sendirian Berhad) with a 5 read for its S ("99 SPEED MART 5/B").
      .replace(/(?<=\p{L}\s)5\/B\b/gu, 'S/B')
      // Malaysia's "S/B" with a D read for its B, at the end of the name ("99 SPEED MART S/D"): no company form is written S/D.
      .replace(/(?<=\p{L}\s)S\/[D8](?=\s*$)/gu, 'S/B')
      // Malaysia's "SDN BHD" with look-alike letters ("SON BHD", "5dn Bhd", "SDN 3HD", "S DN BHD"), as printed otherwise.
      // Before BHD only SDN stands between S and N ("SUN BHD", "SEN BHD" are SDN BHD misread).
      .replace(
        /\b([S5])\s?(\p{L}|0)(N)(\.?\s?)([B38])(HD)\b/giu,
        (...[, s, d, n, gap, b, hd]: string[]) =>
          `${s === '5' ? 'S' : s}${d === d.toLowerCase() && d !== '0' ? 'd' : 'D'}${n}${gap}${/[38]/.test(b) ? 'B' : b}${hd}`,
      )
      // And BHD with a look-alike letter after SDN ("SDN BHI", "SDN DHD"): SDN is only ever followed by BHD.
      .replace(/\b(SDN\.?\s?)[BD38]H[DIl0O]\b/g, '$1BHD')
      // A hyphen read for the space before the legal form ("UNIHAKKA INTERNATIONAL-SDN BHD").
      .replace(/(?<=\p{L})-(?=SDN\b)/gu, ' ')
      .replace(/(?<=\p{L})0+(?![0-9])|(?<![0-9])0+(?=\p{L})/gu, (zeros) => 'O'.repeat(zeros.length))
      .replace(/(?<=[a-z])I(?=[a-z])/g, 'l')
      // Letter-spaced words, and the hyphen or ampersand spaced among them ("P E N N Y - M A R K T").
      .replace(/(?<!\S)(?:[\p{L}&-] ){2,}\p{L}(?!\S)/gu, (spaced) => spaced.replace(/ /g, ''))
      // Stars and rules framing the name ("*** PENNY-MARKT GmbH ***").
      .replace(/^[\s*#=~]+|[\s*#=~]+$/g, '')
      // Malaysia's "Sendirian Berhad" glued to the name or to itself.
      .replace(/(?<=\p{Lu}{2})(?=SDN\.?\s?BHD\b)/gu, ' ')
      .replace(/\bSDN\.?BHD\b/g, (suffix) => suffix.replace(/(SDN\.?)/, '$1 '))
      // Specks read as an underscore or a lone point between words ("THE MARCO _POLO . KITCH"), and a point
      // read for the space after a number ("99.SPEED MART"): names print neither.
      .replace(/_+/g, ' ')
      .replace(/(?<=\p{L}) \.(?= \p{L})/gu, '')
      .replace(/(?<=\b\d+)\.(?=\p{Lu}{3})/gu, ' ')
      // A colon read between words ("THE: TOAST"): names print none; a speck or a dot was read as one.
      .replace(/(?<=\p{L})[:;]\s+(?=\p{L})/gu, ' ')
      // Not before a web address's ending ("ECOSWAY.COM SDN BHD", "Verkkokauppa.com").
      .replace(/(?<=\p{L}{2})\.(?=\p{L})(?!(?:com|net|org|co|de|my|sg|uk|fr|es|it|nl|fi|id)\b)/giu, '. ')
      .replace(/(?<=[\p{Script=Latin}.])\(/gu, ' (')
      .replace(/\)(?=\p{L})/gu, ') ')
      // No name ends on a hyphen: it joined the name to the row below ("BAKERY S/B-" / "COMPANY NO: …").
      .replace(/\s*-+\s*$/, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/**
 * A bracket opened and never closed at the end of the name is closed. A bracket closed but never
 * opened ("ENTERPRISE ISETIA ALAM) SDN BHD"): OCR reads an opening
 * bracket as I, l, 1, C, L or T glued to the word it opens, within the three words before the
 * closing one. Where no word starts like that, a closing bracket that ends the name is a speck.
 */
function balancedBrackets(name: string): string {
  // One opened and never closed, the name ending inside it: OCR lost the closing one ("FUN N CHEER (MALURI"),
  // before the legal form where one ends the name ("ENTERPRISE (SETIA ALAM SDN BHD").
  if (/\([\p{L}\s.'&/-]*\p{L}{3}[\p{L}\s.'&/-]*$/u.test(name) && !name.includes(')')) {
    const words = name.split(' ');
    let end = words.length;
    while (end > 0 && isLegalFormWord(words[end - 1])) end -= 1;
    const before = words.slice(0, end).join(' ');
    return end < words.length && /\(.*\p{L}{3}/u.test(before) ? `${before}) ${words.slice(end).join(' ')}` : `${name})`;
  }
  if (name.includes('(') || !name.includes(')')) return name;
  const close = name.indexOf(')');
  const words = [...name.slice(0, close).matchAll(/\S+/g)].slice(-3).reverse();
  const opening = words.find((w) => /^[Il1CLT|[{](?=\p{Lu}{2})/u.test(w[0]));
  if (opening) return `${name.slice(0, opening.index)}(${name.slice(opening.index! + 1)}`;
  return close === name.length - 1 ? name.slice(0, -1).trim() : name;
}

/**
 * The name without what is printed after it on the same line: a registration or tax number
 * ("(139386-X)", "Company No: 1234", "GST ID 0012…") and a bracket left open ("FUN N CHEER (1").
 */
export function withoutRegistration(text: string): string {
  return (
    text
      // Full-width brackets ("（126926-H)") as plain ones, so the number inside is found.
      .normalize('NFKC')
      // A registration number OCR read with a letter in it ("(1393S6 X)").
      .replace(/\s*\(\s*\d{3,}[\dA-Z\s-]*\)?\s*$/, '')
      // One whose digits OCR read partly as look-alike letters ("(I393S6 X)": I for 1, S for 8).
      .replace(/\s*\(\s*(?=(?:[^)\d]*\d){3})[\dIlOSB]{5,}[\s-]*[A-Z]?\s*\)?\s*$/, '')
      .replace(
        /\s*[([]?\s*\b(company|co\.?\s*(no|reg)|reg(istration)?\.?\s*no|gst|sst|ust|vat|tax)\b[\s.-]*(no|id|nr|idnr)?\.?\s*\)?\s*[:#].*$/i,
        '',
      )
      // A registration label and its number without a colon ("Reg.kood 10714195", "Reg No 0123456").
      .replace(/\s*\b(reg(istration)?\.?\s*(no|nr|kood|code|number)|registrikood)\b[\s.:#]*[A-Z]{0,3}\d{4,}.*$/i, '')
      // A registration number, and the address printed after it on the same line ("(417940-M), A-G-06, …").
      .replace(/\s*[([]?\s*[A-Z]{0,3}\d{4,}[-\s]*[A-Z]?\s*[)\]]?([\s,;].*)?$/i, '')
      // A company number whose digits OCR read partly as letters, unbracketed at the end ("SDN BHD 8OZTZ5-U").
      .replace(/\s+(?=(?:[A-Z]*\d){2})[\dA-Z]{5,8}-[A-Z]\s*$/, '')
      .replace(/\s*[([]\s*[\p{L}\d]{0,2}\s*$/u, '')
      .replace(/^\s*[)\]]\s*/, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * Whether OCR's reading of a row looks like printed words, not the mirrored print-through of
 * the back of thin paper or a faint watermark read as letters ("lutsegmetmusf AdnbaDnelettid"):
 * such readings come with lower confidence and have letter-case flips inside words, very long
 * "words", or long all-lower-case words where receipts print names in capitals or title case.
 */
export function looksPrinted(text: string, confidence: number): boolean {
  if (confidence < 0.6) return false;
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  if (words.length === 0) return true;
  const suspicious = words.filter(
    (word) =>
      // Two case flips inside a word ("AdnbaDnelettid"); one is a brand's camel case ("MediaMarkt").
      // OCR that drops spaces glues words in camel case ("TasteOfTheWorld"), so only a doubtful reading counts.
      ((word.slice(1).match(/\p{Ll}\p{Lu}/gu) ?? []).length >= 1 && confidence < 0.85) ||
      (word.length >= 16 && confidence < 0.9) ||
      (word.length >= 8 && /^\p{Ll}+$/u.test(word) && confidence < 0.85) ||
      // No vowel in a long lower-case word (capitals may be an abbreviation: "SDNBHD").
      (word.length >= 5 && /^\p{Ll}+$/u.test(word) && !/[aeiouyäöüàâéèêëîïôûùáíóúãõåæøœ]/iu.test(word)),
  );
  const letters = (list: string[]) => list.reduce((n, w) => n + w.length, 0);
  return letters(suspicious) * 2 < letters(words);
}

// Country names as receipts print them, in the languages the labels are read in (from the runtime's
// own ICU data, so no list to keep): made once, when first asked.
const COUNTRY_NAME_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ms', 'id', 'fi', 'sv', 'da', 'nb', 'pl'];
let countryNames: Set<string> | undefined;

/**
 * Whether a row is only a country's name ("MALAYSIA" under the address, "Deutschland"): the end of
 * an address, never a merchant, though a brand list may hold a brand of that name.
 */
export function isCountryName(text: string): boolean {
  if (!countryNames) {
    countryNames = new Set();
    const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
    for (const language of COUNTRY_NAME_LANGUAGES) {
      const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
      for (const a of letters) for (const b of letters) countryNames.add(names.of(a + b)?.toUpperCase() ?? '');
    }
    countryNames.delete('');
  }
  return countryNames.has(text.replace(/^[\s\W]+|[\s\W]+$/gu, '').toUpperCase());
}
