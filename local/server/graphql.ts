import {
  defaultFieldResolver,
  execute,
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type SourceLocation,
} from 'graphql';
import { createDocumentCache } from './document-cache.ts';
import { parseAsAppSync } from './request-errors/syntax.ts';
import { validateAsAppSync } from './request-errors/validate.ts';
import { variableErrorsAsAppSync } from './request-errors/variables.ts';
import { QUERY_DEPTH_LIMIT, RESOLVER_COUNT_LIMIT } from '../../model/api-limits.ts';
import type { Caller } from './auth.ts';
import type { ApiSchema } from './schema.ts';

/**
 * GraphQL execution with AppSync's semantics: graphql-js parses, validates and walks the
 * operation; each field with a resolver runs it through the resolver executor with the `ctx`
 * AppSync builds; per-field auth follows the schema's directives; errors and validation
 * failures come back in AppSync's shapes.
 */

/** One entry of `errors`, as AppSync writes it. */
export interface AppSyncError {
  path: Array<string | number> | null;
  data?: unknown;
  errorType?: string;
  errorInfo?: unknown;
  locations: Array<{ line: number; column: number; sourceName: null }> | null;
  message: string;
}

/** What a resolver invocation gives back (the executor's result, reduced to what the server needs). */
export interface ResolverOutcome {
  data: unknown;
  /** `util.error` (then data is null) and `util.appendError` entries. */
  errors: Array<{ message: string; errorType?: string | null; data?: unknown; errorInfo?: unknown }>;
  /** Enhanced subscription filter from `extensions.setSubscriptionFilter`. */
  subscriptionFilter?: unknown;
  /** From `extensions.setSubscriptionInvalidationFilter`. */
  invalidationFilter?: unknown;
  /** `extensions.invalidateSubscriptions` calls made by a mutation resolver. */
  invalidations?: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
}

/** `ctx` fields AppSync fills from the request. */
export interface ResolverContextInput {
  arguments: Record<string, unknown>;
  source: unknown;
  identity: Caller['identity'];
  info: {
    fieldName: string;
    parentTypeName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
    selectionSetGraphQL: string;
  };
  request: { headers: Record<string, string>; domainName: null };
}

/** The resolver executor as the server uses it (local/appsync behind an adapter). */
export interface ResolverRunner {
  hasResolver(typeName: string, fieldName: string): boolean;
  run(typeName: string, fieldName: string, ctx: ResolverContextInput): Promise<ResolverOutcome>;
}

export class AppSyncFieldError extends Error {
  constructor(
    message: string,
    readonly errorType: string | null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface ExecutionOutcome {
  body: { data: unknown; errors?: AppSyncError[] };
  /** What the request ran, for the log: its type and root fields (`mutation createExpense`). */
  operation?: string;
  /** Root mutation fields that succeeded, for subscription fan-out. */
  published: Array<{
    mutationField: string;
    payload: unknown;
    invalidations: NonNullable<ResolverOutcome['invalidations']>;
  }>;
}

interface RequestState {
  caller: Caller;
  /** Resolvers run so far by this request. */
  resolverCount: number;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
  appended: AppSyncError[];
  invalidations: NonNullable<ResolverOutcome['invalidations']>;
}

const locationsOf = (locations: readonly SourceLocation[] | undefined) =>
  locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null })) ?? null;

/** A document's fragments by name, in a prototype-free record (a fragment may be called `__proto__`). */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments = Object.create(null) as Record<string, FragmentDefinitionNode>;
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return fragments;
}

/** `info.selectionSetList`: field paths below this field, fragments expanded, aliases resolved to names. */
export function selectionSetListOf(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        const entry = prefix + selection.name.value;
        if (!seen.has(entry)) {
          seen.add(entry);
          out.push(entry);
        }
        walk(selection.selectionSet, `${entry}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      } else {
        walk(info.fragments[selection.name.value]?.selectionSet, prefix);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, '');
  return out;
}

/**
 * A mutation's result as subscriptions see it: the fields the mutation selected, keyed by field
 * name rather than by the client's aliases (subscribers' selections and argument filters name
 * schema fields). AppSync publishes the mutation's selection set to subscribers; a field the
 * mutation did not select is absent, so subscribers get null for it.
 * https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-data.html
 */
export function resultByFieldName(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
): unknown {
  if (value === null || value === undefined || !selectionSet) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => resultByFieldName(item, selectionSet, fragments));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fill = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (!(key in source)) continue;
        const named = resultByFieldName(source[key], selection.selectionSet, fragments);
        const seen = out[selection.name.value];
        // The same field selected twice under different aliases: one value with both selections.
        out[selection.name.value] =
          seen && named && typeof seen === 'object' && typeof named === 'object' && !Array.isArray(seen)
            ? { ...seen, ...named }
            : (seen ?? named);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) fill(selection.selectionSet);
      else if (fragments[selection.name.value]) fill(fragments[selection.name.value].selectionSet);
    }
  };
  fill(selectionSet);
  return out;
}

const requestErrors = (errors: AppSyncError[]): ExecutionOutcome => ({ body: { data: null, errors }, published: [] });

/** Parsed documents kept: at most 500, holding an estimated 64 MB at most. */
const DOCUMENT_CACHE_LIMITS = { maxEntries: 500, maxBytes: 64 * 1024 * 1024 };

/** What a field needs at run time, worked out once per schema field: who may read it, whether a resolver runs. */
interface FieldPlan {
  allowed: ReadonlySet<string>;
  resolved: boolean;
}

/** `info.selectionSetList` and `info.selectionSetGraphQL` of a field, kept per field node of a cached document. */
interface SelectionInfo {
  fieldNodes: readonly FieldNode[];
  list: string[];
  graphql: string;
}

/** How deep a field is: the field names on its path (list indexes do not count). */
function depthOf(path: GraphQLResolveInfo['path'] | undefined): number {
  let depth = 0;
  for (let p = path; p; p = p.prev) if (typeof p.key === 'string') depth++;
  return depth;
}

/**
 * AppSync's errors past its query depth and resolver count limits: the field past the limit
 * is null with the error, and the rest of the request runs. AppSync documents the error
 * types (configuration-limits.html); the messages are ours, no AppSync response showing them
 * was found.
 */
const queryDepthLimitReached = (limit: number) =>
  new AppSyncFieldError(`The query is deeper than the limit of ${limit} levels`, 'QueryDepthLimitReached');
const resolverExecutionLimitReached = () =>
  new AppSyncFieldError('Resolver invocation limit reached.', 'ResolverExecutionLimitReached');

export interface RequestLimits {
  queryDepth: number;
  resolverCount: number;
}

export function createGraphQLExecutor(
  api: ApiSchema,
  resolvers: ResolverRunner,
  limits: RequestLimits = { queryDepth: QUERY_DEPTH_LIMIT, resolverCount: RESOLVER_COUNT_LIMIT },
) {
  const documents = createDocumentCache(DOCUMENT_CACHE_LIMITS);
  const plans = new Map<GraphQLObjectType, Map<string, FieldPlan>>();
  const planOf = (type: GraphQLObjectType, fieldName: string): FieldPlan => {
    let byField = plans.get(type);
    if (!byField) plans.set(type, (byField = new Map()));
    let plan = byField.get(fieldName);
    if (!plan)
      byField.set(
        fieldName,
        (plan = {
          allowed: api.allowedModes(type.name, fieldName),
          resolved: resolvers.hasResolver(type.name, fieldName),
        }),
      );
    return plan;
  };
  const selections = new WeakMap<FieldNode, SelectionInfo>();
  const selectionOf = (info: GraphQLResolveInfo): SelectionInfo => {
    const cached = selections.get(info.fieldNodes[0]);
    // The same node merged with the same others (@include/@skip on variables can change them).
    if (
      cached &&
      cached.fieldNodes.length === info.fieldNodes.length &&
      cached.fieldNodes.every((n, i) => n === info.fieldNodes[i])
    )
      return cached;
    const computed = {
      fieldNodes: info.fieldNodes,
      list: selectionSetListOf(info),
      graphql: info.fieldNodes[0].selectionSet ? print(info.fieldNodes[0].selectionSet) : '',
    };
    selections.set(info.fieldNodes[0], computed);
    return computed;
  };
  // Synchronous for plain fields (most of a response): a promise only where a resolver runs.
  const fieldResolver: GraphQLFieldResolver<unknown, RequestState> = (source, args, state, info) => {
    if (depthOf(info.path) > limits.queryDepth) throw queryDepthLimitReached(limits.queryDepth);
    const plan = planOf(info.parentType, info.fieldName);
    if (!plan.allowed.has(state.caller.mode)) {
      throw new AppSyncFieldError(
        `Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`,
        'Unauthorized',
      );
    }
    if (!plan.resolved) return defaultFieldResolver(source, args, state, info);
    if (++state.resolverCount > limits.resolverCount) throw resolverExecutionLimitReached();
    return runResolver(source, args, state, info);
  };

  async function runResolver(
    source: unknown,
    args: Record<string, unknown>,
    state: RequestState,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    const typeName = info.parentType.name;
    const selection = selectionOf(info);
    const outcome = await resolvers.run(typeName, info.fieldName, {
      arguments: args,
      source: source ?? null,
      identity: state.caller.identity,
      info: {
        fieldName: info.fieldName,
        parentTypeName: typeName,
        variables: state.variables,
        // A copy: the resolver runtime may hand it to code that changes it.
        selectionSetList: [...selection.list],
        selectionSetGraphQL: selection.graphql,
      },
      request: { headers: state.headers, domainName: null },
    });
    if (outcome.invalidations) state.invalidations.push(...outcome.invalidations);
    const [first, ...rest] = outcome.errors;
    // util.error: the field is null and carries the error; util.appendError: data and errors both.
    const appended = outcome.data === null || outcome.data === undefined ? rest : outcome.errors;
    for (const e of appended) {
      state.appended.push({
        path: [...pathOf(info)],
        data: e.data ?? null,
        errorType: e.errorType ?? undefined,
        errorInfo: e.errorInfo ?? null,
        locations: locationsOf(
          info.fieldNodes
            .map((n) => n.loc?.startToken)
            .filter(Boolean)
            .map((t) => ({ line: t!.line, column: t!.column })),
        ),
        message: e.message,
      });
    }
    if ((outcome.data === null || outcome.data === undefined) && first)
      throw new AppSyncFieldError(first.message, first.errorType ?? null, first.data ?? null, first.errorInfo ?? null);
    return outcome.data;
  }

  function formatError(error: GraphQLError): AppSyncError {
    const original = error.originalError;
    const base = { path: error.path ? [...error.path] : null, locations: locationsOf(error.locations) };
    if (original instanceof AppSyncFieldError) {
      return {
        ...base,
        data: original.data,
        errorType: original.errorType ?? undefined,
        errorInfo: original.errorInfo,
        message: original.message,
      };
    }
    if (original && !(original instanceof GraphQLError)) {
      // An executor failure, not a resolver's error: AppSync reports these without internals.
      return {
        ...base,
        data: null,
        errorType: 'InternalFailure',
        errorInfo: null,
        message: 'An internal failure occurred while resolving this field.',
      };
    }
    return { ...base, message: error.message };
  }

  return {
    /** A parsed and validated document, or the errors AppSync would answer with. */
    prepare(query: unknown): { document: DocumentNode } | { errors: ExecutionOutcome } {
      if (typeof query !== 'string' || !query.trim()) {
        return {
          errors: {
            body: {
              data: null,
              errors: [
                {
                  path: null,
                  locations: null,
                  message: 'Invalid request: query is required',
                  errorType: 'MalformedHttpRequestException',
                },
              ],
            },
            published: [],
          },
        };
      }
      const cached = documents.get(query);
      if (cached) return { document: cached };
      const parsed = parseAsAppSync(query);
      if ('error' in parsed) return { errors: requestErrors([parsed.error]) };
      const invalid = validateAsAppSync(api.schema, parsed.document);
      if (invalid.length) return { errors: requestErrors(invalid) };
      documents.set(query, parsed.document);
      return { document: parsed.document };
    },

    async execute(request: GraphQLRequest, caller: Caller, headers: Record<string, string>): Promise<ExecutionOutcome> {
      const prepared = this.prepare(request.query);
      if ('errors' in prepared) return prepared.errors;
      const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
      const operation = prepared.document.definitions.find(
        (d): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
      );
      const label = operation && operationLabel(operation);
      const outcome = await this.run(prepared.document, operation, operationName, request, caller, headers);
      return label ? { ...outcome, operation: label } : outcome;
    },

    /** execute() once the document is prepared and its operation picked. */
    async run(
      document: DocumentNode,
      operation: OperationDefinitionNode | undefined,
      operationName: string | undefined,
      request: GraphQLRequest,
      caller: Caller,
      headers: Record<string, string>,
    ): Promise<ExecutionOutcome> {
      if (operation?.operation === 'subscription') {
        return {
          body: {
            data: null,
            errors: [
              {
                path: null,
                locations: null,
                message: 'Subscriptions are only supported over the real-time WebSocket endpoint',
                errorType: 'BadRequestException',
              },
            ],
          },
          published: [],
        };
      }
      const variables = (request.variables && typeof request.variables === 'object' ? request.variables : {}) as Record<
        string,
        unknown
      >;
      const variableErrors = operation ? variableErrorsAsAppSync(api.schema, operation, variables) : [];
      if (variableErrors.length) return requestErrors(variableErrors);
      const state: RequestState = {
        caller,
        resolverCount: 0,
        headers,
        variables,
        appended: [],
        invalidations: [],
      };
      const result = await execute({
        schema: api.schema,
        document,
        variableValues: variables,
        operationName,
        contextValue: state,
        fieldResolver,
      });
      const errors = [...(result.errors ?? []).map(formatError), ...state.appended];
      // No data at all: the request failed before execution (e.g. variables); a field error that
      // nulled a non-null root field leaves data null and keeps its typed error below.
      if (result.data === undefined && result.errors)
        return {
          body: {
            data: null,
            errors: result.errors.map((e) => ({ path: null, locations: locationsOf(e.locations), message: e.message })),
          },
          published: [],
        };
      const published: ExecutionOutcome['published'] = [];
      if (operation?.operation === 'mutation' && result.data) {
        const fragments = fragmentsOf(document);
        for (const selection of operation.selectionSet.selections) {
          if (selection.kind !== Kind.FIELD) continue;
          const payload = resultByFieldName(
            result.data[selection.alias?.value ?? selection.name.value],
            selection.selectionSet,
            fragments,
          );
          if (
            payload !== null &&
            payload !== undefined &&
            (api.subscriptionsOf(selection.name.value).length || state.invalidations.length)
          ) {
            published.push({ mutationField: selection.name.value, payload, invalidations: state.invalidations });
          }
        }
      }
      return { body: errors.length ? { data: result.data ?? null, errors } : { data: result.data ?? null }, published };
    },
  };
}

/** `mutation createExpense`, `query listExpenses,listBudgets`: the operation type and its root fields. */
function operationLabel(operation: OperationDefinitionNode): string {
  const fields = operation.selectionSet.selections
    .map((s) => (s.kind === Kind.FIELD ? s.name.value : s.kind === Kind.FRAGMENT_SPREAD ? `...${s.name.value}` : '...'))
    .filter((name) => name !== '__typename');
  return `${operation.operation} ${fields.join(',') || '__typename'}`;
}

function pathOf(info: GraphQLResolveInfo): Array<string | number> {
  const out: Array<string | number> = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

export type GraphQLExecutor = ReturnType<typeof createGraphQLExecutor>;
