import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebAsset, WebBuild } from '../web/build.ts';
import { APP_PATHS } from '../web/src/app-paths.ts';
import { contentSecurityPolicy, OTHER_SECURITY_HEADERS, type WebOrigins } from '../web/security-headers.ts';
import type { Route } from './server/http.ts';

/**
 * The web app at `/`: the files of one build (web/build.ts), by exact path only, and index.html
 * for each of the app's pages (web/src/app-paths.ts), with the same security headers CloudFront
 * sends. The build is awaited per request, so `npm start` is ready before the app is built.
 */
const APP_PAGES = new Set<string>(APP_PATHS);

export function createWebAppRoute(options: { build: Promise<WebBuild>; origins: () => WebOrigins }): Route {
  const gzipped = new WeakMap<WebAsset, Buffer>();
  let headers: Record<string, string> | undefined;
  const securityHeaders = () =>
    (headers ??= { 'content-security-policy': contentSecurityPolicy(options.origins()), ...OTHER_SECURITY_HEADERS });

  const assetPath = (req: IncomingMessage): string | undefined => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const pathname = (req.url ?? '').split('?')[0];
    if (APP_PAGES.has(pathname)) return '/index.html';
    if (pathname.startsWith('/app/') || ['/sw.js', '/manifest.webmanifest', '/icon.svg'].includes(pathname))
      return pathname;
    return undefined;
  };

  return {
    matches: (req) => assetPath(req) !== undefined,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const build = await options.build;
      const asset = build.assets.get(assetPath(req)!);
      if (!asset) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Not found');
        return;
      }
      const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      let body = asset.body;
      const compressible = /^(text\/|application\/(json|manifest))|svg/.test(asset.contentType);
      if (acceptsGzip && compressible) {
        let zipped = gzipped.get(asset);
        if (!zipped) gzipped.set(asset, (zipped = gzipSync(asset.body)));
        body = zipped;
      }
      res.writeHead(200, {
        'content-type': asset.contentType,
        'content-length': String(body.length),
        'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...(body !== asset.body ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
        ...securityHeaders(),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
