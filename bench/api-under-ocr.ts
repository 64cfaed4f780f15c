/**
 * `npm run bench:api-ocr`: does reading receipts stall the API? The whole local stack as
 * `npm start` runs it; one user's `listExpenses` query, one at a time, first while nothing else
 * runs (idle), then while four receipts uploaded at once are read (the OCR engine in its own
 * process, the OCR function, its DynamoDB writes and pushes in the API's process). Prints the
 * query's p50/p99 in both phases side by side and their ratio, with the load average (the
 * machine is shared). Receipts are drawn by the project (test/support/drawn-receipts.ts).
 * BENCH_QUERIES (default 300) queries in the idle phase; the busy phase runs until the four
 * receipts are processed.
 */
import '../local/sdk-warnings.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { keepAliveClient, percentile } from './keep-alive-http.ts';
import { startLocalStack } from '../local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from '../local/wiring.ts';
import { drawReceiptJpeg, type DrawnReceipt } from '../test/support/drawn-receipts.ts';
import { givenSignedInUser, graphql } from '../test/e2e/steps.ts';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const RECEIPTS = 4;

const { post } = keepAliveClient();

/** Four different receipts (a duplicate would be refused), drawn like the test receipts. */
function receipt(i: number): DrawnReceipt {
  const total = 1000 + i * 137;
  const amount = `${Math.floor(total / 100)},${String(total % 100).padStart(2, '0')}`;
  return {
    merchant: `Bäckerei Nummer ${i} GmbH`,
    date: `2024-03-0${i + 1}`,
    total,
    currency: 'EUR',
    lines: [
      `Bäckerei Nummer ${i} GmbH`,
      'Lindenstraße 12, 12345 Musterstadt',
      `Brot                    ${amount} A`,
      `SUMME EUR               ${amount}`,
      `Bar                     ${amount}`,
      `0${i + 1}.03.24 08:1${i}`,
    ],
  };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-api-ocr-'));
const stack = await startLocalStack({
  port: 0,
  dataDir,
  quiet: true,
  env: {},
  createResolvers,
  createCognito,
  extraRoutes: createExtraRoutes,
});
try {
  const user = await givenSignedInUser(stack, 'bench-ocr@example.com');
  const list = JSON.stringify({ query: 'query { listExpenses(limit: 20) { items { id amount } nextToken } }' });
  const query = async () => {
    const start = performance.now();
    const answer = JSON.parse((await post(stack.urls.graphql, list, user.accessToken)).text) as { errors?: unknown };
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return performance.now() - start;
  };
  const upload = (image: Buffer, i: number) =>
    graphql(
      stack.urls.graphql,
      'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }',
      { input: { image: image.toString('base64'), fileName: `bench-${i}.jpg` } },
      user.accessToken,
    );
  const status = JSON.stringify({ query: 'query { listReceipts(limit: 20) { items { id status } } }' });
  const processed = async () => {
    const answer = JSON.parse((await post(stack.urls.graphql, status, user.accessToken)).text) as {
      data: { listReceipts: { items: Array<{ status: string }> } };
    };
    return answer.data.listReceipts.items.filter((r) => !['UPLOADED', 'PROCESSING'].includes(r.status)).length;
  };

  // Warm up: the engine process and its models are loaded by one receipt, then the query path.
  const images = await Promise.all([...Array(RECEIPTS + 1).keys()].map((i) => drawReceiptJpeg(receipt(i))));
  await upload(images[RECEIPTS], RECEIPTS);
  while ((await processed()) < 1) await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < 50; i++) await query();

  const loadBefore = loadavg()[0];
  const idle: number[] = [];
  for (let i = 0; i < QUERIES; i++) idle.push(await query());

  const busy: number[] = [];
  const readStart = performance.now();
  await Promise.all(images.slice(0, RECEIPTS).map((image, i) => upload(image, i)));
  let done = 1;
  for (let i = 0; done < RECEIPTS + 1; i++) {
    busy.push(await query());
    if (i % 20 === 0) done = await processed();
  }
  const readSeconds = (performance.now() - readStart) / 1000;
  const loadAfter = loadavg()[0];

  const row = (name: string, xs: number[]) =>
    `${name.padEnd(28)} ${String(xs.length).padStart(6)} ${percentile(xs, 50).toFixed(1).padStart(8)} ${percentile(xs, 99).toFixed(1).padStart(8)}`;
  console.log(`listExpenses through the local runtime, one query at a time (ms)`);
  console.log(`${'phase'.padEnd(28)} ${'n'.padStart(6)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`);
  console.log(row('idle', idle));
  console.log(row(`while ${RECEIPTS} receipts are read`, busy));
  console.log(
    `p99 under OCR / idle p99: ${(percentile(busy, 99) / percentile(idle, 99)).toFixed(2)}x (target <= 2x); the ${RECEIPTS} receipts took ${readSeconds.toFixed(1)} s`,
  );
  console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (shared machine)`);
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
