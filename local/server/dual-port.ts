import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * TLS and plain HTTP on one port: the first byte of a connection decides (0x16 opens a TLS
 * handshake). Amplify sends GraphQL to the `http://` URL it is given but opens the real-time
 * socket with `wss://` on the same host and port, so both must answer there.
 */
export interface DualServer {
  http: http.Server;
  https: https.Server;
  port: number;
  /** Connections open now (plain and TLS, real-time sockets included). */
  openConnections(): number;
  close(): Promise<void>;
}

const TLS_HANDSHAKE = 0x16;

export async function listenDual(
  options: { host: string; port: number; key: string; cert: string },
  onRequest: http.RequestListener,
): Promise<DualServer> {
  const plain = http.createServer({ keepAliveTimeout: 65_000 }, onRequest);
  const secure = https.createServer({ key: options.key, cert: options.cert, keepAliveTimeout: 65_000 }, onRequest);
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, options.host, () => resolve());
  });
  return {
    http: plain,
    https: secure,
    port: (front.address() as AddressInfo).port,
    openConnections: () => sockets.size,
    async close() {
      await new Promise<void>((resolve) => {
        front.close(() => resolve());
        plain.closeAllConnections();
        secure.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
