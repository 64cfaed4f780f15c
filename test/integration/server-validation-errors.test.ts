import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CognitoIdentity } from '../../local/server/auth.ts';
import { createGraphQLExecutor, type ResolverRunner } from '../../local/server/graphql.ts';
import { loadApiSchema } from '../../local/server/schema.ts';

/**
 * Requests AppSync refuses before any resolver runs, answered the way AppSync (graphql-java)
 * words them, against this project's schema: one row per graphql-js validation rule, plus
 * syntax errors and variable coercion. Each row gives the AppSync message and where it
 * points; none of these errors carries an errorType or a path.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const neverRuns: ResolverRunner = {
  hasResolver: () => true,
  run: () => {
    throw new Error('no resolver may run for an invalid request');
  },
};
const executor = createGraphQLExecutor(loadApiSchema(root), neverRuns);
const identity: CognitoIdentity = {
  sub: 'u1',
  issuer: 'local',
  username: 'u1',
  claims: {},
  sourceIp: ['127.0.0.1'],
  defaultAuthStrategy: 'ALLOW',
  groups: null,
};

/** Where `fragment` (its `nth` occurrence) starts in `query`, as AppSync locations give it. */
function at(query: string, fragment: string, nth = 1) {
  let index = -1;
  for (let i = 0; i < nth; i++) index = query.indexOf(fragment, index + 1);
  if (index < 0) throw new Error(`${fragment} not in ${query}`);
  const before = query.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1, sourceName: null };
}

async function errorsOf(query: string, variables: Record<string, unknown> = {}) {
  const outcome = await executor.execute({ query, variables }, { mode: 'AMAZON_COGNITO_USER_POOLS', identity }, {});
  expect(outcome.body.data).toBeNull();
  return outcome.body.errors;
}

type Row = [
  rule: string,
  query: string,
  expected: Array<{ message: string; at: string | [string, number] | null }>,
  variables?: Record<string, unknown>,
];

const locate = (query: string, spot: string | [string, number] | null) =>
  spot === null ? null : [typeof spot === 'string' ? at(query, spot) : at(query, ...spot)];

const validation: Row[] = [
  [
    'ExecutableDefinitions',
    '{ me { id } } type T { x: Int }',
    [
      {
        message: 'Validation error of type NonExecutableDefinition: The T definition is not executable.',
        at: 'type T',
      },
    ],
  ],
  [
    'UniqueOperationNames',
    'query Q { me { id } } query Q { me { email } }',
    [
      {
        message: "Validation error of type DuplicateOperationName: There can be only one operation named 'Q'",
        at: ['query Q', 2],
      },
    ],
  ],
  [
    'LoneAnonymousOperation',
    '{ me { id } } query Q { me { email } }',
    [
      {
        message:
          'Validation error of type LoneAnonymousOperationViolation: Operation Q is following anonymous operation.',
        at: 'query Q',
      },
    ],
  ],
  [
    'SingleFieldSubscriptions',
    'subscription S { onBudgetAlert { owner } onReceiptProcessed { id } }',
    [
      {
        message:
          "Validation error of type SubscriptionMultipleRootFields: Subscription operation 'S' must have exactly one root field",
        at: 'onReceiptProcessed',
      },
    ],
  ],
  [
    'KnownTypeNames',
    'query ($x: Nope) { expense(id: $x) { id } }',
    [{ message: 'Validation error of type UnknownType: Unknown type Nope', at: 'Nope' }],
  ],
  [
    'FragmentsOnCompositeTypes',
    '{ me { ... on Category { x } } }',
    [
      {
        message:
          "Validation error of type InlineFragmentTypeConditionInvalid: Inline fragment type condition is invalid, must be on Object/Interface/Union @ 'me'",
        at: '...',
      },
    ],
  ],
  [
    'VariablesAreInputTypes',
    'query ($x: User) { me { id } }',
    [
      { message: 'Validation error of type NonInputTypeOnVariable: Wrong type for a variable', at: '$x' },
      { message: 'Validation error of type UnusedVariable: Unused variable x', at: '$x' },
    ],
  ],
  [
    'ScalarLeafs (object without selection)',
    '{ me }',
    [
      {
        message:
          "Validation error of type SubSelectionRequired: Sub selection required for type User of field me @ 'me'",
        at: 'me',
      },
    ],
  ],
  [
    'ScalarLeafs (non-null object: graphql-java prints its name as null)',
    '{ listExpenses }',
    [
      {
        message:
          "Validation error of type SubSelectionRequired: Sub selection required for type null of field listExpenses @ 'listExpenses'",
        at: 'listExpenses',
      },
    ],
  ],
  [
    'ScalarLeafs (selection on a non-null leaf)',
    '{ me { email { x } } }',
    [
      {
        message:
          "Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type null of field email @ 'me/email'",
        at: 'email',
      },
    ],
  ],
  [
    'FieldsOnCorrectType',
    '{ listExpenses { items { nope } } }',
    [
      {
        message:
          "Validation error of type FieldUndefined: Field 'nope' in type 'Expense' is undefined @ 'listExpenses/items/nope'",
        at: 'nope',
      },
    ],
  ],
  [
    'FieldsOnCorrectType (aliases are not in the path)',
    '{ mine: me { x: nope } }',
    [
      {
        message: "Validation error of type FieldUndefined: Field 'nope' in type 'User' is undefined @ 'me/nope'",
        at: 'x: nope',
      },
    ],
  ],
  [
    'UniqueFragmentNames',
    '{ me { ...F } } fragment F on User { id } fragment F on User { email }',
    [
      {
        message: "Validation error of type DuplicateFragmentName: There can be only one fragment named 'F' @ 'F'",
        at: ['fragment F', 2],
      },
    ],
  ],
  [
    'KnownFragmentNames',
    '{ me { ...F } }',
    [{ message: "Validation error of type UndefinedFragment: Undefined fragment F @ 'me'", at: '...F' }],
  ],
  [
    'NoUnusedFragments',
    '{ me { id } } fragment F on User { id }',
    [{ message: 'Validation error of type UnusedFragment: Unused fragment F', at: 'fragment F' }],
  ],
  [
    'PossibleFragmentSpreads',
    '{ me { ... on Expense { id } } }',
    [
      {
        message:
          "Validation error of type InvalidFragmentType: Fragment cannot be spread here as objects of type User can never be of type Expense @ 'me'",
        at: '...',
      },
    ],
  ],
  [
    'NoFragmentCycles (one error per fragment on the cycle)',
    '{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }',
    [
      { message: "Validation error of type FragmentCycle: Fragment cycles not allowed @ 'A'", at: '...B' },
      { message: "Validation error of type FragmentCycle: Fragment cycles not allowed @ 'B'", at: ['...A', 2] },
    ],
  ],
  [
    'UniqueVariableNames',
    'query ($x: ID!, $x: ID!) { expense(id: $x) { id } }',
    [
      {
        message: "Validation error of type DuplicateVariableName: There can be only one variable named 'x'",
        at: ['$x', 2],
      },
    ],
  ],
  [
    'NoUndefinedVariables',
    '{ expense(id: $x) { id } }',
    [{ message: "Validation error of type UndefinedVariable: Undefined variable x @ 'expense'", at: '$x' }],
  ],
  [
    'NoUnusedVariables',
    'query ($x: ID) { me { id } }',
    [{ message: 'Validation error of type UnusedVariable: Unused variable x', at: '$x' }],
  ],
  [
    'KnownDirectives (unknown)',
    '{ me @nope { id } }',
    [{ message: "Validation error of type UnknownDirective: Unknown directive nope @ 'me'", at: '@nope' }],
  ],
  [
    'KnownDirectives (misplaced)',
    'query @skip(if: true) { me { id } }',
    [{ message: 'Validation error of type MisplacedDirective: Directive skip not allowed here', at: '@skip' }],
  ],
  [
    'UniqueDirectivesPerLocation',
    '{ me @include(if: true) @include(if: true) { id } }',
    [
      {
        message:
          "Validation error of type DuplicateDirectiveName: Directives must be uniquely named within a location. The directive 'include' used on a 'Field' is not unique. @ 'me'",
        at: ['@include', 2],
      },
    ],
  ],
  [
    'KnownArgumentNames',
    '{ me(x: 1) { id } }',
    [{ message: "Validation error of type UnknownArgument: Unknown field argument x @ 'me'", at: 'x: 1' }],
  ],
  [
    'UniqueArgumentNames',
    '{ expense(id: "1", id: "2") { id } }',
    [
      {
        message:
          "Validation error of type DuplicateArgumentNames: There can be only one argument named 'id' @ 'expense'",
        at: 'expense',
      },
    ],
  ],
  [
    'ValuesOfCorrectType (scalar inside an input object)',
    'mutation { createExpense(input: {merchant: "x", amount: "abc", date: "2026-01-01"}) { id } }',
    [
      {
        message:
          "Validation error of type WrongType: argument 'input.amount' with value 'StringValue{value='abc'}' is not a valid 'Float' @ 'createExpense'",
        at: 'input:',
      },
    ],
  ],
  [
    'ValuesOfCorrectType (missing required fields, printed as a Java HashSet)',
    'mutation { createExpense(input: {merchant: "x"}) { id } }',
    [
      {
        message:
          "Validation error of type WrongType: argument 'input' with value 'ObjectValue{objectFields=[ObjectField{name='merchant', value=StringValue{value='x'}}]}' is missing required fields '[date, amount]' @ 'createExpense'",
        at: 'input:',
      },
    ],
  ],
  [
    'ValuesOfCorrectType (enum)',
    '{ listExpenses(category: FOOD) { nextToken } }',
    [
      {
        message:
          "Validation error of type WrongType: argument 'category' with value 'EnumValue{name='FOOD'}' is not a valid 'Category' @ 'listExpenses'",
        at: 'category:',
      },
    ],
  ],
  [
    'ValuesOfCorrectType (AppSync scalar)',
    '{ listExpenses(from: "2026-13-01") { nextToken } }',
    [
      {
        message:
          "Validation error of type WrongType: argument 'from' with value 'StringValue{value='2026-13-01'}' is not a valid 'AWSDate' @ 'listExpenses'",
        at: 'from:',
      },
    ],
  ],
  [
    'ValuesOfCorrectType (null for non-null)',
    '{ expense(id: null) { id } }',
    [
      {
        message:
          "Validation error of type WrongType: argument 'id' with value 'NullValue{}' must not be null @ 'expense'",
        at: 'id: null',
      },
    ],
  ],
  [
    'ValuesOfCorrectType (bad variable default)',
    'query ($l: Int = "x") { listExpenses(limit: $l) { nextToken } }',
    [
      {
        message:
          "Validation error of type BadValueForDefaultArg: Bad default value StringValue{value='x'} for type Int",
        at: '$l',
      },
    ],
  ],
  [
    'ValuesOfCorrectType (graphql-java 9: no default on a non-null variable)',
    'query ($id: ID! = "1") { expense(id: $id) { id } }',
    [{ message: 'Validation error of type DefaultForNonNullArgument: Missing value for non null type', at: '$id' }],
  ],
  [
    'ProvidedRequiredArguments (field)',
    '{ expense { id } }',
    [
      {
        message: "Validation error of type MissingFieldArgument: Missing field argument id @ 'expense'",
        at: 'expense',
      },
    ],
  ],
  [
    'ProvidedRequiredArguments (directive)',
    '{ me @include { id } }',
    [
      {
        message: "Validation error of type MissingDirectiveArgument: Missing directive argument if @ 'me'",
        at: '@include',
      },
    ],
  ],
  [
    'VariablesInAllowedPosition',
    'query ($x: String) { expense(id: $x) { id } }',
    [
      {
        message:
          "Validation error of type VariableTypeMismatch: Variable type 'String' doesn't match expected type 'ID!' @ 'expense'",
        at: ['$x', 2],
      },
    ],
  ],
  [
    'OverlappingFieldsCanBeMerged',
    '{ me { a: id a: email } }',
    [{ message: "Validation error of type FieldsConflict: a: id and email are different fields @ 'me'", at: null }],
  ],
  [
    'UniqueInputFieldNames',
    'mutation { createExpense(input: {merchant: "a", merchant: "b", amount: 1, date: "2026-01-01"}) { id } }',
    [
      {
        message:
          "Validation error of type UniqueObjectFieldName: There can be only one field named 'merchant' @ 'createExpense'",
        at: 'merchant: "b"',
      },
    ],
  ],
];

describe('validation errors as AppSync words them, one per graphql-js rule', () => {
  it.each(validation)('%s', async (_rule, query, expected) => {
    const errors = await errorsOf(query);
    if (expected.some((e) => e.at === null)) {
      // Conflicts point at every field involved: checked for their lines only.
      expect(errors!.map((e) => e.message)).toEqual(expected.map((e) => e.message));
      expect(errors![0].locations!.length).toBeGreaterThanOrEqual(2);
      return;
    }
    expect(errors).toEqual(expected.map((e) => ({ path: null, locations: locate(query, e.at), message: e.message })));
  });
});

describe('syntax errors name the offending token', () => {
  it.each([
    [
      'an unclosed selection',
      '{ me { id }',
      "Invalid Syntax : offending token '<EOF>' at line 1 column 12",
      { line: 1, column: 12 },
    ],
    [
      'a stray brace',
      'query { me { id } } }',
      "Invalid Syntax : offending token '}' at line 1 column 21",
      { line: 1, column: 21 },
    ],
    [
      'a misspelt keyword',
      'queryy { me { id } }',
      "Invalid Syntax : offending token 'queryy' at line 1 column 1",
      { line: 1, column: 1 },
    ],
  ])('given %s', async (_name, query, message, location) => {
    expect(await errorsOf(query)).toEqual([{ path: null, locations: [{ ...location, sourceName: null }], message }]);
  });
});

describe('variable errors as AppSync words them', () => {
  const create = 'mutation Create($input: CreateExpenseInput!) { createExpense(input: $input) { id } }';
  const valid = { merchant: 'Café', amount: 1250, date: '2026-11-20' };
  const upload =
    'mutation Upload($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } } }';
  const validUpload = { contentType: 'image/jpeg', size: 1000, sha256: 'ab'.repeat(32) };
  it.each([
    [
      'a missing non-null variable',
      'query Get($id: ID!) { expense(id: $id) { id } }',
      {},
      "Variable 'id' has coerced Null value for NonNull type 'ID!'",
      '$id',
    ],
    [
      'null for a non-null variable',
      'query Get($id: ID!) { expense(id: $id) { id } }',
      { id: null },
      "Variable 'id' has coerced Null value for NonNull type 'ID!'",
      '$id',
    ],
    [
      'a missing non-null field (named by the variable, typed by the field)',
      create,
      { input: { merchant: 'x', date: '2026-11-20' } },
      "Variable 'input' has coerced Null value for NonNull type 'Float!'",
      '$input',
    ],
    [
      'a string for a Float (named by the innermost field)',
      create,
      { input: { ...valid, amount: 'abc' } },
      "Variable 'amount' has an invalid value. Expected type 'Float' but was 'String'.",
      '$input',
    ],
    [
      'a string for an Int (named by the innermost field)',
      upload,
      { input: { ...validUpload, size: 'abc' } },
      "Variable 'size' has an invalid value. Expected type 'Int' but was 'String'.",
      '$input',
    ],
    [
      'a fraction for an Int',
      upload,
      { input: { ...validUpload, size: 12.5 } },
      "Variable 'size' has an invalid value. Expected type 'Int' but was 'Double'.",
      '$input',
    ],
    [
      'an unknown enum value',
      create,
      { input: { ...valid, category: 'FOOD' } },
      "Variable 'category' has an invalid value. Invalid input for Enum 'Category'. No value found for name 'FOOD'",
      '$input',
    ],
    [
      'an invalid AWSDate',
      create,
      { input: { ...valid, date: '2026-13-01' } },
      "Variable 'date' has an invalid value. Unable to parse `2026-13-01` as a valid Date Object.",
      '$input',
    ],
    [
      'a string for an input object',
      create,
      { input: 'x' },
      "Variable 'input' has an invalid value. Expected type 'Map' but was 'String'. Variables for input objects must be an instance of type 'Map'.",
      '$input',
    ],
    [
      'a field the input type does not have (no location)',
      create,
      { input: { ...valid, nope: 1 } },
      "The variables input contains a field name 'nope' that is not defined for input object type 'CreateExpenseInput' ",
      null,
    ],
  ])('given %s', async (_name, query, variables, message, spot) => {
    expect(await errorsOf(query, variables)).toEqual([
      { path: null, locations: spot ? [at(query, spot)] : null, message },
    ]);
  });
});
