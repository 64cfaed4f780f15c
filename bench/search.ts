/**
 * `npm run bench:search`: searchExpenses at 1,000, 10,000 and 100,000 expenses of one user, next
 * to a plain listExpenses page, side by side in one run: both through the local AppSync executor
 * (the same resolvers as on AWS; SearchFn in-process) on dynalite. The expenses are synthetic
 * (made here, no data set): merchants of random made-up words, plus probe words at known rates,
 * written with BatchWriteItem straight into Expenses and the search index (SearchTerms) as
 * SearchFn writes them. SEARCH_BENCH_SIZES=1000,10000 runs fewer sizes.
 */
import '../local/sdk-warnings.ts';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { categoryDateOf, type ExpenseItem } from '../model/expenses.ts';
import { searchItemsOf } from '../functions/shared/search/index-writer.ts';
import { startResolverHarness } from '../test/support/resolver-harness.ts';

const SIZES = (process.env.SEARCH_BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const OWNER = 'bench-user';
const RUNS = 15;

// Deterministic pseudo-random numbers (mulberry32), so every run seeds the same expenses.
let seed = 42;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'van', 'so', 'ri', 'bel', 'dun', 'ex', 'fo', 'gra', 'hu', 'pol', 'zan'];
const word = () =>
  Array.from({ length: 2 + Math.floor(random() * 2) }, () => SYLLABLES[Math.floor(random() * 15)]).join('');

/** Probe words and how often a merchant carries them. */
const PROBES = { market: 0.2, hardware: 0.02, zeppelin: 0.0005 };

function expenseAt(i: number): ExpenseItem {
  const words = [word(), word()];
  for (const [probe, rate] of Object.entries(PROBES)) if (random() < rate) words.push(probe);
  const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 2400) * 86400000).toISOString().slice(0, 10);
  const id = `01BENCH${String(i).padStart(19, '0')}`;
  return {
    user_id: OWNER,
    expense_id: id,
    merchant: words.join(' '),
    amount: 100 + Math.floor(random() * 50000),
    currency: 'EUR',
    date: day,
    category: 'OTHER',
    category_date: categoryDateOf('OTHER', day),
    categorySource: 'USER',
    categoryConfidence: 1,
    receiptId: null,
    needsReview: false,
    note: null,
    tags: [],
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const h = await startResolverHarness();
async function batchWrite(table: string, items: object[]): Promise<void> {
  const chunks: object[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  // A few batches in flight at once: dynalite is in this process, more only queue.
  for (let i = 0; i < chunks.length; i += 4)
    await Promise.all(
      chunks.slice(i, i + 4).map(async (chunk) => {
        let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const out = await h.db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }),
    );
}

await h.db.send(
  new PutCommand({
    TableName: 'Users',
    Item: { user_id: OWNER, email: 'bench@example.com', homeCurrency: 'EUR', timezone: 'UTC', dateOrder: 'DMY' },
  }),
);

async function median(
  run: () => Promise<{ errors: unknown[]; data: unknown }>,
): Promise<{ ms: number; found: number }> {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < RUNS + 5; i++) {
    const start = performance.now();
    const out = await run();
    const ms = performance.now() - start;
    if (out.errors.length > 0) throw new Error(JSON.stringify(out.errors));
    found = (out.data as { items: unknown[] }).items.length;
    if (i >= 5) times.push(ms); // five warm-up runs
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], found };
}

const call = (field: string, args: Record<string, unknown>) => () =>
  h.call('Query', field, args, { sub: OWNER }) as Promise<{ errors: unknown[]; data: unknown }>;

const CASES: Array<[string, string, Record<string, unknown>]> = [
  ['listExpenses, page of 20 (baseline)', 'listExpenses', { limit: 20 }],
  ['search "market" (20% match), 20', 'searchExpenses', { text: 'market', limit: 20 }],
  ['search "hard" prefix (2%), 20', 'searchExpenses', { text: 'hard', limit: 20 }],
  ['search "hardware market" (0.4%), 20', 'searchExpenses', { text: 'hardware market', limit: 20 }],
  ['search "zeppelin" (0.05%), 20', 'searchExpenses', { text: 'zeppelin', limit: 20 }],
  [
    'search "market" 100.00-120.00, 20',
    'searchExpenses',
    { text: 'market', minAmount: 10000, maxAmount: 12000, limit: 20 },
  ],
  ['amount 100.00-100.50, 20', 'searchExpenses', { minAmount: 10000, maxAmount: 10050, limit: 20 }],
];

let written = 0;
console.log(`searchExpenses vs listExpenses, median of ${RUNS} calls through the local AppSync executor (dynalite)`);
for (const size of SIZES) {
  const started = performance.now();
  const expenses = Array.from({ length: size - written }, (_, i) => expenseAt(written + i));
  await batchWrite('Expenses', expenses);
  const terms = expenses.flatMap((expense) => searchItemsOf(expense));
  await batchWrite('SearchTerms', terms);
  written = size;
  console.log(
    `\n${size.toLocaleString('en')} expenses (seeded ${expenses.length} + ${terms.length} index items in ${((performance.now() - started) / 1000).toFixed(0)} s):`,
  );
  let baseline = 0;
  for (const [label, field, args] of CASES) {
    const { ms, found } = await median(call(field, args));
    if (field === 'listExpenses') baseline = ms;
    console.log(
      `  ${label.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / baseline).toFixed(2)}x  (${found} found)`,
    );
  }
}
await h.stop();
