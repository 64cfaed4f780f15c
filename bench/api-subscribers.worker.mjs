// `npm run bench:api`'s subscribers, a share of them on each worker thread (plain JavaScript:
// worker threads do not get tsx's loader): as real subscribers on devices of their own, they do
// not share the server's event loop, nor one loop for thousands of them, so a delivery is timed
// without every other subscriber's decryption and parsing queued before it. Each still does what
// a client does: TLS, the WebSocket frame, JSON.parse of the message.
// Times are absolute (timeOrigin + now, sub-millisecond) so the main thread can compare them
// with the instant it published.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const { url, ca, header, token, host, count, firstId } = workerData;
const now = () => performance.timeOrigin + performance.now();
let arrivals = [];
// The collect waiting for this publish's last arrival (no polling: the thread sleeps until then).
let allArrived;

/** This thread's CPU time (ms) from Linux's schedstat; NaN elsewhere. */
function threadCpuMs() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}
let cpuAtReset = threadCpuMs();

const subscribe = (i) =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['graphql-ws', `header-${header}`], { ca });
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: `s${i}`,
            type: 'start',
            payload: {
              data: JSON.stringify({ query: 'subscription { onBudgetAlert { owner threshold spent } }' }),
              extensions: { authorization: { Authorization: token, host } },
            },
          }),
        );
      } else if (message.type === 'start_ack') resolve(socket);
      else if (message.type === 'data') {
        arrivals.push(now());
        if (arrivals.length === count) allArrived?.();
      } else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    });
  });

const sockets = [];

parentPort.on('message', async (command) => {
  if (command.type === 'open') {
    // Opened a few hundred at a time: thousands of TLS handshakes at once overflow the listen backlog.
    for (let i = 0; i < count; i += 250)
      sockets.push(
        ...(await Promise.all(Array.from({ length: Math.min(250, count - i) }, (_, k) => subscribe(firstId + i + k)))),
      );
    parentPort.postMessage({ type: 'ready' });
  } else if (command.type === 'reset') {
    arrivals = [];
    cpuAtReset = threadCpuMs();
    parentPort.postMessage({ type: 'reset' });
  } else if (command.type === 'collect') {
    // Every subscriber's arrival of the current publish, or what came before the deadline.
    if (arrivals.length < count)
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, command.timeoutMs);
        allArrived = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    allArrived = undefined;
    parentPort.postMessage({ type: 'arrivals', arrivals, cpuMs: threadCpuMs() - cpuAtReset });
  } else if (command.type === 'close') {
    for (const socket of sockets) socket.close();
    parentPort.postMessage({ type: 'closed' });
  }
});
