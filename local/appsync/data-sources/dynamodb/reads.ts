import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { names, projectionOf, values, type Expression } from './attribute-values.ts';
import type { Operation } from './table.ts';

/** Query and Scan: one page each, its `nextToken` sealed to the table, index and condition it came from. */
export const query: Operation = async (table, request) => {
  const query: Expression = request.query;
  const filter: Expression | undefined = request.filter ?? undefined;
  const boundTo = `${table.TableName}|${request.index ?? ''}|${JSON.stringify(query)}`;
  const out = await table.client.send(
    new QueryCommand({
      TableName: table.TableName,
      IndexName: request.index ?? undefined,
      KeyConditionExpression: query.expression,
      FilterExpression: filter?.expression,
      ExpressionAttributeNames: names(query, filter, request.projection),
      ExpressionAttributeValues: values(query, filter),
      ExclusiveStartKey: table.tokens.open(request.nextToken, boundTo),
      Limit: request.limit ?? undefined,
      ScanIndexForward: request.scanIndexForward ?? true,
      ConsistentRead: request.consistentRead ?? false,
      Select: request.select ?? undefined,
      ...projectionOf(request.projection),
      ReturnConsumedCapacity: table.ReturnConsumedCapacity,
    }),
  );
  table.consumed('Query', out.ConsumedCapacity);
  return {
    result: {
      items: (out.Items ?? []).map((i) => unmarshall(i)),
      nextToken: table.tokens.seal(out.LastEvaluatedKey, boundTo),
      scannedCount: out.ScannedCount ?? 0,
    },
  };
};

export const scan: Operation = async (table, request) => {
  const filter: Expression | undefined = request.filter ?? undefined;
  const boundTo = `${table.TableName}|${request.index ?? ''}|scan|${JSON.stringify(filter ?? null)}|${request.segment ?? ''}/${request.totalSegments ?? ''}`;
  const out = await table.client.send(
    new ScanCommand({
      TableName: table.TableName,
      IndexName: request.index ?? undefined,
      FilterExpression: filter?.expression,
      ExpressionAttributeNames: names(filter, request.projection),
      ExpressionAttributeValues: values(filter),
      ExclusiveStartKey: table.tokens.open(request.nextToken, boundTo),
      Limit: request.limit ?? undefined,
      ConsistentRead: request.consistentRead ?? false,
      Segment: request.segment ?? undefined,
      TotalSegments: request.totalSegments ?? undefined,
      Select: request.select ?? undefined,
      ...projectionOf(request.projection),
      ReturnConsumedCapacity: table.ReturnConsumedCapacity,
    }),
  );
  table.consumed('Scan', out.ConsumedCapacity);
  return {
    result: {
      items: (out.Items ?? []).map((i) => unmarshall(i)),
      nextToken: table.tokens.seal(out.LastEvaluatedKey, boundTo),
      scannedCount: out.ScannedCount ?? 0,
    },
  };
};
