import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestListener, type Route } from './http.ts';

/**
 * Routes on a plain HTTP server of their own, on a free loopback port: how tools and tests
 * run one stand-in (DynamoDB, S3) without the whole stack.
 */
export interface ServedRoutes {
  endpoint: string;
  close(): Promise<void>;
}

export async function serveRoutes(routes: Route[], host = '127.0.0.1'): Promise<ServedRoutes> {
  const server = createServer(createRequestListener(routes));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return {
    endpoint: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
