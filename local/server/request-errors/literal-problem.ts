import {
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type GraphQLInputType,
  type GraphQLType,
  type ValueNode,
} from 'graphql';
import { javaAstString, javaHashSetOrder } from './java-format.ts';

/**
 * graphql-java's `isValidLiteralValue` for one argument or default value: undefined when the
 * literal is valid, else the description ArgumentValidationUtil builds (the path into the
 * input, and the value where it failed, or the whole argument for object-shape failures).
 */
export function literalProblem(name: string, literal: ValueNode, type: GraphQLInputType): string | undefined {
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
    const missing = Object.values(t.getFields())
      .filter((f) => isNonNullType(f.type) && !given.has(f.name))
      .map((f) => f.name);
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
