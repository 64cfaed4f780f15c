import vm from 'node:vm';
import { transformSync } from 'esbuild';
import { appsyncDynamoDbModule, appsyncUtilsModule, type InvocationState } from './util-shim.ts';

/**
 * One resolver (or pipeline function) bundle, loaded into its own `node:vm` context, as
 * AppSync isolates each piece of code: no Node globals, no `require` of anything but the
 * AppSync utils, no `eval`/`new Function` (APPSYNC_JS forbids them).
 *
 * The bundle is the exact ES module AppSync receives. `node:vm` runs ES modules only behind
 * an experimental flag, so esbuild rewrites its imports and exports into CommonJS form
 * (a syntactic change: `import { util } from '@aws-appsync/utils'` becomes a property read
 * on the module object at each use). That module object is re-pointed at a fresh util shim
 * for every invocation, so `util.appendError`, `extensions.*` and the logs of one call never
 * leak into another. Handlers are synchronous, so one invocation runs at a time per module.
 */
export interface ResolverModule {
  has(handler: 'request' | 'response'): boolean;
  /** Calls `request` or `response` with the shim bound to `state`; rethrows what the handler throws (UtilError, EarlyReturn…). */
  call(handler: 'request' | 'response', ctx: unknown, state: InvocationState): unknown;
}

/** AppSync serializes what a handler returns; so do we, which also drops the vm realm's prototypes. */
export function asJson<T>(value: T): T {
  return value === undefined ? (undefined as T) : JSON.parse(JSON.stringify(value));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function loadResolverModule(bundle: string, filename: string): ResolverModule {
  const { code } = transformSync(bundle, { format: 'cjs', loader: 'js', target: 'es2022', sourcemap: 'inline', sourcefile: filename });
  const utilsNamespace: Record<string, unknown> = {};
  const dynamodbNamespace = appsyncDynamoDbModule();
  let current: InvocationState | null = null;
  // One shim per invocation, shared by its request and response handlers.
  let boundTo: InvocationState | null = null;
  const log = (level: string) => (...args: unknown[]) => {
    current?.logs.push(`${level} - ${args.map(describe).join(' ')}`);
  };
  const module = { exports: {} as Record<string, unknown> };
  const context = vm.createContext(
    {
      module,
      exports: module.exports,
      console: { log: log('INFO'), info: log('INFO'), debug: log('DEBUG'), warn: log('WARN'), error: log('ERROR') },
      require(id: string) {
        if (id === '@aws-appsync/utils') return utilsNamespace;
        if (id === '@aws-appsync/utils/dynamodb') return dynamodbNamespace;
        throw new Error(`${filename}: cannot import ${id}; AppSync resolvers may import only @aws-appsync/utils`);
      },
    },
    { name: filename, codeGeneration: { strings: false, wasm: false } },
  );
  new vm.Script(code, { filename }).runInContext(context);
  const exported = module.exports;

  return {
    has: (handler) => typeof exported[handler] === 'function',
    call(handler, ctx, state) {
      const fn = exported[handler];
      if (typeof fn !== 'function') throw new Error(`${filename} has no ${handler} handler`);
      if (boundTo !== state) {
        for (const key of Object.keys(utilsNamespace)) delete utilsNamespace[key];
        Object.assign(utilsNamespace, appsyncUtilsModule(state));
        boundTo = state;
      }
      current = state;
      try {
        return (fn as (ctx: unknown) => unknown)(ctx);
      } finally {
        current = null;
      }
    },
  };
}
