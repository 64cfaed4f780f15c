// `npm run bench:api`'s subscribers, on a thread of their own (plain JavaScript: worker threads
// do not get tsx's loader): as real subscribers, they do not share the server's event loop,
// so a delivery is timed without the other subscribers' decryption and parsing queued before it.
// Times are absolute (timeOrigin + now, sub-millisecond) so the main thread can compare them
// with the instant it published.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const { url, ca, header, token, host, count } = workerData;
const now = () => performance.timeOrigin + performance.now();
let arrivals = [];

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
      else if (message.type === 'data') arrivals.push(now());
      else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    });
  });

// Opened a few hundred at a time: thousands of TLS handshakes at once overflow the listen backlog.
const sockets = [];
for (let i = 0; i < count; i += 250)
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(250, count - i) }, (_, k) => subscribe(i + k)))));

parentPort.on('message', async (command) => {
  if (command.type === 'reset') {
    arrivals = [];
    parentPort.postMessage({ type: 'reset' });
  } else if (command.type === 'collect') {
    // Every subscriber's arrival of the current publish, or what came before the deadline.
    const deadline = now() + command.timeoutMs;
    while (arrivals.length < count && now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    parentPort.postMessage({ type: 'arrivals', arrivals });
  } else if (command.type === 'close') {
    for (const socket of sockets) socket.close();
    parentPort.postMessage({ type: 'closed' });
  }
});
parentPort.postMessage({ type: 'ready' });
