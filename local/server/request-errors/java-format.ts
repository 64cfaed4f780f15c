import { Kind, type ValueNode } from 'graphql';

/** How graphql-java (and the JVM under it) prints values, types and sets, for AppSync's wording. */
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
export const javaTypeName = (typeString: string) => (/[!\]]$/.test(typeString) ? 'null' : typeString);

/** Iteration order of a java.util.HashSet of these strings (graphql-java prints missing fields from one). */
export function javaHashSetOrder(values: string[]): string[] {
  let capacity = 16;
  while (values.length > capacity * 0.75) capacity *= 2;
  const bucketOf = (value: string) => {
    let h = 0;
    for (let i = 0; i < value.length; i++) h = (Math.imul(31, h) + value.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return values
    .map((value, index) => ({ value, index, bucket: bucketOf(value) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.value);
}

/** The Java class Jackson gives a JSON value, as graphql-java's scalar messages name it. */
export function javaClassOf(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number')
    return Number.isInteger(value) ? (Math.abs(value) <= 2 ** 31 - 1 ? 'Integer' : 'Long') : 'Double';
  if (Array.isArray(value)) return 'ArrayList';
  return 'LinkedHashMap';
}
