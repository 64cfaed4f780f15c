import {
  GraphQLError,
  type ASTNode,
  type DocumentNode,
  type Kind,
  type ValidationContext,
  type ValueNode,
} from 'graphql';

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

/** How graphql-java reports one validation problem: its type, its description and where it is. */
export interface Classified {
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

/** Errors of the replacement rules are reported pre-worded: their type and description ride in extensions. */
export const reported = (context: ValidationContext, nodes: ASTNode | ASTNode[], classified: Classified) =>
  context.reportError(new GraphQLError(classified.description, { nodes, extensions: { appsync: classified } }));

/** What the wordings need to know about the document beyond the error itself. */
export interface DocumentFacts {
  document: DocumentNode;
  variables: Map<string, { defaultValue?: ValueNode }>;
  parents: Map<ASTNode, ASTNode>;
}

export type Classify = (e: GraphQLError, facts: DocumentFacts) => Classified;

/** A graphql-js rule (or graphql-java's version of it) and how graphql-java words what it finds. */
export type RuleWording = [rule: ValidationRuleLike, classify: Classify];
export type ValidationRuleLike = (context: ValidationContext) => import('graphql').ASTVisitor;

/** The quoted names of a graphql-js message, without their `@` / `$` sigils. */
export const quoted = (message: string) => [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1].replace(/^[@$]/, ''));
/** A pre-worded error's classification (the replacement rules put it in extensions). */
export const preWorded: Classify = (e) => e.extensions.appsync as Classified;
