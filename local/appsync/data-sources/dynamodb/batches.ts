import { BatchGetItemCommand, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import { toSdkItem, type Av, type Expression } from './attribute-values.ts';
import type { Operation } from './table.ts';

/** BatchGetItem, BatchPutItem and BatchDeleteItem across tables named by their logical names. */
export const batchGetItem: Operation = async (table, request) => {
  // AppSync answers `data.<table>` in the order of the keys asked, null for a missing item.
  const tables = request.tables as Record<string, { keys: Av[]; consistentRead?: boolean; projection?: Expression }>;
  const out = await table.client.send(
    new BatchGetItemCommand({
      RequestItems: Object.fromEntries(
        Object.entries(tables).map(([name, t]) => [
          table.physical(name),
          { Keys: t.keys.map(toSdkItem), ConsistentRead: t.consistentRead ?? false },
        ]),
      ),
      ReturnConsumedCapacity: table.ReturnConsumedCapacity,
    }),
  );
  table.consumed('BatchGetItem', out.ConsumedCapacity);
  const byTable = Object.entries(tables).map(([name, t]) => {
    const found = (out.Responses?.[table.physical(name)] ?? []).map((i) => unmarshall(i));
    const unprocessed = out.UnprocessedKeys?.[table.physical(name)]?.Keys ?? [];
    const items = t.keys.map((key) => {
      const k = unmarshall(toSdkItem(key));
      return found.find((item) => Object.entries(k).every(([a, v]) => isDeepStrictEqual(item[a], v))) ?? null;
    });
    return { name, items, unprocessed: unprocessed.map((k) => unmarshall(k)) };
  });
  return {
    result: {
      data: Object.fromEntries(byTable.map((t) => [t.name, t.items])),
      unprocessedKeys: Object.fromEntries(byTable.map((t) => [t.name, t.unprocessed])),
    },
  };
};

export const batchWriteItem: Operation = async (table, request) => {
  const put = request.operation === 'BatchPutItem';
  const tables = request.tables as Record<string, Av[]>;
  const out = await table.client.send(
    new BatchWriteItemCommand({
      RequestItems: Object.fromEntries(
        Object.entries(tables).map(([name, entries]) => [
          table.physical(name),
          entries.map((e) => (put ? { PutRequest: { Item: toSdkItem(e) } } : { DeleteRequest: { Key: toSdkItem(e) } })),
        ]),
      ),
      ReturnConsumedCapacity: table.ReturnConsumedCapacity,
    }),
  );
  table.consumed(request.operation, out.ConsumedCapacity);
  const data = Object.fromEntries(
    Object.entries(tables).map(([name, entries]) => [name, entries.map((e) => unmarshall(toSdkItem(e)))]),
  );
  const unprocessed = Object.fromEntries(
    Object.keys(tables).map((name) => [
      name,
      (out.UnprocessedItems?.[table.physical(name)] ?? []).map((w) =>
        unmarshall((put ? w.PutRequest?.Item : w.DeleteRequest?.Key) ?? {}),
      ),
    ]),
  );
  return { result: put ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed } };
};
