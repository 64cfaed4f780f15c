import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  GraphQLScalarType,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { AuthMode } from './auth.ts';

/**
 * The API schema as graphql-js sees it: schema.graphql plus the AppSync scalars and
 * directives (appsync.graphql), with the authorization modes of every field precomputed
 * from the `@aws_*` directives the way AppSync applies them.
 */
export interface ApiSchema {
  schema: GraphQLSchema;
  /** Auth modes allowed on `Type.field`. */
  allowedModes(typeName: string, fieldName: string): ReadonlySet<AuthMode>;
  /** Subscription fields fed by a mutation (its `@aws_subscribe(mutations: [...])`). */
  subscriptionsOf(mutationField: string): string[];
}

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
};

function modesOf(directives: readonly ConstDirectiveNode[] | undefined): AuthMode[] {
  return (directives ?? []).map((d) => DIRECTIVE_MODES[d.name.value]).filter((m): m is AuthMode => m !== undefined);
}

/** AWSJSON travels as a JSON string; resolvers see (and return) the parsed value. */
function awsJsonScalar(): GraphQLScalarType {
  const parseLiteral = (ast: ValueNode): unknown => {
    if (ast.kind !== Kind.STRING) throw new TypeError('AWSJSON must be a JSON string');
    return JSON.parse(ast.value);
  };
  return new GraphQLScalarType({
    name: 'AWSJSON',
    serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
    parseValue: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
    parseLiteral,
  });
}

/**
 * Inputs AppSync rejects for its scalars (outputs pass through as resolvers return them), with
 * the words of its variable errors: `Unable to parse `2019` as a valid DateTime Object.` and
 * `... as a valid phone number.` are AppSync's own (aws-amplify/amplify-cli#2033,
 * aws-amplify/amplify-flutter#822); the other scalars' names follow the same pattern.
 */
const SCALAR_FORMATS: Record<string, { format: RegExp; what: string }> = {
  AWSDate: {
    format: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/,
    what: 'Date Object',
  },
  AWSTime: {
    format: /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/,
    what: 'Time Object',
  },
  AWSDateTime: {
    format:
      /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/,
    what: 'DateTime Object',
  },
  AWSEmail: { format: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, what: 'email address' },
  AWSURL: { format: /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/, what: 'URL' },
};

function validatingScalar(type: GraphQLScalarType, { format, what }: { format: RegExp; what: string }): void {
  const check = (value: unknown): unknown => {
    if (typeof value !== 'string' || !format.test(value))
      throw new TypeError(
        `Unable to parse \`${typeof value === 'string' ? value : JSON.stringify(value)}\` as a valid ${what}.`,
      );
    return value;
  };
  Object.assign(type, {
    parseValue: check,
    parseLiteral: (ast: ValueNode) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

export function loadApiSchema(projectRoot: string, defaultMode: AuthMode = 'AMAZON_COGNITO_USER_POOLS'): ApiSchema {
  const sdl = ['appsync.graphql', 'schema.graphql']
    .map((f) => readFileSync(path.join(projectRoot, f), 'utf8'))
    .join('\n');
  const schema = buildSchema(sdl);
  const json = schema.getType('AWSJSON');
  if (json instanceof GraphQLScalarType) {
    const { serialize, parseValue, parseLiteral } = awsJsonScalar();
    Object.assign(json, { serialize, parseValue, parseLiteral });
  }
  for (const [name, rule] of Object.entries(SCALAR_FORMATS)) {
    const scalar = schema.getType(name);
    if (scalar instanceof GraphQLScalarType) validatingScalar(scalar, rule);
  }

  const modes = new Map<string, ReadonlySet<AuthMode>>();
  const subscriptions = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeModes = modesOf(type.astNode?.directives);
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      // AppSync: a field's own directives replace its type's; a type without any gets the default mode.
      const fieldModes = modesOf(field.astNode?.directives);
      const allowed = fieldModes.length ? fieldModes : typeModes.length ? typeModes : [defaultMode];
      modes.set(`${type.name}.${field.name}`, new Set(allowed));
      const subscribe = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
      const mutations = subscribe?.arguments?.find((a) => a.name.value === 'mutations')?.value;
      if (mutations?.kind === Kind.LIST) {
        for (const m of mutations.values) {
          if (m.kind === Kind.STRING) subscriptions.set(m.value, [...(subscriptions.get(m.value) ?? []), field.name]);
        }
      }
    }
  }
  const none: ReadonlySet<AuthMode> = new Set();
  return {
    schema,
    allowedModes: (typeName, fieldName) => modes.get(`${typeName}.${fieldName}`) ?? none,
    subscriptionsOf: (mutationField) => subscriptions.get(mutationField) ?? [],
  };
}
