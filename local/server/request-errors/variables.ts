import {
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { AppSyncError } from '../graphql.ts';
import { locationsOf, requestError } from './errors.ts';
import { javaClassOf } from './java-format.ts';

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
export function variableErrorsAsAppSync(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
): AppSyncError[] {
  for (const definition of operation.variableDefinitions ?? []) {
    const variableName = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const locations = locationsOf([definition]);
    const coerce = (t: GraphQLInputType, value: unknown, inputName: string): void => {
      if (isNonNullType(t)) {
        if (value === null || value === undefined)
          throw new CoercionError(`Variable '${variableName}' has coerced Null value for NonNull type '${String(t)}'`);
        return coerce(t.ofType, value, inputName);
      }
      if (value === null || value === undefined) return;
      if (isListType(t)) {
        for (const item of Array.isArray(value) ? value : [value]) coerce(t.ofType, item, inputName);
        return;
      }
      if (isInputObjectType(t)) {
        if (typeof value !== 'object' || Array.isArray(value)) {
          throw new CoercionError(
            `Variable '${inputName}' has an invalid value. Expected type 'Map' but was '${javaClassOf(value)}'. Variables for input objects must be an instance of type 'Map'.`,
          );
        }
        const fields = t.getFields();
        for (const key of Object.keys(value)) {
          if (!fields[key])
            throw new CoercionError(
              `The variables input contains a field name '${key}' that is not defined for input object type '${t.name}' `,
              false,
            );
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
        if (isScalarType(t) && !BUILT_IN_SCALARS.has(t.name))
          throw new CoercionError(`Variable '${inputName}' has an invalid value. ${(thrown as Error).message}`);
      }
      const reason = isEnumType(t)
        ? `Invalid input for Enum '${t.name}'. No value found for name '${String(value)}'`
        : `Expected type '${t.name}' but was '${javaClassOf(value)}'.`;
      throw new CoercionError(`Variable '${inputName}' has an invalid value. ${reason}`);
    };
    try {
      if (!Object.hasOwn(inputs, variableName)) {
        if (!definition.defaultValue && isNonNullType(type))
          throw new CoercionError(
            `Variable '${variableName}' has coerced Null value for NonNull type '${String(type)}'`,
          );
        continue;
      }
      const value = inputs[variableName];
      if (value === null && definition.defaultValue) continue;
      coerce(type, value, variableName);
    } catch (thrown) {
      if (!(thrown instanceof CoercionError)) throw thrown;
      return [requestError(thrown.message, thrown.located ? locations : null)];
    }
  }
  return [];
}
