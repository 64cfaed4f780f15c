/**
 * A merchant name's words as printed, where the recognizer misread a letter or put a space
 * inside a word: "HARDNARE" → "HARDWARE", "CONFECTIUNERY" → "CONFECTIONERY", "Wor Id" → "World",
 * "MARK ETING" → "MARKETING". Only what an English dictionary (english-words.json, see
 * word-list.ts) shows to be a misreading changes: a word that is not in it and is one edit from
 * exactly one word in it (a look-alike letter, I for l, N for W, U for O, first), or two pieces
 * one of which is no word and which together are one. Names the dictionary lacks ("LIAN",
 * "YONGFATT"), short words, words before an apostrophe ("BERRY'S"), the receipt tables' words and
 * letters outside a–z (accents, CJK, Arabic, Thai…) stay as read.
 */
import wordsData from './english-words.json' with { type: 'json' };
import { VOCABULARIES } from './receipt-vocabulary.ts';
import { packedHas, type WordListData } from './word-list.ts';

const WORDS: WordListData = wordsData;

/** Shorter words are left as read: too many words are one edit from them. */
const MIN_MENDED_LETTERS = 5;
/** Only a word this long is taken to have lost a letter ("GARDEIA"): shorter ones are too often names ("BEMED"). */
const MIN_LETTERS_FOR_LOST = 7;

/** Pairs of letters a recognizer reads for one another, as printed (case aside): I l t j f, O D Q C U A, E F C, U V W N M, B H G Q. */
const LOOK_ALIKE = new Set(
  'il it ij if lt od oq oc ou ao ce ef uv uw vw nw un mn bh bg gq'
    .split(' ')
    .flatMap((pair) => [pair, pair[1] + pair[0]]),
);

/** The receipt tables' words, every language (labels a name may hold: "Total", "Tunai"). */
const VOCABULARY_WORDS = new Set(
  Object.values(VOCABULARIES).flatMap((v) =>
    Object.entries(v).flatMap(([kind, list]) =>
      (kind === 'months' ? Object.keys(list as Record<string, number>) : (list as string[])).flatMap((entry) =>
        entry.split(/[^\p{L}]+/u),
      ),
    ),
  ),
);

/**
 * Legal forms, which a name is made of though no dictionary lists them: never half of a split word
 * ("CHAN SDN" is no "CHANSON"), and where a name ends.
 */
const LEGAL_FORM_WORD =
  /^(sdn|bhd|berhad|ltd|inc|llc|plc|gmbh|mbh|ag|kg|ohg|sarl|sas|srl|spa|bv|nv|lda|ltda|tbk|plt|pte|pty|s\/b)$/i;

/** Whether a word of a name is (a word of) a legal form, its points aside ("SDN.", "Ltd.", "S/B"). */
export const isLegalFormWord = (word: string): boolean => LEGAL_FORM_WORD.test(word.replace(/\./g, ''));

type Kind = 'common' | 'proper';

/** Whether the dictionary has the word (small letters a–z), and how it writes it. */
function kindOf(word: string): Kind | null {
  if (packedHas(WORDS.common, word)) return 'common';
  return packedHas(WORDS.proper, word) ? 'proper' : null;
}

/** Whether the English word list has the word, in any case (a word or a name: "TOKYO"). */
export const isListedWord = (word: string): boolean => kindOf(word.toLowerCase()) !== null;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Every word one edit from the word that a recognizer makes: a letter read as its look-alike
 * (never any other letter: "Anzel" is not "Angel"), or, in a long word, a letter left out inside
 * it ("GARDEIA"; not at its end, where a letter makes another word of a whole one: "HARMONI" is no
 * "HARMONIC"). It never reads a letter that is not there, so none is dropped ("PASIR" is no "PAIR").
 */
export function* oneSlipFrom(word: string): Generator<string> {
  for (let i = 0; i <= word.length; i++) {
    const [before, at] = [word.slice(0, i), word[i]];
    for (const letter of ALPHABET) {
      if (word.length >= MIN_LETTERS_FOR_LOST && i > 0 && i < word.length) yield before + letter + word.slice(i);
      if (at !== undefined && LOOK_ALIKE.has(at + letter)) yield before + letter + word.slice(i + 1);
    }
  }
}

/**
 * The one dictionary word a non-word was misread from, if there is one: a word the
 * dictionary writes in small letters (a name is not turned into another name; a name one slip
 * away still makes it unsure).
 */
function mended(word: string, lostLetter = true): string | null {
  const near = new Map<string, Kind>();
  for (const edited of oneSlipFrom(word)) {
    if (!lostLetter && edited.length > word.length) continue;
    const kind = kindOf(edited);
    if (kind) near.set(edited, kind);
  }
  const [only] = near;
  return near.size === 1 && only[1] === 'common' ? only[0] : null;
}

// A word of four letters or more, standing alone.
const LONG_WORD = /(?<![\p{L}\p{N}])\p{L}{4,}(?![\p{L}\p{N}])/gu;

/** Whether two words of one length differ in exactly one letter. */
function oneLetterApart(a: string, b: string): boolean {
  let apart = 0;
  for (let i = 0; i < a.length && apart < 2; i++) if (a[i] !== b[i]) apart += 1;
  return a.length === b.length && apart === 1;
}

/**
 * The name with a word the recognizer misread put right from the receipt's own print: a place the
 * name holds that the address repeats ("(SETIA ALAH)" over "SETIA ALAM", "(MALURD" over "TAMAN
 * BUKIT MALURI"). A word of the name printed nowhere else and in no dictionary, one letter from
 * exactly one word printed elsewhere, is that word; any letter, as the receipt itself is the
 * evidence. The name's own rows (most of their words in the name) are not elsewhere, so a name
 * already mended stays so.
 */
export function mendedFromReceipt(name: string, printed: string[]): string {
  const wordsOf = (text: string) => text.toLowerCase().match(LONG_WORD) ?? [];
  const inName = new Set(wordsOf(name));
  const elsewhere = new Set(
    printed.flatMap((text) => {
      const words = wordsOf(text);
      return words.filter((w) => inName.has(w)).length * 2 > words.length ? [] : words;
    }),
  );
  return name.replace(LONG_WORD, (word) => {
    const lower = word.toLowerCase();
    if (elsewhere.has(lower) || kindOf(lower) || VOCABULARY_WORDS.has(lower)) return word;
    const near = [...elsewhere].filter((other) => oneLetterApart(lower, other));
    return near.length === 1 ? inCaseOf(word, near[0]) : word;
  });
}

/** The mended word in the case the name printed it: capitals, a capital first, or small letters. */
function inCaseOf(printed: string, word: string): string {
  const capitals = (printed.match(/[A-Z]/g) ?? []).length;
  if (capitals === printed.length) return word.toUpperCase();
  // One capital inside a word is a misread letter ("WorId"), not the word's case.
  if (/^[A-Z]/.test(printed) && capitals <= 2) return word[0].toUpperCase() + word.slice(1);
  return capitals * 2 > printed.length ? word.toUpperCase() : word;
}

// A word of a–z alone: not part of a longer run of other letters or digits, not before an apostrophe ("Nando's").
const TOKEN = /(?<![\p{L}\p{N}\p{M}'’])[A-Za-z]+(?![\p{L}\p{N}\p{M}]|['’]\p{L})/gu;

/**
 * The name with its misread words mended (see the file's comment). `keep` says which words to
 * leave as read besides the receipt tables' words: the caller's company words, and words the
 * receipt prints again elsewhere (a letter read the same twice is printed so: "MENTAI").
 */
export function mendedWords(name: string, keep: (word: string) => boolean = () => false): string {
  const tokens = [...name.matchAll(TOKEN)].map((m) => ({ text: m[0], at: m.index }));
  const kept = (text: string) => VOCABULARY_WORDS.has(text.toLowerCase()) || keep(text);
  const isWord = (text: string) => kindOf(text.toLowerCase()) !== null;
  // The dictionary lists a noun, not always its plural: "REALTIES" is read right, no "REALITIES".
  const isPlural = (text: string) =>
    [/ies$/i, /es$/i, /s$/i].some((ending, i) => ending.test(text) && isWord(text.replace(ending, ['y', '', ''][i])));
  let out = '';
  let from = 0;
  for (let i = 0; i < tokens.length; i++) {
    const [token, next] = [tokens[i], tokens[i + 1]];
    let [text, end] = [token.text, token.at + token.text.length];
    // Two pieces of one word ("Wor Id", "MARK ETING"), one of them no word: not an initial or an abbreviation ("FAIT S/B").
    const pieces =
      next &&
      name.slice(end, next.at) === ' ' &&
      Math.min(token.text.length, next.text.length) >= 2 &&
      !/^[/.]/.test(name.slice(next.at + next.text.length)) &&
      [token.text, next.text].some((piece) => !isWord(piece)) &&
      ![token.text, next.text].some((piece) => LEGAL_FORM_WORD.test(piece)) &&
      // The receipt tables' words stay apart; `keep` does not hold here: a recognizer splits a word the same way each time it is printed ("Guar dian").
      ![token.text, next.text].some((piece) => !isWord(piece) && VOCABULARY_WORDS.has(piece.toLowerCase()));
    if (pieces) {
      // As printed when the whole is a word, else the word it was misread from (a look-alike letter);
      // a name ("Ma laysia") only where its longer piece is a long non-word: names are made of words
      // and particles ("DU PONT" is no "Dupont").
      const joined = token.text + next.text;
      const longer = token.text.length >= next.text.length ? token.text : next.text;
      const kind = kindOf(joined.toLowerCase());
      const whole =
        kind === 'common' || (kind === 'proper' && longer.length >= MIN_MENDED_LETTERS && !isWord(longer))
          ? joined
          : joined.length >= MIN_MENDED_LETTERS && mended(joined.toLowerCase(), false);
      if (whole) {
        [text, end] = [whole === joined ? joined : inCaseOf(joined, whole), next.at + next.text.length];
        i += 1;
      }
    }
    if (text === token.text && text.length >= MIN_MENDED_LETTERS && !isWord(text) && !isPlural(text) && !kept(text)) {
      const word = mended(text.toLowerCase());
      if (word) text = inCaseOf(token.text, word);
    }
    out += name.slice(from, token.at) + text;
    from = end;
  }
  return out + name.slice(from);
}
