import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { buildSync, transformSync } from 'esbuild';
import { monotonicFactory } from 'ulid';
import { withDeadlineChecks } from './instrument.ts';
import type { CallOutcome, HostPowers } from './vm/runtime.ts';

/**
 * One resolver (or pipeline function) bundle in its own `node:vm` context, as AppSync isolates
 * each piece of code: no Node globals, no `require` of anything but the AppSync utils, no
 * `eval`/`new Function` (APPSYNC_JS forbids them).
 *
 * The context holds the APPSYNC_JS runtime of local/appsync/vm/ (util shim, console, invoker),
 * built in that realm before the bundle runs. The host and the realm exchange only strings
 * and numbers: `ctx` goes in as JSON and is parsed in the realm, what a handler returns
 * comes back as JSON. So resolver code never holds a host object (a host function's
 * `constructor` would be the host's Function, outside `codeGeneration: { strings: false }`),
 * and a getter or toJSON of resolver code only ever runs inside the realm, under the deadline.
 *
 * The bundle is the exact ES module AppSync receives. `node:vm` runs ES modules only behind an
 * experimental flag, so esbuild rewrites imports and exports into CommonJS form (a syntactic
 * change), and deadline checks are added (local/appsync/instrument.ts).
 */
export interface ResolverModule {
  has(handler: 'request' | 'response'): boolean;
  /** Calls `request` or `response` with `ctx` (JSON) until `deadline` (epoch ms). */
  call(handler: 'request' | 'response', ctxJson: string, authType: string, deadline: number): CallOutcome;
}

const nextUlid = monotonicFactory();
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH = 1_400_000_000;

function ksuid(): string {
  const bytes = Buffer.concat([Buffer.alloc(4), randomBytes(16)]);
  bytes.writeUInt32BE(Math.floor(Date.now() / 1000) - KSUID_EPOCH, 0);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}

const HOST_POWERS: HostPowers = {
  uuid: () => randomUUID(),
  ulid: () => nextUlid(),
  ksuid,
  base64Encode: (utf8) => Buffer.from(String(utf8), 'utf8').toString('base64'),
  base64Decode: (base64) => Buffer.from(String(base64), 'base64').toString('utf8'),
};

/** The name resolver code calls at each check: unguessable, so no resolver can shadow it. */
const TICK = `__appsync_tick_${randomBytes(6).toString('hex')}`;

let runtimeScript: vm.Script | undefined;
function runtimeScriptOnce(): vm.Script {
  if (!runtimeScript) {
    const { outputFiles } = buildSync({
      entryPoints: [fileURLToPath(new URL('./vm/runtime.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
    });
    const code = outputFiles[0].text;
    runtimeScript = new vm.Script(
      `(function () { 'use strict'; var module = { exports: {} }; var exports = module.exports;\n${code}\nreturn module.exports; })()`,
      { filename: 'appsync-runtime.js' },
    );
  }
  return runtimeScript;
}

type Invoker = {
  failed: string | null;
  has(handler: string): boolean;
  invoke(handler: string, ctxJson: string, authType: string, deadline: number): string;
};

/** How long a module's top level may run when it loads. */
const LOAD_DEADLINE_MS = 5_000;

/** A bundle as the realm runs it: CommonJS form with deadline checks calling `tick` (local/appsync/resolver-cache.ts keeps it). */
export function prepareResolverCode(bundle: string, filename: string, tick: string): string {
  const { code } = transformSync(bundle, {
    format: 'cjs',
    loader: 'js',
    target: 'es2022',
    sourcemap: 'inline',
    sourcefile: filename,
  });
  return withDeadlineChecks(code, tick);
}

export function loadResolverModule(
  bundle: string,
  filename: string,
  /** From prepareResolverCode with `tick`, made earlier. */
  prepared?: { code: string; tick: string },
): ResolverModule {
  const code = prepared ? prepared.code.replaceAll(prepared.tick, TICK) : prepareResolverCode(bundle, filename, TICK);
  // A sandbox without a prototype: `globalThis.constructor` must not find the host's Object.
  const context = vm.createContext(Object.create(null), {
    name: filename,
    codeGeneration: { strings: false, wasm: false },
  });
  const runtime = runtimeScriptOnce().runInContext(context) as {
    installRuntime(host: HostPowers): (factory: unknown, filename: string, deadline: number) => Invoker;
  };
  const load = runtime.installRuntime(HOST_POWERS);
  // APPSYNC_JS runs functions in strict mode, always (.../supported-features.html, "Strict mode").
  const factory = new vm.Script(`(function (module, exports, require, ${TICK}) {'use strict';${code}\n})`, {
    filename,
  }).runInContext(context);
  const invoker = load(factory, filename, Date.now() + LOAD_DEADLINE_MS);
  if (invoker.failed !== null) throw new Error(`${filename}: ${String(invoker.failed)}`);

  return {
    has: (handler) => invoker.has(handler),
    call(handler, ctxJson, authType, deadline) {
      let answer: string;
      try {
        answer = invoker.invoke(handler, ctxJson, authType, deadline);
      } catch {
        // Only a value that cannot even be reported escapes the invoker; nothing of it is read here.
        return {
          kind: Date.now() > deadline ? 'timeout' : 'code',
          message: 'The handler failed in a way that cannot be reported',
          errors: [],
          logs: [],
          invalidations: [],
        };
      }
      return JSON.parse(answer) as CallOutcome;
    },
  };
}
