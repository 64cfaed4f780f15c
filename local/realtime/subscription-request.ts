import { getArgumentValues, getVariableValues, Kind, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { Caller } from '../server/auth.ts';
import { fragmentsOf, selectionSetListOf, type GraphQLExecutor, type ResolverRunner } from '../server/graphql.ts';
import { variableErrorsAsAppSync } from '../server/request-errors/variables.ts';
import type { ApiSchema } from '../server/schema.ts';
import { isObject, type ProtocolError, type Subscription } from './connection.ts';
import { isSubscriptionFilter } from './filters.ts';

/**
 * A `start` message's subscription, checked as AppSync checks it: the operation (parsed and
 * validated, one subscription field), the caller's right to the field, the variables, then the
 * field's resolver, run once at subscribe time, which may refuse and sets the filters. Either
 * the subscription to register, or the errors to answer with.
 */
export type SubscriptionSpec = Omit<Subscription, 'id' | 'connection' | 'caller' | 'unwatch'>;

export interface SubscriptionRequestDeps {
  api: ApiSchema;
  executor: GraphQLExecutor;
  resolvers: ResolverRunner;
}

const malformed = (message: string): { errors: ProtocolError[] } => ({
  errors: [{ errorType: 'MalformedHttpRequestException', message }],
});

export async function prepareSubscription(
  deps: SubscriptionRequestDeps,
  caller: Caller,
  data: unknown,
): Promise<{ subscription: SubscriptionSpec } | { errors: ProtocolError[] }> {
  const { api, executor, resolvers } = deps;
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(typeof data === 'string' ? data : '') as typeof request;
    if (!isObject(request)) throw new Error('not an object');
  } catch {
    return malformed('Invalid data: a JSON string of {query, variables} is required');
  }
  const variablesGiven = isObject(request.variables) ? request.variables : {};
  const prepared = executor.prepare(request.query);
  // Validation errors carry only `message`, as AppSync sends them on the socket.
  if ('errors' in prepared) return { errors: (prepared.errors.body.errors ?? []).map(({ message }) => ({ message })) };
  const document = prepared.document;
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const subscriptionType = api.schema.getSubscriptionType();
  const root = operation?.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD) ?? [];
  if (operation?.operation !== 'subscription' || !subscriptionType || root.length !== 1)
    return {
      errors: [
        { errorType: 'UnsupportedOperation', message: 'The operation must be a subscription with exactly one field' },
      ],
    };
  const node = root[0];
  const fieldName = node.name.value;
  if (!api.allowedModes(subscriptionType.name, fieldName).has(caller.mode))
    return {
      errors: [
        {
          errorType: 'Unauthorized',
          message: `Not Authorized to access ${fieldName} on type ${subscriptionType.name}`,
        },
      ],
    };
  const variableErrors = variableErrorsAsAppSync(api.schema, operation, variablesGiven);
  if (variableErrors.length) return { errors: variableErrors.map(({ message }) => ({ message })) };
  const variables = getVariableValues(api.schema, operation.variableDefinitions ?? [], variablesGiven);
  if (variables.errors) return { errors: variables.errors.map(({ message }) => ({ message })) };
  const args = getArgumentValues(subscriptionType.getFields()[fieldName], node, variables.coerced);
  const fragments = fragmentsOf(document);
  const subscription: SubscriptionSpec = {
    field: fieldName,
    responseKey: node.alias?.value ?? fieldName,
    selectionSet: node.selectionSet,
    fragments,
    args,
  };
  if (!resolvers.hasResolver(subscriptionType.name, fieldName)) return { subscription };
  const outcome = await resolvers.run(subscriptionType.name, fieldName, {
    arguments: args,
    source: null,
    identity: caller.identity,
    info: {
      fieldName,
      parentTypeName: subscriptionType.name,
      variables: variables.coerced,
      selectionSetList: selectionSetListOf({ fieldNodes: [node], fragments }),
      selectionSetGraphQL: '',
    },
    request: { headers: {}, domainName: null },
  });
  if (outcome.errors.length) {
    const [first] = outcome.errors;
    return { errors: [{ errorType: first.errorType ?? 'Unknown', message: first.message }] };
  }
  if (isSubscriptionFilter(outcome.subscriptionFilter)) subscription.filter = outcome.subscriptionFilter;
  if (isSubscriptionFilter(outcome.invalidationFilter)) subscription.invalidationFilter = outcome.invalidationFilter;
  return { subscription };
}
