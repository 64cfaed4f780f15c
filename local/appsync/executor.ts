import { resolverBindings, type ResolverBinding } from '../../resolvers/manifest.ts';
import type { ResolverContextInput, ResolverOutcome, ResolverRunner } from '../server/graphql.ts';
import { bundleResolverFile, PASS_THROUGH_PIPELINE_CODE } from './bundle.ts';
import type { DataSource } from './data-sources.ts';
import { asJson, loadResolverModule, type ResolverModule } from './vm-module.ts';
import { EarlyReturn, newInvocationState, UtilError, type InvocationState } from './util-shim.ts';

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
 *   `util.appendError` adds errors and keeps the data.
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
  constructor(readonly error: UtilError) {}
}

function earlyReturnOf(thrown: unknown): EarlyReturn | null {
  return thrown instanceof EarlyReturn ? thrown : null;
}

function skipsToEnd(early: EarlyReturn): boolean {
  return (early as { options?: { skipTo?: string } }).options?.skipTo === 'END';
}

function fieldErrorOf(thrown: unknown): UtilError {
  if (thrown instanceof UtilError) return thrown;
  // An exception in resolver code (a TypeError…): AppSync reports it as a code error.
  return new UtilError((thrown as Error)?.message ?? String(thrown), 'Code', null, null);
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
    const code = file ? await bundleResolverFile(file) : PASS_THROUGH_PIPELINE_CODE;
    if (file) bundles.set(file, code);
    return loadResolverModule(code, file ?? label);
  };

  const resolvers = new Map<string, LoadedResolver>();
  await Promise.all(
    bindings.map(async (binding) => {
      const key = `${binding.typeName}.${binding.fieldName}`;
      const module = await load(binding.file, `${key} (pipeline)`);
      const functions =
        binding.kind === 'PIPELINE'
          ? await Promise.all(binding.functions!.map(async (fn) => ({ module: await load(fn.file, fn.name), dataSource: dataSource(fn.dataSource) })))
          : [];
      resolvers.set(key, { binding, module, dataSource: binding.dataSource ? dataSource(binding.dataSource) : undefined, functions });
    }),
  );

  /** request → data source → response, for a unit resolver or one pipeline function. */
  async function runStep(module: ResolverModule, ds: DataSource, ctx: Record<string, any>, state: InvocationState): Promise<{ value: unknown; skipToEnd: boolean }> {
    let request: unknown;
    try {
      request = module.call('request', ctx, state);
    } catch (thrown) {
      const early = earlyReturnOf(thrown);
      if (early) return { value: asJson(early.value), skipToEnd: skipsToEnd(early) };
      throw new ResolutionError(fieldErrorOf(thrown));
    }
    const outcome = await ds(asJson(request));
    ctx.result = outcome.result;
    ctx.error = outcome.error;
    try {
      return { value: asJson(module.call('response', ctx, state)), skipToEnd: false };
    } catch (thrown) {
      const early = earlyReturnOf(thrown);
      if (early) return { value: asJson(early.value), skipToEnd: skipsToEnd(early) };
      throw new ResolutionError(fieldErrorOf(thrown));
    } finally {
      delete ctx.result;
      delete ctx.error;
    }
  }

  async function resolve(resolver: LoadedResolver, ctx: Record<string, any>, state: InvocationState): Promise<unknown> {
    if (resolver.binding.kind === 'UNIT') return (await runStep(resolver.module, resolver.dataSource!, ctx, state)).value;

    let skipFunctions = false;
    try {
      ctx.prev = { result: asJson(resolver.module.call('request', ctx, state)) };
    } catch (thrown) {
      const early = earlyReturnOf(thrown);
      if (!early) throw new ResolutionError(fieldErrorOf(thrown));
      ctx.prev = { result: asJson(early.value) };
      skipFunctions = true;
    }
    if (!skipFunctions) {
      for (const step of resolver.functions) {
        const { value, skipToEnd } = await runStep(step.module, step.dataSource, ctx, state);
        ctx.prev = { result: value };
        if (skipToEnd) break;
      }
    }
    try {
      return asJson(resolver.module.call('response', ctx, state));
    } catch (thrown) {
      const early = earlyReturnOf(thrown);
      if (early) return asJson(early.value);
      throw new ResolutionError(fieldErrorOf(thrown));
    }
  }

  return {
    bindings,
    bundles,
    hasResolver: (typeName, fieldName) => resolvers.has(`${typeName}.${fieldName}`),
    async run(typeName: string, fieldName: string, input: ResolverContextInput): Promise<ResolverOutcome> {
      const resolver = resolvers.get(`${typeName}.${fieldName}`);
      if (!resolver) throw new Error(`No resolver for ${typeName}.${fieldName}`);
      const state = newInvocationState();
      const args = asJson(input.arguments ?? {});
      const ctx: Record<string, any> = {
        arguments: args,
        args,
        identity: input.identity ?? null,
        source: input.source ?? null,
        stash: {},
        prev: {},
        info: input.info,
        request: input.request,
        env: {},
      };
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
