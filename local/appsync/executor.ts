import { resolverEnvironmentOf } from '../../model/tables.ts';
import { resolverBindings, type ResolverBinding } from '../../resolvers/manifest.ts';
import type { ResolverContextInput, ResolverOutcome, ResolverRunner } from '../server/graphql.ts';
import { PASS_THROUGH_PIPELINE_CODE } from '../../resolvers/bundle.ts';
import { preparedResolverFile } from './resolver-cache.ts';
import type { DataSource, DataSourceOutcome } from './data-sources/data-source.ts';
import {
  fieldErrorOf,
  newInvocationState,
  recordCall,
  EXECUTION_TIMEOUT_ERROR,
  type InvocationState,
} from './invocation.ts';
import { loadResolverModule, type ResolverModule } from './vm-module.ts';
import type { CallOutcome } from './vm/runtime.ts';

/**
 * The AppSync resolver executor: runs the bundles of resolvers/ (unit and pipeline) with
 * AppSync's `ctx`, its data sources and its error semantics
 * (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html,
 * https://docs.aws.amazon.com/appsync/latest/devguide/runtime-utils-js.html):
 *
 * - unit: request → data source → response; a data source error is only `ctx.error`: the
 *   response handler decides whether to raise it;
 * - pipeline: the resolver's request handler's value is the first `ctx.prev.result`, each
 *   function's response becomes the next `ctx.prev.result`, one `ctx.stash` throughout;
 * - `runtime.earlyReturn(v)` in a request handler skips that step's data source and response
 *   (in a pipeline resolver's request handler, or with `skipTo: 'END'`, every function);
 * - `util.error` ends the whole resolution: the field is null and carries the error;
 *   `util.appendError` adds errors and keeps the data;
 * - the whole resolution has AppSync's 30-second execution limit (local/appsync/invocation.ts).
 *
 * Each handler gets `ctx` as JSON, parsed in its own realm (local/appsync/vm-module.ts);
 * `ctx.stash` is what carries over from one handler to the next.
 */
export interface ResolverExecutor extends ResolverRunner {
  bindings: ResolverBinding[];
  /** The bundle of each resolver/function source, as deployed (file path → code). */
  bundles: ReadonlyMap<string, string>;
}

export interface ResolverExecutorOptions {
  projectRoot: string;
  /** By data source name (logical table names, Lambda function names, NONE). */
  dataSources: ReadonlyMap<string, DataSource>;
  /** The execution limit of one resolution; AppSync's 30 s unless a test wants it shorter. */
  timeoutMs?: number;
}

interface LoadedStep {
  module: ResolverModule;
  dataSource: DataSource;
}

interface LoadedResolver {
  binding: ResolverBinding;
  /** UNIT: the resolver itself; PIPELINE: the resolver's before/after handlers. */
  module: ResolverModule;
  dataSource?: DataSource;
  functions: LoadedStep[];
}

class ResolutionError {
  constructor(readonly error: ReturnType<typeof fieldErrorOf>) {}
}

/** `ctx.env`: each table's logical name under its env var, as the local data sources name tables (AWS: the physical names). */
const ENV_JSON = JSON.stringify(resolverEnvironmentOf((table) => table.logicalName));

/** The `ctx` of one resolution, kept as JSON: its fixed part once, stash/prev/result/error per call. */
class ContextJson {
  private readonly fixed: string;
  stash: unknown = {};
  prev: unknown = {};

  constructor(input: ResolverContextInput) {
    const args = JSON.stringify(input.arguments ?? {});
    this.fixed = `"arguments":${args},"identity":${JSON.stringify(input.identity ?? null)},"source":${JSON.stringify(input.source ?? null)},"info":${JSON.stringify(input.info ?? null)},"request":${JSON.stringify(input.request ?? null)},"env":${ENV_JSON}`;
  }

  json(dataSource?: { result: unknown; error?: unknown }): string {
    const outcome = dataSource
      ? `,"result":${JSON.stringify(dataSource.result ?? null)}${dataSource.error ? `,"error":${JSON.stringify(dataSource.error)}` : ''}`
      : '';
    return `{${this.fixed},"stash":${JSON.stringify(this.stash ?? {})},"prev":${JSON.stringify(this.prev ?? {})}${outcome}}`;
  }
}

export async function createResolverExecutor(options: ResolverExecutorOptions): Promise<ResolverExecutor> {
  const bindings = resolverBindings(options.projectRoot);
  const bundles = new Map<string, string>();
  const dataSource = (name: string): DataSource => {
    const ds = options.dataSources.get(name);
    if (!ds) throw new Error(`Data source ${name} is not configured in the local runtime`);
    return ds;
  };
  const load = async (file: string | null, label: string): Promise<ResolverModule> => {
    if (!file) return loadResolverModule(PASS_THROUGH_PIPELINE_CODE, label);
    const { bundle, prepared } = await preparedResolverFile(file);
    bundles.set(file, bundle);
    return loadResolverModule(bundle, file, prepared);
  };

  const resolvers = new Map<string, LoadedResolver>();
  await Promise.all(
    bindings.map(async (binding) => {
      const key = `${binding.typeName}.${binding.fieldName}`;
      const module = await load(binding.file, `${key} (pipeline)`);
      const functions =
        binding.kind === 'PIPELINE'
          ? await Promise.all(
              binding.functions!.map(async (fn) => ({
                module: await load(fn.file, fn.name),
                dataSource: dataSource(fn.dataSource),
              })),
            )
          : [];
      resolvers.set(key, {
        binding,
        module,
        dataSource: binding.dataSource ? dataSource(binding.dataSource) : undefined,
        functions,
      });
    }),
  );

  /** One handler call: its appended errors, logs and filters recorded, its stash kept; a failure ends the resolution. */
  function call(
    module: ResolverModule,
    handler: 'request' | 'response',
    ctx: ContextJson,
    state: InvocationState,
    dataSource?: { result: unknown; error?: unknown },
  ): CallOutcome {
    if (Date.now() > state.deadline) throw new ResolutionError(EXECUTION_TIMEOUT_ERROR);
    const outcome = module.call(handler, ctx.json(dataSource), state.authType, state.deadline);
    recordCall(state, outcome);
    if (outcome.stash !== undefined) ctx.stash = outcome.stash;
    if (outcome.kind !== 'value' && outcome.kind !== 'early') throw new ResolutionError(fieldErrorOf(outcome));
    return outcome;
  }

  /** A data source's answer, unless the resolution's deadline comes first. */
  async function untilDeadline(
    pending: Promise<DataSourceOutcome>,
    state: InvocationState,
  ): Promise<DataSourceOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ResolutionError(EXECUTION_TIMEOUT_ERROR)),
        Math.max(0, state.deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([pending, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** request → data source → response, for a unit resolver or one pipeline function. */
  async function runStep(
    module: ResolverModule,
    ds: DataSource,
    ctx: ContextJson,
    state: InvocationState,
  ): Promise<{ value: unknown; skipToEnd: boolean }> {
    const request = call(module, 'request', ctx, state);
    if (request.kind === 'early') return { value: request.value ?? null, skipToEnd: request.skipTo === 'END' };
    const outcome = await untilDeadline(ds(request.value), state);
    const response = call(module, 'response', ctx, state, { result: outcome.result, error: outcome.error });
    return { value: response.value ?? null, skipToEnd: response.kind === 'early' && response.skipTo === 'END' };
  }

  async function resolve(resolver: LoadedResolver, ctx: ContextJson, state: InvocationState): Promise<unknown> {
    if (resolver.binding.kind === 'UNIT')
      return (await runStep(resolver.module, resolver.dataSource!, ctx, state)).value;

    // A pipeline without index.ts has the pass-through handlers (`{}` before, `ctx.prev.result`
    // after): their outcome is known, so they are not run in the sandbox, each of which would copy
    // the context in and out (a list page's items, for the one after).
    const passThrough = resolver.binding.file === null;
    const before = passThrough ? null : call(resolver.module, 'request', ctx, state);
    let last: unknown = before ? (before.value ?? null) : {};
    ctx.prev = { result: last };
    if (!before || before.kind !== 'early') {
      for (const step of resolver.functions) {
        const { value, skipToEnd } = await runStep(step.module, step.dataSource, ctx, state);
        last = value;
        ctx.prev = { result: value };
        if (skipToEnd) break;
      }
    }
    if (passThrough) return last ?? null;
    return call(resolver.module, 'response', ctx, state).value ?? null;
  }

  return {
    bindings,
    bundles,
    hasResolver: (typeName, fieldName) => resolvers.has(`${typeName}.${fieldName}`),
    async run(typeName: string, fieldName: string, input: ResolverContextInput): Promise<ResolverOutcome> {
      const resolver = resolvers.get(`${typeName}.${fieldName}`);
      if (!resolver) throw new Error(`No resolver for ${typeName}.${fieldName}`);
      const state = newInvocationState({ timeoutMs: options.timeoutMs });
      const ctx = new ContextJson(input);
      let data: unknown = null;
      const errors: ResolverOutcome['errors'] = [];
      try {
        data = await resolve(resolver, ctx, state);
      } catch (thrown) {
        if (!(thrown instanceof ResolutionError)) throw thrown;
        const { message, errorType, data: errorData, errorInfo } = thrown.error;
        errors.push({ message, errorType, data: errorData ?? null, errorInfo: errorInfo ?? null });
        data = null;
      }
      for (const appended of state.errors) errors.push(appended);
      return {
        data: data ?? null,
        errors,
        subscriptionFilter: state.subscriptionFilter,
        invalidationFilter: state.invalidationFilter,
        invalidations: state.invalidations.length ? state.invalidations : undefined,
      };
    },
  };
}
