import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAppRoute } from '../../../local/web-app.ts';
import type { WebBuild } from '../../../web/build.ts';
import { APP_PATHS } from '../../../web/src/app-paths.ts';

/**
 * The web app's route under `npm start`: the build's files by exact path, index.html for the
 * app's pages, the security headers on every answer, nothing else from the disk.
 */
const INDEX = Buffer.from('<!doctype html><title>app</title>');
const CHUNK = Buffer.from('export const x = 1;'.repeat(200));
const build: WebBuild = {
  assets: new Map([
    ['/index.html', { body: INDEX, contentType: 'text/html; charset=utf-8', immutable: false }],
    ['/app/main-ABC.js', { body: CHUNK, contentType: 'text/javascript; charset=utf-8', immutable: true }],
    ['/sw.js', { body: Buffer.from('//sw'), contentType: 'text/javascript; charset=utf-8', immutable: false }],
  ]),
  initialScripts: ['/app/main-ABC.js'],
  initialScriptsGzip: 0,
  dir: '/nowhere',
  built: false,
};
let server: http.Server;
let base: string;

beforeAll(async () => {
  const route = createWebAppRoute({
    build: Promise.resolve(build),
    origins: () => ({ connect: ['wss://127.0.0.1:4000', 'http://127.0.0.1:9000'], images: ['http://127.0.0.1:9000'] }),
  });
  server = http.createServer((req, res) => {
    if (route.matches(req)) void route.handle(req, res);
    else res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the web app route', () => {
  it("given each of the app's pages, then index.html with the CSP and the other security headers, revalidated", async () => {
    for (const page of APP_PATHS) {
      const response = await fetch(`${base}${page}?x=1`);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(INDEX);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self' wss://127.0.0.1:4000 http://127.0.0.1:9000");
      expect(csp).toContain("img-src 'self' blob: data: http://127.0.0.1:9000");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('given a hashed chunk, then it is cached for a year, gzipped when the browser takes gzip', async () => {
    const response = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${base}/app/main-ABC.js`, { headers: { 'accept-encoding': 'gzip' } }, resolve),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(Buffer.concat(chunks))).toEqual(CHUNK);
  });

  it("given a path that is not one of the build's files, then 404 or another route; never a file from the disk", async () => {
    expect((await fetch(`${base}/app/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/app/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/graphql`)).status).toBe(418);
    expect((await fetch(`${base}/console`)).status).toBe(418);
    expect((await fetch(`${base}/index.html`)).status).toBe(418);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(418);
  });
});
