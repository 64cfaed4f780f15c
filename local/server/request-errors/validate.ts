import {
  GraphQLError,
  Kind,
  specifiedRules,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
} from 'graphql';
import type { AppSyncError } from '../graphql.ts';
import { definitionRuleWording } from './definition-rules.ts';
import { locationsOf, requestError } from './errors.ts';
import { selectionRuleWording } from './selection-rules.ts';
import type { Classify, DocumentFacts, RuleWording } from './wording.ts';

/**
 * validate() with AppSync's wording, in one walk of the document: every rule runs in that
 * walk, each error is classified by the rule that reported it, and, as graphql-java does,
 * validation stops at the 100th error, which is a MaxValidationErrorsReached.
 */
export const MAX_VALIDATION_ERRORS = 100;

/** Each graphql-js rule, in specifiedRules' order, and how graphql-java reports what it finds. */
const WORDINGS: RuleWording[] = specifiedRules.map(
  (rule) =>
    definitionRuleWording(rule) ??
    selectionRuleWording(rule) ??
      // Rules graphql-java has no counterpart for (e.g. MaxIntrospectionDepthRule): graphql-js's words.
      [rule, (e: GraphQLError) => ({ type: 'ValidationError', description: e.message })],
);

/** The rules, each reporting through a context that remembers which wording its errors take. */
function taggedRules(wordingOf: Map<GraphQLError, Classify>) {
  return WORDINGS.map(([rule, classify]) => (context: ValidationContext) => {
    const tagging = Object.create(context, {
      reportError: {
        value: (error: GraphQLError) => {
          wordingOf.set(error, classify);
          context.reportError(error);
        },
      },
    }) as ValidationContext;
    return rule(tagging);
  });
}

/** For every node: the names graphql-java has on its query path when it visits that node, and its parent. */
function queryPaths(document: DocumentNode): { paths: Map<ASTNode, string[]>; parents: Map<ASTNode, ASTNode> } {
  const paths = new Map<ASTNode, string[]>();
  const parents = new Map<ASTNode, ASTNode>();
  const stack: string[] = [];
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      // `parent` is the holding array when the node is in a list; the node holding it is then the last ancestor.
      const holder =
        parent && !Array.isArray(parent)
          ? (parent as ASTNode)
          : (ancestors.findLast((a) => !Array.isArray(a)) as ASTNode | undefined);
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

const limitReached = () =>
  requestError(
    `Validation error of type MaxValidationErrorsReached: The maximum number of validation errors has been reached. (${MAX_VALIDATION_ERRORS})`,
    null,
  );

/** One error per problem (at most MAX_VALIDATION_ERRORS), in document order. */
export function validateAsAppSync(schema: GraphQLSchema, document: DocumentNode): AppSyncError[] {
  const wordingOf = new Map<GraphQLError, Classify>();
  const errors = validate(schema, document, taggedRules(wordingOf), { maxErrors: MAX_VALIDATION_ERRORS - 1 });
  // The common case, a valid document, costs that one walk.
  if (!errors.length) return [];
  const { paths, parents } = queryPaths(document);
  const facts: DocumentFacts = { document, variables: new Map(), parents };
  visit(document, { VariableDefinition: (d) => void facts.variables.set(d.variable.name.value, d) });
  const holderOf = (node: ASTNode, kind: Kind) => {
    for (let n: ASTNode | undefined = node; n; n = parents.get(n)) if (n.kind === kind) return n;
    return node;
  };
  const found: Array<{ order: number; error: AppSyncError }> = [];
  let stopped = false;
  for (const e of errors) {
    const classify = wordingOf.get(e);
    // graphql-js's own "too many errors" marker, reported by no rule.
    if (!classify) {
      stopped = true;
      continue;
    }
    const c = classify(e, facts);
    let at = c.at ?? e.nodes?.[0];
    if (at && c.holder) at = holderOf(at, c.holder);
    const path = c.noPath ? [] : ((at && paths.get(at)) ?? []).slice(0, c.parentPath ? -1 : undefined);
    const suffix = path.length ? ` @ '${path.join('/')}'` : '';
    const nodes = c.nodes ?? (c.holder && at ? [at] : e.nodes);
    const order = c.checkedOnLeaving?.loc?.end ?? at?.loc?.start ?? 0;
    found.push({
      order,
      error: requestError(`Validation error of type ${c.type}: ${c.description}${suffix}`, locationsOf(nodes)),
    });
  }
  const ordered = found.sort((a, b) => a.order - b.order).map((f) => f.error);
  return stopped ? [...ordered, limitReached()] : ordered;
}
