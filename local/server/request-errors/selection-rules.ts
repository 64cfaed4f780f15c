import { Kind, type GraphQLError, type ValidationRule } from 'graphql';
import { javaTypeName } from './java-format.ts';
import { ArgumentsOfCorrectTypeRule } from './java-rules.ts';
import { preWorded, quoted, type RuleWording } from './wording.ts';

/**
 * How graphql-java words the findings of the rules about selections: fields, arguments,
 * directives and input values (graphql-js's rule names; ValuesOfCorrectType replaced by
 * graphql-java's own version).
 */
/** graphql-js's OverlappingFieldsCanBeMerged reason, as graphql-java words the same conflict. */
function conflictReason(reason: string): string {
  const sub = /^subfields (.*)$/.exec(reason);
  if (sub) {
    const parts = [...sub[1].matchAll(/"([^"]+)" conflict because (.*?)(?= and subfields "|$)/g)].map(
      (m) => `${m[1]}: ${conflictReason(m[2])}`,
    );
    return `(${parts.join(', ')})`;
  }
  let m: RegExpExecArray | null;
  if ((m = /^"(\w+)" and "(\w+)" are different fields$/.exec(reason)))
    return `${m[1]} and ${m[2]} are different fields`;
  if ((m = /^they return conflicting types "([^"]+)" and "([^"]+)"$/.exec(reason)))
    return `they return differing types ${javaTypeName(m[1])} and ${javaTypeName(m[2])}`;
  return reason === 'they have differing arguments' ? reason : reason.replace(/"/g, '');
}

/** The Java class names of the nodes that hold directives, as graphql-java names them. */
const KIND_NAMES: Partial<Record<string, string>> = {
  [Kind.FIELD]: 'Field',
  [Kind.OPERATION_DEFINITION]: 'OperationDefinition',
  [Kind.FRAGMENT_SPREAD]: 'FragmentSpread',
  [Kind.INLINE_FRAGMENT]: 'InlineFragment',
  [Kind.FRAGMENT_DEFINITION]: 'FragmentDefinition',
};

export function selectionRuleWording(rule: ValidationRule): RuleWording | undefined {
  const q = (e: GraphQLError) => quoted(e.message);
  const node = (e: GraphQLError) => e.nodes![0];
  switch (rule.name) {
    case 'ScalarLeafsRule':
      return [
        rule,
        (e) => {
          const [field, type] = q(e);
          return /must not have a selection/.test(e.message)
            ? {
                type: 'SubSelectionNotAllowed',
                description: `Sub selection not allowed on leaf type ${javaTypeName(type)} of field ${field}`,
                holder: Kind.FIELD,
              }
            : {
                type: 'SubSelectionRequired',
                description: `Sub selection required for type ${javaTypeName(type)} of field ${field}`,
              };
        },
      ];
    case 'FieldsOnCorrectTypeRule':
      return [
        rule,
        (e) => {
          const [field, type] = q(e);
          return { type: 'FieldUndefined', description: `Field '${field}' in type '${type}' is undefined` };
        },
      ];
    case 'KnownDirectivesRule':
      return [
        rule,
        (e) =>
          /^Unknown directive/.test(e.message)
            ? { type: 'UnknownDirective', description: `Unknown directive ${q(e)[0]}` }
            : { type: 'MisplacedDirective', description: `Directive ${q(e)[0]} not allowed here` },
      ];
    case 'UniqueDirectivesPerLocationRule':
      return [
        rule,
        (e, { parents }) => {
          // graphql-js reports both directives; graphql-java the repeated one, naming its holder's class.
          const repeated = e.nodes![1] ?? e.nodes![0];
          const holderKind = parents.get(repeated)?.kind;
          const holder = holderKind ? (KIND_NAMES[holderKind] ?? holderKind) : 'Field';
          return {
            type: 'DuplicateDirectiveName',
            description: `Directives must be uniquely named within a location. The directive '${q(e)[0]}' used on a '${holder}' is not unique.`,
            at: repeated,
            nodes: [repeated],
          };
        },
      ];
    case 'KnownArgumentNamesRule':
      return [
        rule,
        (e) =>
          / on directive /.test(e.message)
            ? { type: 'UnknownDirective', description: `Unknown directive argument ${q(e)[0]}` }
            : { type: 'UnknownArgument', description: `Unknown field argument ${q(e)[0]}` },
      ];
    case 'UniqueArgumentNamesRule':
      return [
        rule,
        (e) => ({
          type: 'DuplicateArgumentNames',
          description: `There can be only one argument named '${q(e)[0]}'`,
          holder: Kind.FIELD,
        }),
      ];
    case 'ValuesOfCorrectTypeRule':
      return [ArgumentsOfCorrectTypeRule, preWorded];
    case 'ProvidedRequiredArgumentsRule':
      return [
        rule,
        (e) =>
          /^Directive /.test(e.message)
            ? { type: 'MissingDirectiveArgument', description: `Missing directive argument ${q(e)[1]}` }
            : { type: 'MissingFieldArgument', description: `Missing field argument ${q(e)[1]}` },
      ];
    case 'OverlappingFieldsCanBeMergedRule':
      return [
        rule,
        (e, { parents }) => {
          const m = /^Fields "([^"]+)" conflict because (.*)\. Use different aliases/s.exec(e.message);
          // Reported when graphql-java leaves the selection set: the path ends at the set's own field.
          return {
            type: 'FieldsConflict',
            description: m ? `${m[1]}: ${conflictReason(m[2])}` : e.message,
            parentPath: true,
            checkedOnLeaving: parents.get(node(e)),
          };
        },
      ];
    case 'UniqueInputFieldNamesRule':
      return [
        rule,
        (e) => ({
          type: 'UniqueObjectFieldName',
          description: `There can be only one field named '${q(e)[0]}'`,
          at: e.nodes!.at(-1),
          holder: Kind.OBJECT_FIELD,
        }),
      ];
    default:
      return undefined;
  }
}
