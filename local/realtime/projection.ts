import {
  getNamedType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';

/** The subscriber's selection applied to the mutation's result: fields it did not return are null. */
export function project(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  type: GraphQLNamedType,
  fragments: Record<string, FragmentDefinitionNode>,
): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => project(v, selectionSet, type, fragments));
  if (!selectionSet || !isObjectType(type)) return value;
  // Keys are the subscriber's aliases: a prototype-free record, as graphql-js builds results.
  const out = Object.create(null) as Record<string, unknown>;
  const fill = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === '__typename') {
          out[key] = type.name;
          continue;
        }
        const field = (type as GraphQLObjectType).getFields()[selection.name.value];
        const raw = Object.hasOwn(value as object, selection.name.value)
          ? (value as Record<string, unknown>)[selection.name.value]
          : undefined;
        out[key] = field ? project(raw, selection.selectionSet, getNamedType(field.type), fragments) : null;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) fill(selection.selectionSet);
      else if (fragments[selection.name.value]) fill(fragments[selection.name.value].selectionSet);
    }
  };
  fill(selectionSet);
  return out;
}
