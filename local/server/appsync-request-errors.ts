import {
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  Lexer,
  Source,
  specifiedRules,
  TokenKind,
  typeFromAST,
  validate,
  visit,
  type ASTNode,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { AppSyncError } from './graphql.ts';

/**
 * Request errors worded the way AppSync words them. AppSync validates and coerces with
 * graphql-java (an early version, 9.x by its messages), so graphql-js's errors are rewritten
 * rule by rule into graphql-java's: `Validation error of type <Type>: <description> @ '<path>'`
 * (the path is the field names and fragment definition names from the root down to the
 * node, aliases not used; no path when the node is outside any field), `Variable 'x' has
 * coerced Null value for NonNull type 'X!'`, `Invalid Syntax : offending token …`.
 *
 * Evidence for the wording (responses from AppSync itself):
 * - FieldUndefined with a nested path, UnknownType without one, locations with sourceName null:
 *   https://github.com/aws-amplify/learn/issues/417, https://github.com/aws-amplify/amplify-swift/issues/1589
 * - WrongType prints the literal as graphql-java's AST toString and names the input path:
 *   `argument 'x.beginsWith.createdAt' with value 'StringValue{value='2019'}' is not a valid 'AWSDateTime'`
 *   (https://github.com/aws/aws-cli/issues/7078, https://github.com/awslabs/aws-mobile-appsync-sdk-js/issues/554)
 * - SubSelectionRequired prints `type null` for a wrapped (non-null or list) type, as
 *   graphql-java 9's `type.getName()` does.
 * - Variables: `Variable 'outside_input' has coerced Null value for NonNull type 'String!'` for a
 *   missing nested field (https://github.com/aws/aws-appsync-community/issues/406), and
 *   `Variable 'updatedAt' has an invalid value. Unable to parse `2019` as a valid DateTime
 *   Object.` naming the innermost input field (https://github.com/aws-amplify/amplify-cli/issues/2033).
 * Rules graphql-java 9 does not have (duplicate names, single subscription field) use the
 * wording later graphql-java releases use for them, and so do syntax errors (graphql-java 12's
 * parser: `Invalid Syntax : offending token '}' at line 1 column 21`): no AppSync response
 * showing either was found.
 *
 * None of these carry an `errorType`: AppSync returns `path`, `locations` and `message` only.
 */

const error = (message: string, locations: AppSyncError['locations']): AppSyncError => ({ path: null, locations, message });

const locationsOf = (nodes: readonly ASTNode[] | undefined): AppSyncError['locations'] => {
  const found = (nodes ?? []).map((n) => n.loc?.startToken).filter((t) => t !== undefined);
  return found.length ? found.map((t) => ({ line: t.line, column: t.column, sourceName: null })) : null;
};

// ---------------------------------------------------------------------------------------------
// Syntax errors

/** The token graphql-java's ANTLR parser names as offending: the one at the error's position. */
function offendingToken(source: string, position: number): string {
  try {
    const lexer = new Lexer(new Source(source));
    for (let token = lexer.advance(); ; token = lexer.advance()) {
      if (token.kind === TokenKind.EOF) return '<EOF>';
      if (token.start >= position) return source.slice(token.start, token.end);
    }
  } catch {
    // An invalid character: ANTLR names the character itself.
    return source[position] ?? '<EOF>';
  }
}

export function syntaxError(parseError: GraphQLError, source: string): AppSyncError {
  const [location] = parseError.locations ?? [{ line: 1, column: 1 }];
  const token = offendingToken(source, parseError.positions?.[0] ?? source.length);
  return error(`Invalid Syntax : offending token '${token}' at line ${location.line} column ${location.column}`, [{ ...location, sourceName: null }]);
}

// ---------------------------------------------------------------------------------------------
// Validation

/** graphql-java's `Value.toString()`, as WrongType and BadValueForDefaultArg print literals. */
export function javaAstString(value: ValueNode): string {
  switch (value.kind) {
    case Kind.STRING:
      return `StringValue{value='${value.value}'}`;
    case Kind.INT:
      return `IntValue{value=${value.value}}`;
    case Kind.FLOAT:
      return `FloatValue{value=${value.value}}`;
    case Kind.BOOLEAN:
      return `BooleanValue{value=${value.value}}`;
    case Kind.ENUM:
      return `EnumValue{name='${value.value}'}`;
    case Kind.NULL:
      return 'NullValue{}';
    case Kind.VARIABLE:
      return `VariableReference{name='${value.name.value}'}`;
    case Kind.LIST:
      return `ArrayValue{values=[${value.values.map(javaAstString).join(', ')}]}`;
    case Kind.OBJECT:
      return `ObjectValue{objectFields=[${value.fields.map((f) => `ObjectField{name='${f.name.value}', value=${javaAstString(f.value)}}`).join(', ')}]}`;
  }
}

/** graphql-java 9's `GraphQLType.getName()`: null for the non-null and list wrappers. */
const javaTypeName = (typeString: string) => (/[!\]]$/.test(typeString) ? 'null' : typeString);

/** Iteration order of a java.util.HashSet of these strings (graphql-java prints missing fields from one). */
export function javaHashSetOrder(values: string[]): string[] {
  let capacity = 16;
  while (values.length > capacity * 0.75) capacity *= 2;
  const bucketOf = (value: string) => {
    let h = 0;
    for (let i = 0; i < value.length; i++) h = (Math.imul(31, h) + value.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return values.map((value, index) => ({ value, index, bucket: bucketOf(value) })).sort((a, b) => a.bucket - b.bucket || a.index - b.index).map((e) => e.value);
}

/**
 * graphql-java's `isValidLiteralValue` for one argument or default value: undefined when the
 * literal is valid, else the description ArgumentValidationUtil builds (the path into the
 * input, and the value where it failed, or the whole argument for object-shape failures).
 */
function literalProblem(name: string, literal: ValueNode, type: GraphQLInputType): string | undefined {
  const path: string[] = [];
  let failedValue: ValueNode = literal;
  let problem = '';
  const valid = (value: ValueNode, t: GraphQLType): boolean => {
    if (value.kind === Kind.NULL) {
      if (!isNonNullType(t)) return true;
      problem = 'must not be null';
      failedValue = value;
      return false;
    }
    if (value.kind === Kind.VARIABLE) return true;
    if (isNonNullType(t)) return valid(value, t.ofType);
    if (isLeafType(t)) {
      let parsed: unknown;
      try {
        parsed = t.parseLiteral(value, undefined);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined && parsed !== null) return true;
      problem = `is not a valid '${t.name}'`;
      failedValue = value;
      return false;
    }
    if (isListType(t)) {
      if (value.kind !== Kind.LIST) return valid(value, t.ofType);
      for (const [index, item] of value.values.entries()) {
        if (!valid(item, t.ofType)) {
          path.unshift(`[${index}]`);
          return false;
        }
      }
      return true;
    }
    if (!isInputObjectType(t)) return false;
    if (value.kind !== Kind.OBJECT) {
      problem = 'must be an object type';
      return false;
    }
    const given = new Set(value.fields.map((f) => f.name.value));
    const missing = Object.values(t.getFields()).filter((f) => isNonNullType(f.type) && !given.has(f.name)).map((f) => f.name);
    if (missing.length) {
      problem = `is missing required fields '[${javaHashSetOrder(missing).join(', ')}]'`;
      return false;
    }
    for (const field of value.fields) {
      const definition = t.getFields()[field.name.value];
      if (!definition) {
        problem = `contains a field not in '${t.name}': '${field.name.value}'`;
        return false;
      }
      if (!valid(field.value, definition.type)) {
        path.unshift(`.${field.name.value}`);
        return false;
      }
    }
    return true;
  };
  if (valid(literal, type)) return undefined;
  return `argument '${name}${path.join('')}' with value '${javaAstString(failedValue)}' ${problem}`;
}

interface Classified {
  type: string;
  description: string;
  /** The node whose position gives the error's query path (default: the first error node). */
  at?: ASTNode;
  /** graphql-java checks this one outside any field (document or operation level): no path. */
  noPath?: boolean;
  /** graphql-java points at the nearest enclosing node of this kind (e.g. the whole variable definition, not its type). */
  holder?: Kind;
  /** Checked when graphql-java leaves this node: ordered after everything inside it. */
  checkedOnLeaving?: ASTNode;
  /** The path is the one of the node's selection set (it stops above the node). */
  parentPath?: boolean;
  /** The nodes graphql-java locates the error at, when not graphql-js's. */
  nodes?: readonly ASTNode[];
}

/** Errors of the rules below are reported pre-worded: their type and description ride in extensions. */
const reported = (context: ValidationContext, nodes: ASTNode | ASTNode[], classified: Classified) =>
  context.reportError(new GraphQLError(classified.description, { nodes, extensions: { appsync: classified } }));

/** graphql-java's ArgumentsOfCorrectType and VariableDefaultValuesOfCorrectType, replacing ValuesOfCorrectTypeRule. */
function ArgumentsOfCorrectTypeRule(context: ValidationContext): ASTVisitor {
  return {
    Argument(node) {
      const argument = context.getArgument();
      const problem = argument && literalProblem(node.name.value, node.value, argument.type);
      if (problem) reported(context, node, { type: 'WrongType', description: problem });
    },
    VariableDefinition(node) {
      const type = typeFromAST(context.getSchema(), node.type);
      if (!node.defaultValue || !type) return;
      if (isNonNullType(type)) reported(context, node, { type: 'DefaultForNonNullArgument', description: 'Missing value for non null type', noPath: true });
      if (literalProblem(node.variable.name.value, node.defaultValue, type as GraphQLInputType)) {
        reported(context, node, { type: 'BadValueForDefaultArg', description: `Bad default value ${javaAstString(node.defaultValue)} for type ${javaTypeName(String(type))}`, noPath: true });
      }
    },
  };
}

/** graphql-java's LoneAnonymousOperation: it names the operations around the anonymous one. */
function LoneAnonymousOperationJavaRule(context: ValidationContext): ASTVisitor {
  let count = 0;
  let anonymousSeen = false;
  return {
    OperationDefinition(node) {
      let description: string | undefined;
      if (!node.name) {
        anonymousSeen = true;
        if (count > 0) description = 'Anonymous operation with other operations.';
      } else if (anonymousSeen) description = `Operation ${node.name.value} is following anonymous operation.`;
      count++;
      if (description) reported(context, node, { type: 'LoneAnonymousOperationViolation', description, noPath: true });
    },
  };
}

/** graphql-java's NoFragmentCycles: one error per fragment on a cycle, at the spreads leading back to it. */
function NoFragmentCyclesJavaRule(context: ValidationContext): ASTVisitor {
  return {
    FragmentDefinition(definition) {
      const spreadPath: ASTNode[] = [];
      const detect = (fragmentName: string) => {
        for (const spread of context.getFragmentSpreads(context.getFragment(fragmentName)?.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] })) {
          if (spread.name.value === definition.name.value) {
            reported(context, [...spreadPath], { type: 'FragmentCycle', description: 'Fragment cycles not allowed', at: definition });
            continue;
          }
          if (spreadPath.includes(spread)) continue;
          spreadPath.push(spread);
          detect(spread.name.value);
          spreadPath.pop();
        }
      };
      detect(definition.name.value);
      return false;
    },
  };
}

const quoted = (message: string) => [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1].replace(/^[@$]/, ''));
const kindName: Partial<Record<string, string>> = {
  [Kind.FIELD]: 'Field',
  [Kind.OPERATION_DEFINITION]: 'OperationDefinition',
  [Kind.FRAGMENT_SPREAD]: 'FragmentSpread',
  [Kind.INLINE_FRAGMENT]: 'InlineFragment',
  [Kind.FRAGMENT_DEFINITION]: 'FragmentDefinition',
};

/** graphql-js's OverlappingFieldsCanBeMerged reason, as graphql-java words the same conflict. */
function conflictReason(reason: string): string {
  const sub = /^subfields (.*)$/.exec(reason);
  if (sub) {
    const parts = [...sub[1].matchAll(/"([^"]+)" conflict because (.*?)(?= and subfields "|$)/g)].map((m) => `${m[1]}: ${conflictReason(m[2])}`);
    return `(${parts.join(', ')})`;
  }
  let m: RegExpExecArray | null;
  if ((m = /^"(\w+)" and "(\w+)" are different fields$/.exec(reason))) return `${m[1]} and ${m[2]} are different fields`;
  if ((m = /^they return conflicting types "([^"]+)" and "([^"]+)"$/.exec(reason))) return `they return differing types ${javaTypeName(m[1])} and ${javaTypeName(m[2])}`;
  return reason === 'they have differing arguments' ? reason : reason.replace(/"/g, '');
}

/** What the formatters need to know about the document beyond the error itself. */
interface DocumentFacts {
  document: DocumentNode;
  variables: Map<string, { defaultValue?: ValueNode }>;
  parents: Map<ASTNode, ASTNode>;
}

type Classify = (e: GraphQLError, facts: DocumentFacts) => Classified;

/** Each graphql-js rule, in specifiedRules' order, and how graphql-java reports what it finds. */
const RULES: Array<[ValidationRule, Classify]> = specifiedRules.map((rule): [ValidationRule, Classify] => {
  const q = (e: GraphQLError) => quoted(e.message);
  const node = (e: GraphQLError) => e.nodes![0];
  switch (rule.name) {
    case 'ExecutableDefinitionsRule':
      return [rule, (e) => {
        const def = node(e) as ASTNode & { name?: { value: string } };
        const name = def.kind === Kind.SCHEMA_DEFINITION || def.kind === Kind.SCHEMA_EXTENSION ? 'schema' : (def.name?.value ?? 'provided');
        return { type: 'NonExecutableDefinition', description: `The ${name} definition is not executable.`, noPath: true };
      }];
    case 'UniqueOperationNamesRule':
      return [rule, (e) => ({ type: 'DuplicateOperationName', description: `There can be only one operation named '${q(e)[0]}'`, noPath: true, at: e.nodes!.at(-1), holder: Kind.OPERATION_DEFINITION })];
    case 'LoneAnonymousOperationRule':
      return [LoneAnonymousOperationJavaRule, (e) => e.extensions.appsync as Classified];
    case 'SingleFieldSubscriptionsRule':
      return [rule, (e) => ({ type: 'SubscriptionMultipleRootFields', description: `Subscription operation '${q(e)[0] ?? 'null'}' must have exactly one root field`, noPath: true })];
    case 'KnownTypeNamesRule':
      return [rule, (e) => ({ type: 'UnknownType', description: `Unknown type ${q(e)[0]}` })];
    case 'FragmentsOnCompositeTypesRule':
      return [rule, (e, { parents }) => parents.get(node(e))?.kind === Kind.INLINE_FRAGMENT
        ? { type: 'InlineFragmentTypeConditionInvalid', description: 'Inline fragment type condition is invalid, must be on Object/Interface/Union', holder: Kind.INLINE_FRAGMENT }
        : { type: 'FragmentTypeConditionInvalid', description: 'Fragment type condition is invalid, must be on Object/Interface/Union', holder: Kind.FRAGMENT_DEFINITION }];
    case 'VariablesAreInputTypesRule':
      return [rule, () => ({ type: 'NonInputTypeOnVariable', description: 'Wrong type for a variable', noPath: true, holder: Kind.VARIABLE_DEFINITION })];
    case 'ScalarLeafsRule':
      return [rule, (e) => {
        const [field, type] = q(e);
        return /must not have a selection/.test(e.message)
          ? { type: 'SubSelectionNotAllowed', description: `Sub selection not allowed on leaf type ${javaTypeName(type)} of field ${field}`, holder: Kind.FIELD }
          : { type: 'SubSelectionRequired', description: `Sub selection required for type ${javaTypeName(type)} of field ${field}` };
      }];
    case 'FieldsOnCorrectTypeRule':
      return [rule, (e) => {
        const [field, type] = q(e);
        return { type: 'FieldUndefined', description: `Field '${field}' in type '${type}' is undefined` };
      }];
    case 'UniqueFragmentNamesRule':
      return [rule, (e) => ({ type: 'DuplicateFragmentName', description: `There can be only one fragment named '${q(e)[0]}'`, at: e.nodes!.at(-1), holder: Kind.FRAGMENT_DEFINITION })];
    case 'KnownFragmentNamesRule':
      return [rule, (e) => ({ type: 'UndefinedFragment', description: `Undefined fragment ${q(e)[0]}`, holder: Kind.FRAGMENT_SPREAD })];
    case 'NoUnusedFragmentsRule':
      return [rule, (e, { document }) => ({ type: 'UnusedFragment', description: `Unused fragment ${q(e)[0]}`, noPath: true, checkedOnLeaving: document })];
    case 'PossibleFragmentSpreadsRule':
      return [rule, (e) => {
        const names = q(e);
        return names.length === 3
          ? { type: 'InvalidFragmentType', description: `Fragment ${names[0]} cannot be spread here as objects of type ${names[1]} can never be of type ${names[2]}` }
          : { type: 'InvalidFragmentType', description: `Fragment cannot be spread here as objects of type ${names[0]} can never be of type ${names[1]}` };
      }];
    case 'NoFragmentCyclesRule':
      return [NoFragmentCyclesJavaRule, (e) => e.extensions.appsync as Classified];
    case 'UniqueVariableNamesRule':
      return [rule, (e) => ({ type: 'DuplicateVariableName', description: `There can be only one variable named '${q(e)[0]}'`, noPath: true, at: e.nodes!.at(-1), holder: Kind.VARIABLE_DEFINITION })];
    case 'NoUndefinedVariablesRule':
      return [rule, (e) => ({ type: 'UndefinedVariable', description: `Undefined variable ${q(e)[0]}`, nodes: [node(e)] })];
    case 'NoUnusedVariablesRule':
      return [rule, (e, { parents }) => ({ type: 'UnusedVariable', description: `Unused variable ${q(e)[0]}`, noPath: true, checkedOnLeaving: parents.get(node(e)) })];
    case 'KnownDirectivesRule':
      return [rule, (e) => /^Unknown directive/.test(e.message)
        ? { type: 'UnknownDirective', description: `Unknown directive ${q(e)[0]}` }
        : { type: 'MisplacedDirective', description: `Directive ${q(e)[0]} not allowed here` }];
    case 'UniqueDirectivesPerLocationRule':
      return [rule, (e, { document }) => {
        // graphql-js reports both directives; graphql-java the repeated one, naming its holder's class.
        const repeated = e.nodes![1] ?? e.nodes![0];
        let holder = 'Field';
        visit(document, {
          enter(n) {
            if ('directives' in n && (n.directives as readonly ASTNode[] | undefined)?.includes(repeated)) holder = kindName[n.kind] ?? n.kind;
          },
        });
        return { type: 'DuplicateDirectiveName', description: `Directives must be uniquely named within a location. The directive '${q(e)[0]}' used on a '${holder}' is not unique.`, at: repeated, nodes: [repeated] };
      }];
    case 'KnownArgumentNamesRule':
      return [rule, (e) => / on directive /.test(e.message)
        ? { type: 'UnknownDirective', description: `Unknown directive argument ${q(e)[0]}` }
        : { type: 'UnknownArgument', description: `Unknown field argument ${q(e)[0]}` }];
    case 'UniqueArgumentNamesRule':
      return [rule, (e) => ({ type: 'DuplicateArgumentNames', description: `There can be only one argument named '${q(e)[0]}'`, holder: Kind.FIELD })];
    case 'ValuesOfCorrectTypeRule':
      return [ArgumentsOfCorrectTypeRule, (e) => e.extensions.appsync as Classified];
    case 'ProvidedRequiredArgumentsRule':
      return [rule, (e) => /^Directive /.test(e.message)
        ? { type: 'MissingDirectiveArgument', description: `Missing directive argument ${q(e)[1]}` }
        : { type: 'MissingFieldArgument', description: `Missing field argument ${q(e)[1]}` }];
    case 'VariablesInAllowedPositionRule':
      return [rule, (e, { variables }) => {
        const [name, variableType, expected] = q(e);
        // graphql-java prints the variable's effective type: non-null when it has a default.
        const definition = variables.get(name);
        const effective = definition?.defaultValue && !variableType.endsWith('!') ? `${variableType}!` : variableType;
        return { type: 'VariableTypeMismatch', description: `Variable type '${effective}' doesn't match expected type '${expected}'`, at: e.nodes!.at(-1), nodes: [e.nodes!.at(-1)!] };
      }];
    case 'OverlappingFieldsCanBeMergedRule':
      return [rule, (e, { parents }) => {
        const m = /^Fields "([^"]+)" conflict because (.*)\. Use different aliases/s.exec(e.message);
        // Reported when graphql-java leaves the selection set: the path ends at the set's own field.
        return { type: 'FieldsConflict', description: m ? `${m[1]}: ${conflictReason(m[2])}` : e.message, parentPath: true, checkedOnLeaving: parents.get(node(e)) };
      }];
    case 'UniqueInputFieldNamesRule':
      return [rule, (e) => ({ type: 'UniqueObjectFieldName', description: `There can be only one field named '${q(e)[0]}'`, at: e.nodes!.at(-1), holder: Kind.OBJECT_FIELD })];
    default:
      // Rules graphql-java has no counterpart for (e.g. MaxIntrospectionDepthRule): graphql-js's words.
      return [rule, (e) => ({ type: 'ValidationError', description: e.message })];
  }
});
const APPSYNC_RULES = RULES.map(([rule]) => rule);

/** For every node: the names graphql-java has on its query path when it visits that node, and its parent. */
function queryPaths(document: DocumentNode): { paths: Map<ASTNode, string[]>; parents: Map<ASTNode, ASTNode> } {
  const paths = new Map<ASTNode, string[]>();
  const parents = new Map<ASTNode, ASTNode>();
  const stack: string[] = [];
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      // `parent` is the holding array when the node is in a list; the node holding it is then the last ancestor.
      const holder = parent && !Array.isArray(parent) ? (parent as ASTNode) : ([...ancestors].reverse().find((a) => !Array.isArray(a)) as ASTNode | undefined);
      if (holder) parents.set(node, holder);
      if (node.kind === Kind.FIELD || node.kind === Kind.FRAGMENT_DEFINITION) stack.push(node.name.value);
      paths.set(node, [...stack]);
    },
    leave(node) {
      if (node.kind === Kind.FIELD || node.kind === Kind.FRAGMENT_DEFINITION) stack.pop();
    },
  });
  return { paths, parents };
}

/** validate() with AppSync's wording: one error per problem, in document order. */
export function validateAsAppSync(schema: GraphQLSchema, document: DocumentNode): AppSyncError[] {
  // The common case, a valid document, costs one pass; only a failing one is classified rule by rule.
  if (!validate(schema, document, APPSYNC_RULES).length) return [];
  const { paths, parents } = queryPaths(document);
  const facts: DocumentFacts = { document, variables: new Map(), parents };
  visit(document, { VariableDefinition: (d) => void facts.variables.set(d.variable.name.value, d) });
  const holderOf = (node: ASTNode, kind: Kind) => {
    for (let n: ASTNode | undefined = node; n; n = parents.get(n)) if (n.kind === kind) return n;
    return node;
  };
  const found: Array<{ order: number; error: AppSyncError }> = [];
  for (const [rule, classify] of RULES) {
    for (const e of validate(schema, document, [rule])) {
      const c = classify(e, facts);
      let at = c.at ?? e.nodes?.[0];
      if (at && c.holder) at = holderOf(at, c.holder);
      const path = c.noPath ? [] : ((at && paths.get(at)) ?? []).slice(0, c.parentPath ? -1 : undefined);
      const suffix = path.length ? ` @ '${path.join('/')}'` : '';
      const nodes = c.nodes ?? (c.holder && at ? [at] : e.nodes);
      const order = c.checkedOnLeaving?.loc?.end ?? at?.loc?.start ?? 0;
      found.push({ order, error: error(`Validation error of type ${c.type}: ${c.description}${suffix}`, locationsOf(nodes)) });
    }
  }
  return found.sort((a, b) => a.order - b.order).map((f) => f.error);
}

// ---------------------------------------------------------------------------------------------
// Variables

/** The Java class Jackson gives a JSON value, as graphql-java's scalar messages name it. */
function javaClassOf(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? (Math.abs(value) <= 2 ** 31 - 1 ? 'Integer' : 'Long') : 'Double';
  if (Array.isArray(value)) return 'ArrayList';
  return 'LinkedHashMap';
}

const BUILT_IN_SCALARS = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);

class CoercionError extends Error {
  constructor(
    message: string,
    readonly located = true,
  ) {
    super(message);
  }
}

/**
 * graphql-java 9's variable coercion, as a check before execution: the first problem, worded
 * as AppSync words it, or undefined when every variable coerces (graphql-js then coerces them
 * again for execution, accepting exactly the same values: leaves are parsed by the same
 * scalars).
 */
export function variableErrorsAsAppSync(schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown>): AppSyncError[] {
  for (const definition of operation.variableDefinitions ?? []) {
    const variableName = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const locations = locationsOf([definition]);
    const coerce = (t: GraphQLInputType, value: unknown, inputName: string): void => {
      if (isNonNullType(t)) {
        if (value === null || value === undefined) throw new CoercionError(`Variable '${variableName}' has coerced Null value for NonNull type '${String(t)}'`);
        return coerce(t.ofType, value, inputName);
      }
      if (value === null || value === undefined) return;
      if (isListType(t)) {
        for (const item of Array.isArray(value) ? value : [value]) coerce(t.ofType, item, inputName);
        return;
      }
      if (isInputObjectType(t)) {
        if (typeof value !== 'object' || Array.isArray(value)) {
          throw new CoercionError(`Variable '${inputName}' has an invalid value. Expected type 'Map' but was '${javaClassOf(value)}'. Variables for input objects must be an instance of type 'Map'.`);
        }
        const fields = t.getFields();
        for (const key of Object.keys(value)) {
          if (!fields[key]) throw new CoercionError(`The variables input contains a field name '${key}' that is not defined for input object type '${t.name}' `, false);
        }
        for (const field of Object.values(fields)) {
          const given = (value as Record<string, unknown>)[field.name];
          if (given !== undefined || isNonNullType(field.type)) coerce(field.type, given, field.name);
        }
        return;
      }
      if (!isLeafType(t)) return;
      try {
        if (t.parseValue(value) !== undefined) return;
      } catch (thrown) {
        if (isScalarType(t) && !BUILT_IN_SCALARS.has(t.name)) throw new CoercionError(`Variable '${inputName}' has an invalid value. ${(thrown as Error).message}`);
      }
      const reason = isEnumType(t) ? `Invalid input for Enum '${t.name}'. No value found for name '${String(value)}'` : `Expected type '${t.name}' but was '${javaClassOf(value)}'.`;
      throw new CoercionError(`Variable '${inputName}' has an invalid value. ${reason}`);
    };
    try {
      if (!Object.hasOwn(inputs, variableName)) {
        if (!definition.defaultValue && isNonNullType(type)) throw new CoercionError(`Variable '${variableName}' has coerced Null value for NonNull type '${String(type)}'`);
        continue;
      }
      const value = inputs[variableName];
      if (value === null && definition.defaultValue) continue;
      coerce(type, value, variableName);
    } catch (thrown) {
      if (!(thrown instanceof CoercionError)) throw thrown;
      return [error(thrown.message, thrown.located ? locations : null)];
    }
  }
  return [];
}
