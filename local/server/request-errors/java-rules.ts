import {
  isNonNullType,
  Kind,
  typeFromAST,
  type ASTNode,
  type ASTVisitor,
  type GraphQLInputType,
  type ValidationContext,
} from 'graphql';
import { javaAstString, javaTypeName } from './java-format.ts';
import { literalProblem } from './literal-problem.ts';
import { reported } from './wording.ts';

/** graphql-java's own versions of three rules, where its findings differ from graphql-js's. */
/** graphql-java's ArgumentsOfCorrectType and VariableDefaultValuesOfCorrectType, replacing ValuesOfCorrectTypeRule. */
export function ArgumentsOfCorrectTypeRule(context: ValidationContext): ASTVisitor {
  return {
    Argument(node) {
      const argument = context.getArgument();
      const problem = argument && literalProblem(node.name.value, node.value, argument.type);
      if (problem) reported(context, node, { type: 'WrongType', description: problem });
    },
    VariableDefinition(node) {
      const type = typeFromAST(context.getSchema(), node.type);
      if (!node.defaultValue || !type) return;
      if (isNonNullType(type))
        reported(context, node, {
          type: 'DefaultForNonNullArgument',
          description: 'Missing value for non null type',
          noPath: true,
        });
      if (literalProblem(node.variable.name.value, node.defaultValue, type as GraphQLInputType)) {
        reported(context, node, {
          type: 'BadValueForDefaultArg',
          description: `Bad default value ${javaAstString(node.defaultValue)} for type ${javaTypeName(String(type))}`,
          noPath: true,
        });
      }
    },
  };
}

/** graphql-java's LoneAnonymousOperation: it names the operations around the anonymous one. */
export function LoneAnonymousOperationJavaRule(context: ValidationContext): ASTVisitor {
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

/**
 * graphql-java's NoFragmentCycles: one error per fragment on a cycle, at the spreads leading
 * back to it. Each fragment is expanded once per definition, so fragments that spread one
 * another many times over cost their number of spreads, not their number of paths.
 */
export function NoFragmentCyclesJavaRule(context: ValidationContext): ASTVisitor {
  return {
    FragmentDefinition(definition) {
      const spreadPath: ASTNode[] = [];
      const expanded = new Set<string>();
      const detect = (fragmentName: string) => {
        if (expanded.has(fragmentName)) return;
        expanded.add(fragmentName);
        for (const spread of context.getFragmentSpreads(
          context.getFragment(fragmentName)?.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] },
        )) {
          if (spread.name.value === definition.name.value) {
            reported(context, [...spreadPath], {
              type: 'FragmentCycle',
              description: 'Fragment cycles not allowed',
              at: definition,
            });
            continue;
          }
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
