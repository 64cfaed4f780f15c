/**
 * `npm run load`: 200 concurrent clients against `npm start`'s stack (in a child process, on
 * loopback), for 60 s: each signed in, holding a real-time connection with two subscriptions,
 * and calling the API in a realistic mix (bench/load-clients.ts), uploads through OCR included.
 * Prints p50/p99 per operation and overall, the subscription events received, and every error;
 * exits 1 on any error. LOAD_CLIENTS, LOAD_SECONDS and LOAD_THINK_MS change the shape.
 */
import '../local/sdk-warnings.ts';
import { givenUsers, printLatencies, runClients, startStackProcess } from './load-clients.ts';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 1000);

const stack = await startStackProcess();
try {
  console.log(`signing up ${CLIENTS} users…`);
  const users = await givenUsers(stack, CLIENTS, 'load');
  console.log(`${CLIENTS} clients, ${SECONDS} s, think time ${THINK_MS} ms (±50 %)`);
  const started = Date.now();
  const stats = await runClients(stack, users, { durationMs: SECONDS * 1000, thinkMs: THINK_MS });
  const requests = [...stats.latencies.values()].reduce((n, v) => n + v.length, 0);
  console.log(
    `\nload: ${requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${(requests / SECONDS).toFixed(0)}/s), ${stats.subscriptionEvents} subscription events, ${stats.errors.length} errors`,
  );
  printLatencies(stats);
  for (const error of stats.errors.slice(0, 20)) console.log(`  error ${error.operation}: ${error.detail}`);
  process.exitCode = stats.errors.length ? 1 : 0;
} finally {
  await stack.stop();
}
