/**
 * `npm run bench:categorize`: how often a well-known brand, typed in without a category, lands
 * in the category a person would pick, and how long one categorization takes: the categorizer
 * (brand index, then keyword vocabularies) next to the keyword-only one it replaced (kept in
 * bench/baseline/ as it was at commit 4997d69), in one run, on the same names.
 *
 * The names are bench/categorize-brands.tsv: written by hand, with the category a person would
 * pick, and not used to build or tune the rules (see its header). No data is read from
 * ../shared. `BENCH_LIST=FILE` runs another list of the same columns (name, category, …).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { categorizeExpense, brandIndex } from '../functions/shared/categorize/core.ts';
import { PROJECT_ROOT } from '../local/stack.ts';
import { categoryOfMerchant } from './baseline/keyword-categorizer-4997d69.ts';

const listFile = process.env.BENCH_LIST ?? path.join(PROJECT_ROOT, 'bench/categorize-brands.tsv');
const rows = readFileSync(listFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .slice(1)
  .map((line) => {
    const [name, expected, country = '', form = ''] = line.split('\t');
    return { name, expected, country, form };
  });

const loadStarted = performance.now();
const brands = brandIndex();
const loadMs = performance.now() - loadStarted;

const categorizers = {
  'brand index + keywords': (name: string) => categorizeExpense({ merchant: name }, {}, brands),
  'keywords only (before)': (name: string) => ({ category: categoryOfMerchant(name, null).category }),
} as const;
type Name = keyof typeof categorizers;

// Warm up, then time each categorizer over the whole list several times, alternating.
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const micros: Record<Name, number[]> = { 'brand index + keywords': [], 'keywords only (before)': [] };
for (const row of rows) for (const fn of Object.values(categorizers)) fn(row.name);
for (let run = 0; run < RUNS; run++) {
  for (const [name, fn] of Object.entries(categorizers) as Array<[Name, (n: string) => unknown]>) {
    const started = performance.now();
    for (const row of rows) fn(row.name);
    micros[name].push(((performance.now() - started) * 1000) / rows.length);
  }
}

const results = Object.fromEntries(
  (Object.entries(categorizers) as Array<[Name, (n: string) => { category: string; source?: string }]>).map(
    ([name, fn]) => [name, rows.map((row) => ({ ...row, got: fn(row.name) }))],
  ),
) as Record<Name, Array<(typeof rows)[number] & { got: { category: string; source?: string } }>>;

const pct = (hits: number, of: number) => (of ? `${((100 * hits) / of).toFixed(1)} %` : '-');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(categorizers) as Name[];

console.log(
  `${rows.length} brands from ${path.relative(PROJECT_ROOT, listFile)}; ${brands.size} names in the brand index, built in ${loadMs.toFixed(0)} ms`,
);
console.log(`\n${'category'.padEnd(14)} ${'brands'.padStart(6)}  ${names.map((n) => n.padStart(24)).join('')}`);
const categories = [...new Set(rows.map((r) => r.expected))].sort();
for (const category of [...categories, 'all']) {
  const of = rows.filter((r) => category === 'all' || r.expected === category).length;
  const cells = names.map((n) => {
    const hits = results[n].filter(
      (r) => (category === 'all' || r.expected === category) && r.got.category === r.expected,
    ).length;
    return pct(hits, of).padStart(24);
  });
  console.log(`${category.padEnd(14)} ${String(of).padStart(6)}  ${cells.join('')}`);
}
const scripts = [
  ...new Set(rows.map((r) => (/^[\p{Script=Latin}\p{N}\p{P}\p{S}\s]+$/u.test(r.name) ? 'Latin' : 'other scripts'))),
];
for (const script of scripts) {
  const pick = (r: (typeof rows)[number]) =>
    (/^[\p{Script=Latin}\p{N}\p{P}\p{S}\s]+$/u.test(r.name) ? 'Latin' : 'other scripts') === script;
  const of = rows.filter(pick).length;
  console.log(
    `${`(${script})`.padEnd(14)} ${String(of).padStart(6)}  ${names.map((n) => pct(results[n].filter((r) => pick(r) && r.got.category === r.expected).length, of).padStart(24)).join('')}`,
  );
}
console.log(
  `\ntime per categorization (median of ${RUNS} passes over the list): ${names.map((n) => `${n} ${median(micros[n]).toFixed(1)} µs`).join(', ')}; ratio ${(median(micros[names[0]]) / median(micros[names[1]])).toFixed(2)}×`,
);
const bySource = new Map<string, number>();
for (const r of results[names[0]]) bySource.set(r.got.source ?? '', (bySource.get(r.got.source ?? '') ?? 0) + 1);
console.log(`decided by: ${[...bySource].map(([s, n]) => `${s} ${n}`).join(', ')}`);
const misses = results[names[0]].filter((r) => r.got.category !== r.expected);
console.log(`\nmissed (${misses.length}):`);
for (const r of misses)
  console.log(`  ${r.name} (${r.country}): ${r.got.category} by ${r.got.source}, expected ${r.expected}`);
