/**
 * `npm run soak`: `npm start`'s stack (in a child process, on loopback) under a steady load for
 * 10 minutes (SOAK_SECONDS), in rounds: each round's clients sign in, subscribe, call the API
 * (bench/load-clients.ts) and disconnect, so connections and subscriptions come and go as
 * they do in life. The stack's RSS and heap are sampled every 10 s; printed: their growth from
 * the first round to the last (least-squares slope per minute and the last round's minimum
 * against the first's), and after each round the subscriptions and connections still open,
 * which must be none. Exits 1 on any error or any leaked socket or subscription.
 */
import '../local/sdk-warnings.ts';
import { givenUsers, printLatencies, runClients, startStackProcess, type Stats } from './load-clients.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 40);
const ROUND_SECONDS = Number(process.env.SOAK_ROUND_SECONDS ?? 60);
const MB = 1024 * 1024;

const stack = await startStackProcess(10_000);
let failed = false;
try {
  const users = await givenUsers(stack, CLIENTS, 'soak');
  const rounds = Math.max(1, Math.round(SECONDS / ROUND_SECONDS));
  const total: Stats = { latencies: new Map(), errors: [], subscriptionEvents: 0 };
  const started = Date.now();
  console.log(`soak: ${rounds} rounds of ${ROUND_SECONDS} s, ${CLIENTS} clients each`);
  for (let round = 1; round <= rounds; round++) {
    const stats = await runClients(stack, users, { durationMs: ROUND_SECONDS * 1000, thinkMs: 500 });
    for (const [operation, values] of stats.latencies)
      total.latencies.set(operation, [...(total.latencies.get(operation) ?? []), ...values]);
    total.errors.push(...stats.errors);
    total.subscriptionEvents += stats.subscriptionEvents;
    // Once every client has gone, the stack must have let go of their sockets and subscriptions.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const last = stack.samples.at(-1)!;
    const leaked = last.subscribers > 0 || last.connections > 0;
    failed ||= leaked;
    console.log(
      `  round ${String(round).padStart(2)}: ${[...stats.latencies.values()].reduce((n, v) => n + v.length, 0)} requests, ${stats.errors.length} errors; after it rss ${(last.rss / MB).toFixed(0)} MB, heap ${(last.heapUsed / MB).toFixed(0)} MB, subscriptions left ${last.subscribers}, connections left ${last.connections}${leaked ? '  LEAK' : ''}`,
    );
  }
  const samples = stack.samples.filter((s) => s.at >= started);
  const minutes = samples.map((s) => (s.at - started) / 60_000);
  const slope = (values: number[]) => {
    const mx = minutes.reduce((a, b) => a + b, 0) / minutes.length;
    const my = values.reduce((a, b) => a + b, 0) / values.length;
    const num = minutes.reduce((sum, x, i) => sum + (x - mx) * (values[i] - my), 0);
    const den = minutes.reduce((sum, x) => sum + (x - mx) ** 2, 0);
    return den ? num / den : 0;
  };
  const firstRound = samples.filter((s) => s.at < started + (ROUND_SECONDS * 60_000) / 60);
  const lastRound = samples.filter((s) => s.at >= Date.now() - (ROUND_SECONDS + 11) * 1000);
  const min = (list: typeof samples, key: 'rss' | 'heapUsed') => Math.min(...list.map((s) => s[key]));
  console.log(
    `\nsoak: ${((Date.now() - started) / 60_000).toFixed(1)} minutes, ${samples.length} samples, ${total.errors.length} errors, ${total.subscriptionEvents} subscription events`,
  );
  for (const key of ['rss', 'heapUsed'] as const)
    console.log(
      `  ${key.padEnd(8)} first round min ${(min(firstRound, key) / MB).toFixed(0)} MB, last round min ${(min(lastRound, key) / MB).toFixed(0)} MB, growth ${(slope(samples.map((s) => s[key])) / MB).toFixed(2)} MB/min`,
    );
  printLatencies(total);
  for (const error of total.errors.slice(0, 20)) console.log(`  error ${error.operation}: ${error.detail}`);
  failed ||= total.errors.length > 0;
} finally {
  await stack.stop();
}
process.exitCode = failed ? 1 : 0;
