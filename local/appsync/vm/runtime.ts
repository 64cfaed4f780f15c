/**
 * The APPSYNC_JS runtime inside one resolver's `node:vm` context: `@aws-appsync/utils` and
 * `@aws-appsync/utils/dynamodb` (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html,
 * .../runtime-utils-js.html, .../extensions-js.html), `console`, and the invoker the host calls.
 *
 * Everything here is created in the vm realm, so resolver code reaches only that realm's
 * Function constructor (code generation from strings is off there). The shim objects are
 * frozen: a handler cannot change util.* for any later call. What crosses to the host is a
 * JSON string (and the host's arguments are strings and numbers); host functions (ids,
 * base64) stay in closures and take and return strings only.
 *
 * Not emulated: util.rds, util.http, util.xml, extensions.evictFromApiCache (no cache locally).
 */
import { dynamodbModule, dynamodbUtils, toDynamoDBFilterObject, isMap } from './dynamodb.ts';
import { CodeErrorSignal, EarlyReturnSignal, UtilErrorSignal, codeError } from './signals.ts';
import { timeUtils } from './time.ts';

/** Host capabilities; each takes and returns strings. */
export interface HostPowers {
  uuid(): string;
  ulid(): string;
  ksuid(): string;
  base64Encode(utf8: string): string;
  base64Decode(base64: string): string;
}

/** What one call of a handler produced, as the host reads it (JSON). */
export interface CallOutcome {
  kind: 'value' | 'early' | 'error' | 'code' | 'timeout';
  value?: unknown;
  skipTo?: 'END' | 'NEXT';
  error?: { message: string; errorType: string | null; data: unknown; errorInfo: unknown };
  message?: string;
  stash?: unknown;
  errors: Array<{ message: string; errorType: string | null; data: unknown; errorInfo: unknown }>;
  logs: string[];
  subscriptionFilter?: unknown;
  invalidationFilter?: unknown;
  invalidations: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
}

class TimeoutSignal {}

function deepFreeze<T>(value: T): T {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    if (Object.isFrozen(value)) return value;
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value as object)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** Java's URLEncoder, which AppSync uses: form encoding (space as +), only `*-._` left as is. */
function urlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function escapeJavaScript(value: string): string {
  return value.replace(/[\\'"/\b\f\n\r\t]|[\u0000-\u001f\u007f-\uffff]/g, (c) => {
    const simple: Record<string, string> = {
      '\\': '\\\\',
      "'": "\\'",
      '"': '\\"',
      '/': '\\/',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
    };
    return simple[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The subscription filter groups of util.transform.toSubscriptionFilter (.../aws-appsync-real-time-enhanced-filtering.html). */
const SUBSCRIPTION_OPERATORS = [
  'eq',
  'ne',
  'le',
  'lt',
  'ge',
  'gt',
  'contains',
  'notContains',
  'beginsWith',
  'in',
  'notIn',
  'between',
  'containsAny',
];
type FilterTerm = { fieldName: string; operator: string; value: unknown };
function toSubscriptionFilter(
  filter: Record<string, unknown>,
  ignoredFields: string[] = [],
  rules: Record<string, unknown> = {},
) {
  const conjunctions = (f: Record<string, unknown>): FilterTerm[][] => {
    let groups: FilterTerm[][] = [[]];
    for (const [key, spec] of Object.entries({ ...f, ...rules })) {
      if (ignoredFields.includes(key) || spec === undefined || spec === null) continue;
      if (key === 'or') {
        const alternatives = (spec as Record<string, unknown>[]).flatMap(conjunctions);
        groups = groups.flatMap((g) => alternatives.map((a) => [...g, ...a]));
      } else if (key === 'and') {
        for (const part of spec as Record<string, unknown>[]) {
          const parts = conjunctions(part);
          groups = groups.flatMap((g) => parts.map((p) => [...g, ...p]));
        }
      } else if (isMap(spec)) {
        for (const [operator, value] of Object.entries(spec)) {
          if (!SUBSCRIPTION_OPERATORS.includes(operator))
            throw codeError(`Unsupported subscription filter operator ${operator}`);
          groups = groups.map((g) => [...g, { fieldName: key, operator, value }]);
        }
      }
    }
    return groups;
  };
  return { filterGroup: conjunctions(filter).map((filters) => ({ filters })) };
}

type Call = Omit<CallOutcome, 'kind'> & { authType: string };

/**
 * Installs the runtime in this realm; `load` then runs a resolver bundle (its CommonJS form,
 * wrapped as `(module, exports, require, tick) => …`) and returns its invoker.
 */
export function installRuntime(host: HostPowers) {
  // Captured before any resolver code runs: a handler replacing Date.now or JSON cannot blind the deadline or the protocol.
  const now = Date.now;
  const stringify = JSON.stringify;
  const parse = JSON.parse;

  let call: Call | null = null;
  const active = (): Call => {
    if (!call) throw codeError('AppSync utilities are only available while a handler runs');
    return call;
  };

  const util = {
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw new UtilErrorSignal(String(message), errorType ?? null, data ?? null, errorInfo ?? null);
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      active().errors.push({
        message: String(message),
        errorType: errorType ?? null,
        data: data ?? null,
        errorInfo: errorInfo ?? null,
      });
    },
    unauthorized(): never {
      throw new UtilErrorSignal('Unauthorized', 'Unauthorized', null, null);
    },
    autoId: () => host.uuid(),
    autoUlid: () => host.ulid(),
    autoKsuid: () => host.ksuid(),
    matches: (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value),
    authType: () => active().authType,
    escapeJavaScript: (value: string) => escapeJavaScript(String(value)),
    urlEncode: (value: string) => urlEncode(String(value)),
    urlDecode: (value: string) => decodeURIComponent(String(value).replace(/\+/g, ' ')),
    base64Encode: (value: string) => host.base64Encode(String(value)),
    base64Decode: (value: string) => host.base64Decode(String(value)),
    time: timeUtils,
    dynamodb: dynamodbUtils,
    transform: {
      toDynamoDBFilterExpression: (filter: Record<string, unknown>) => stringify(toDynamoDBFilterObject(filter, false)),
      toDynamoDBConditionExpression: (condition: Record<string, unknown>) =>
        stringify(toDynamoDBFilterObject(condition, true)),
      toSubscriptionFilter,
    },
    math: {
      roundNum: (n: number) => Math.round(n),
      minVal: (a: number, b: number) => Math.min(a, b),
      maxVal: (a: number, b: number) => Math.max(a, b),
      randomDouble: () => Math.random(),
      randomWithinRange: (min: number, max: number) => Math.floor(Math.random() * (max - min + 1)) + min,
    },
    str: {
      normalize: (value: string, form: string) => String(value).normalize(String(form).toUpperCase() as 'NFC'),
    },
  };
  const runtime = {
    earlyReturn(value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never {
      throw new EarlyReturnSignal(value ?? null, options && options.skipTo);
    },
  };
  const extensions = {
    setSubscriptionFilter(filter: unknown) {
      active().subscriptionFilter = filter;
    },
    setSubscriptionInvalidationFilter(filter: unknown) {
      active().invalidationFilter = filter;
    },
    invalidateSubscriptions(invalidation: { subscriptionField: string; payload: Record<string, unknown> }) {
      active().invalidations.push(invalidation);
    },
    evictFromApiCache() {
      // No resolver cache locally: nothing to evict.
    },
  };
  const log =
    (level: string) =>
    (...args: unknown[]) => {
      if (call) call.logs.push(`${level} - ${args.map(describe).join(' ')}`);
    };
  const modules: Record<string, unknown> = {
    '@aws-appsync/utils': deepFreeze({ util, runtime, extensions }),
    '@aws-appsync/utils/dynamodb': deepFreeze(dynamodbModule),
  };
  Object.defineProperty(globalThis, 'console', {
    value: deepFreeze({
      log: log('INFO'),
      info: log('INFO'),
      debug: log('DEBUG'),
      warn: log('WARN'),
      error: log('ERROR'),
    }),
    writable: false,
    configurable: false,
  });

  /** Runs the module's top level (until `deadlineMs`); answers its invoker, or the reason it failed. */
  return function load(
    factory: (module: unknown, exports: unknown, require: unknown, tick: () => void) => void,
    filename: string,
    deadlineMs: number,
  ) {
    const module = { exports: {} as Record<string, unknown> };
    const require = (id: string) => {
      if (Object.hasOwn(modules, id)) return modules[id];
      throw codeError(`${filename}: cannot import ${id}; AppSync resolvers may import only @aws-appsync/utils`);
    };
    // The deadline: resolver code calls tick() on entering every function and loop body
    // (local/appsync/instrument.ts); it looks at the clock every 1,000 ticks.
    let deadline = Infinity;
    let timedOut = false;
    let budget = 1000;
    const tick = () => {
      budget -= 1;
      if (budget > 0 && !timedOut) return;
      budget = 1000;
      if (timedOut || now() > deadline) {
        timedOut = true;
        throw new TimeoutSignal();
      }
    };
    deadline = deadlineMs;
    try {
      factory(module, module.exports, require, tick);
    } catch (thrown) {
      let reason = 'the module threw while loading';
      try {
        reason = timedOut
          ? 'the module did not finish loading in time'
          : thrown instanceof Error
            ? thrown.message
            : thrown instanceof CodeErrorSignal
              ? thrown.message
              : String(thrown);
      } catch {
        // keep the generic reason
      }
      return { failed: String(reason) };
    }
    const exported = module.exports;

    function outcomeOf(thrown: unknown): Pick<CallOutcome, 'kind' | 'value' | 'skipTo' | 'error' | 'message'> {
      if (timedOut || thrown instanceof TimeoutSignal) return { kind: 'timeout' };
      if (thrown instanceof UtilErrorSignal)
        return {
          kind: 'error',
          error: {
            message: thrown.message,
            errorType: thrown.errorType,
            data: thrown.data,
            errorInfo: thrown.errorInfo,
          },
        };
      if (thrown instanceof EarlyReturnSignal) return { kind: 'early', value: thrown.value, skipTo: thrown.skipTo };
      if (thrown instanceof CodeErrorSignal) return { kind: 'code', message: thrown.message };
      // A TypeError or anything else resolver code threw.
      return { kind: 'code', message: thrown instanceof Error ? thrown.message : String(thrown) };
    }

    return {
      failed: null,
      has: (handler: string) => typeof exported[handler] === 'function',
      /** Runs `handler(ctx)` until `deadlineMs` (epoch ms); answers a CallOutcome as JSON. */
      invoke(handler: string, ctxJson: string, authType: string, deadlineMs: number): string {
        deadline = deadlineMs;
        timedOut = false;
        budget = 1000;
        const current: Call = { errors: [], logs: [], invalidations: [], authType };
        call = current;
        let outcome: CallOutcome;
        let ctx: Record<string, unknown> | null = null;
        try {
          ctx = parse(ctxJson) as Record<string, unknown>;
          ctx.args = ctx.arguments;
          const fn = exported[handler];
          if (typeof fn !== 'function') throw codeError(`${filename} has no ${handler} handler`);
          const value = (fn as (ctx: unknown) => unknown)(ctx);
          outcome = timedOut ? { kind: 'timeout', ...current } : { kind: 'value', value, stash: ctx.stash, ...current };
        } catch (thrown) {
          // The stash keeps what the handler put there before it stopped (runtime.earlyReturn, util.error).
          const stash = ctx ? ctx.stash : undefined;
          try {
            outcome = { ...outcomeOf(thrown), stash, ...current };
          } catch {
            outcome = {
              kind: timedOut ? 'timeout' : 'code',
              message: 'The handler threw a value that cannot be read',
              stash,
              ...current,
            };
          }
        } finally {
          call = null;
        }
        try {
          return stringify(outcome);
        } catch (thrown) {
          // A result that is not JSON (a cycle, a BigInt) or whose toJSON ran out of time.
          return stringify({ ...current, ...outcomeOf(thrown), ...(timedOut ? { kind: 'timeout' } : {}) });
        }
      },
    };
  };
}
