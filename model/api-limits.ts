/**
 * The limits the API sets on one GraphQL request, the same on AppSync (infra/constructs/api.ts:
 * `queryDepthLimit`, `resolverCountLimit`) and in the local runtime.
 *
 * - Depth: the levels of fields, a leaf counting as one (`{ a { b } }` is 2). 15 takes the
 *   standard introspection query tools send (graphql-js's getIntrospectionQuery is 15 deep)
 *   and every operation of this API with room to spare.
 * - Resolvers: how many resolvers one request may run. The largest legitimate request is a
 *   page of 100 items with two resolved fields each (listReceipts with imageUrl and expense:
 *   201); 250 leaves room for a few root fields beside it, and stops a request that fans one
 *   field out through hundreds of aliases (each a DynamoDB query, a Lambda call, an email).
 *   https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html
 */
export const QUERY_DEPTH_LIMIT = 15;
export const RESOLVER_COUNT_LIMIT = 250;
