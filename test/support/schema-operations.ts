import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { loadApiSchema } from '../../local/server/schema.ts';
import { PROJECT_ROOT } from '../../local/stack.ts';

/**
 * Operations written from schema.graphql, for suites that must cover every field, including
 * fields added later: a selection of every leaf (and nested objects a level or two down) and
 * arguments filled from their types, with the values a test chooses for the ones it cares
 * about (ids, tokens).
 */
export const apiSchema: GraphQLSchema = loadApiSchema(PROJECT_ROOT).schema;

export type RootField = { root: 'Query' | 'Mutation' | 'Subscription'; field: GraphQLField<unknown, unknown> };

export function rootFields(): RootField[] {
  const roots = [
    ['Query', apiSchema.getQueryType()],
    ['Mutation', apiSchema.getMutationType()],
    ['Subscription', apiSchema.getSubscriptionType()],
  ] as const;
  return roots.flatMap(([root, type]) => Object.values(type?.getFields() ?? {}).map((field) => ({ root, field })));
}

/** Every leaf of `type`, and objects without required arguments down to `depth` levels. */
export function selectionOf(type: GraphQLNamedType, depth = 2): string {
  if (!isObjectType(type)) return '';
  const parts: string[] = [];
  for (const field of Object.values((type as GraphQLObjectType).getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth > 0) {
      const inner = selectionOf(named, depth - 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

/** Values the generator cannot guess from a type alone, by argument or input field name. */
export type Overrides = Record<string, unknown>;

const SCALAR_DEFAULTS: Record<string, unknown> = {
  ID: '01JAAAAAAAAAAAAAAAAAAAAAAA',
  String: 'x',
  Int: 1,
  Float: 1,
  Boolean: false,
  AWSDate: '2026-11-20',
  AWSDateTime: '2026-11-20T10:00:00.000Z',
  AWSEmail: 'someone@example.com',
  AWSURL: 'https://example.com/',
  AWSJSON: '{}',
};
const NAMED_DEFAULTS: Record<string, unknown> = {
  currency: 'EUR',
  homeCurrency: 'EUR',
  timezone: 'Europe/Paris',
  contentType: 'image/jpeg',
  amount: 1250,
  size: 1000,
  threshold: 80,
  spent: 8000,
  limit: 10000,
  merchant: 'Corner Cafe',
};

/** A value of `type`: the override for `name` if given, else a plausible one (required input fields only). */
export function valueOf(type: GraphQLInputType, name: string, overrides: Overrides): unknown {
  if (Object.hasOwn(overrides, name)) return overrides[name];
  if (isNonNullType(type)) return valueOf(type.ofType, name, overrides);
  if (isListType(type)) return [valueOf(type.ofType, name, overrides)];
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter(
      (f) => isNonNullType(f.type) || Object.hasOwn(overrides, f.name),
    );
    return Object.fromEntries(fields.map((f) => [f.name, valueOf(f.type, f.name, overrides)]));
  }
  if (isEnumType(type)) return type.getValues()[0].value;
  if (Object.hasOwn(NAMED_DEFAULTS, name)) return NAMED_DEFAULTS[name];
  return SCALAR_DEFAULTS[type.name] ?? 'x';
}

/** An operation calling `field` with variables for every required argument (and those overridden). */
export function operationFor(
  root: RootField['root'],
  field: GraphQLField<unknown, unknown>,
  overrides: Overrides = {},
): { query: string; variables: Record<string, unknown> } {
  const args = field.args.filter((a) => isNonNullType(a.type) || Object.hasOwn(overrides, a.name));
  const declarations = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = selectionOf(getNamedType(field.type));
  const query = `${root.toLowerCase()}${declarations ? ` (${declarations})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection ? ` { ${selection} }` : ''} }`;
  return { query, variables: Object.fromEntries(args.map((a) => [a.name, valueOf(a.type, a.name, overrides)])) };
}

/** Whether the field names one item by id: an `id` argument, or an input object with an `id` field. */
export function idArgumentOf(field: GraphQLField<unknown, unknown>): 'argument' | 'input' | null {
  if (field.args.some((a) => a.name === 'id')) return 'argument';
  const input = field.args.find((a: GraphQLArgument) => isInputObjectType(getNamedType(a.type)));
  const named = input && getNamedType(input.type);
  return named && isInputObjectType(named) && named.getFields().id ? 'input' : null;
}

export const takesNextToken = (field: GraphQLField<unknown, unknown>) => field.args.some((a) => a.name === 'nextToken');
