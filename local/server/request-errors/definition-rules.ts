import { Kind, type ASTNode, type GraphQLError, type ValidationRule } from 'graphql';
import { LoneAnonymousOperationJavaRule, NoFragmentCyclesJavaRule } from './java-rules.ts';
import { preWorded, quoted, type RuleWording } from './wording.ts';

/**
 * How graphql-java words the findings of the rules about definitions: operations, fragments
 * and variables (graphql-js's rule names; some replaced by graphql-java's own version).
 */
export function definitionRuleWording(rule: ValidationRule): RuleWording | undefined {
  const q = (e: GraphQLError) => quoted(e.message);
  const node = (e: GraphQLError) => e.nodes![0];
  switch (rule.name) {
    case 'ExecutableDefinitionsRule':
      return [
        rule,
        (e) => {
          const def = node(e) as ASTNode & { name?: { value: string } };
          const name =
            def.kind === Kind.SCHEMA_DEFINITION || def.kind === Kind.SCHEMA_EXTENSION
              ? 'schema'
              : (def.name?.value ?? 'provided');
          return {
            type: 'NonExecutableDefinition',
            description: `The ${name} definition is not executable.`,
            noPath: true,
          };
        },
      ];
    case 'UniqueOperationNamesRule':
      return [
        rule,
        (e) => ({
          type: 'DuplicateOperationName',
          description: `There can be only one operation named '${q(e)[0]}'`,
          noPath: true,
          at: e.nodes!.at(-1),
          holder: Kind.OPERATION_DEFINITION,
        }),
      ];
    case 'LoneAnonymousOperationRule':
      return [LoneAnonymousOperationJavaRule, preWorded];
    case 'SingleFieldSubscriptionsRule':
      return [
        rule,
        (e) => ({
          type: 'SubscriptionMultipleRootFields',
          description: `Subscription operation '${q(e)[0] ?? 'null'}' must have exactly one root field`,
          noPath: true,
        }),
      ];
    case 'KnownTypeNamesRule':
      return [rule, (e) => ({ type: 'UnknownType', description: `Unknown type ${q(e)[0]}` })];
    case 'FragmentsOnCompositeTypesRule':
      return [
        rule,
        (e, { parents }) =>
          parents.get(node(e))?.kind === Kind.INLINE_FRAGMENT
            ? {
                type: 'InlineFragmentTypeConditionInvalid',
                description: 'Inline fragment type condition is invalid, must be on Object/Interface/Union',
                holder: Kind.INLINE_FRAGMENT,
              }
            : {
                type: 'FragmentTypeConditionInvalid',
                description: 'Fragment type condition is invalid, must be on Object/Interface/Union',
                holder: Kind.FRAGMENT_DEFINITION,
              },
      ];
    case 'VariablesAreInputTypesRule':
      return [
        rule,
        () => ({
          type: 'NonInputTypeOnVariable',
          description: 'Wrong type for a variable',
          noPath: true,
          holder: Kind.VARIABLE_DEFINITION,
        }),
      ];
    case 'UniqueFragmentNamesRule':
      return [
        rule,
        (e) => ({
          type: 'DuplicateFragmentName',
          description: `There can be only one fragment named '${q(e)[0]}'`,
          at: e.nodes!.at(-1),
          holder: Kind.FRAGMENT_DEFINITION,
        }),
      ];
    case 'KnownFragmentNamesRule':
      return [
        rule,
        (e) => ({
          type: 'UndefinedFragment',
          description: `Undefined fragment ${q(e)[0]}`,
          holder: Kind.FRAGMENT_SPREAD,
        }),
      ];
    case 'NoUnusedFragmentsRule':
      return [
        rule,
        (e, { document }) => ({
          type: 'UnusedFragment',
          description: `Unused fragment ${q(e)[0]}`,
          noPath: true,
          checkedOnLeaving: document,
        }),
      ];
    case 'PossibleFragmentSpreadsRule':
      return [
        rule,
        (e) => {
          const names = q(e);
          return names.length === 3
            ? {
                type: 'InvalidFragmentType',
                description: `Fragment ${names[0]} cannot be spread here as objects of type ${names[1]} can never be of type ${names[2]}`,
              }
            : {
                type: 'InvalidFragmentType',
                description: `Fragment cannot be spread here as objects of type ${names[0]} can never be of type ${names[1]}`,
              };
        },
      ];
    case 'NoFragmentCyclesRule':
      return [NoFragmentCyclesJavaRule, preWorded];
    case 'UniqueVariableNamesRule':
      return [
        rule,
        (e) => ({
          type: 'DuplicateVariableName',
          description: `There can be only one variable named '${q(e)[0]}'`,
          noPath: true,
          at: e.nodes!.at(-1),
          holder: Kind.VARIABLE_DEFINITION,
        }),
      ];
    case 'NoUndefinedVariablesRule':
      return [
        rule,
        (e) => ({ type: 'UndefinedVariable', description: `Undefined variable ${q(e)[0]}`, nodes: [node(e)] }),
      ];
    case 'NoUnusedVariablesRule':
      return [
        rule,
        (e, { parents }) => ({
          type: 'UnusedVariable',
          description: `Unused variable ${q(e)[0]}`,
          noPath: true,
          checkedOnLeaving: parents.get(node(e)),
        }),
      ];
    case 'VariablesInAllowedPositionRule':
      return [
        rule,
        (e, { variables }) => {
          const [name, variableType, expected] = q(e);
          // graphql-java prints the variable's effective type: non-null when it has a default.
          const definition = variables.get(name);
          const effective = definition?.defaultValue && !variableType.endsWith('!') ? `${variableType}!` : variableType;
          return {
            type: 'VariableTypeMismatch',
            description: `Variable type '${effective}' doesn't match expected type '${expected}'`,
            at: e.nodes!.at(-1),
            nodes: [e.nodes!.at(-1)!],
          };
        },
      ];
    default:
      return undefined;
  }
}
