import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { introspectionFromSchema, type GraphQLSchema } from 'graphql';
import type { Route } from '../server/http.ts';

/**
 * The console at `/console`: GraphiQL (served from node_modules, no CDN) with sign-up, confirm and
 * sign-in against the local Cognito, the token attached to every operation and subscriptions
 * over AppSync's real-time protocol.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const packageFile = (pkg: string, file: string) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

// The only files served besides the page: a fixed list, never a path taken from the URL.
const ASSETS: Record<string, { file: string; type: string }> = {
  '/console/react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  '/console/react-dom.js': {
    file: packageFile('react-dom', 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  '/console/graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  '/console/graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  '/console/console.js': { file: path.join(here, 'console.js'), type: 'text/javascript' },
  '/console': { file: path.join(here, 'index.html'), type: 'text/html; charset=utf-8' },
};

const SCHEMA_PATH = '/console/schema.json';

export function createConsoleRoute(schema: GraphQLSchema): Route {
  const cache = new Map<string, Buffer>();
  const introspection = JSON.stringify(introspectionFromSchema(schema));
  return {
    matches: (req) =>
      req.method === 'GET' &&
      (Object.hasOwn(ASSETS, (req.url ?? '').split('?')[0]) || (req.url ?? '').split('?')[0] === SCHEMA_PATH),
    async handle(req, res) {
      const pathname = (req.url ?? '').split('?')[0];
      if (pathname === SCHEMA_PATH) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(introspection);
        return;
      }
      const asset = ASSETS[pathname];
      let body = cache.get(asset.file);
      if (!body) {
        body = await readFile(asset.file);
        cache.set(asset.file, body);
      }
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache' });
      res.end(body);
    },
  };
}
