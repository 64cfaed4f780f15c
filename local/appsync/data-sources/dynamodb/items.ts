import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import type { DataSourceOutcome } from '../data-source.ts';
import { fromItem, names, projectionOf, toSdkItem, values, type Av, type Expression } from './attribute-values.ts';
import type { Operation, TableContext } from './table.ts';

/** The single-item operations: GetItem, PutItem, UpdateItem, DeleteItem, with AppSync's condition handling. */
export const getItem: Operation = async (table, request) => {
  const out = await table.client.send(
    new GetItemCommand({
      TableName: table.TableName,
      Key: toSdkItem(request.key),
      ConsistentRead: request.consistentRead ?? false,
      ReturnConsumedCapacity: table.ReturnConsumedCapacity,
      ...projectionOf(request.projection),
      ExpressionAttributeNames: request.projection?.expressionNames,
    }),
  );
  table.consumed('GetItem', out.ConsumedCapacity);
  return { result: fromItem(out.Item) };
};

export const putItem: Operation = async (table, request) => {
  const item = { ...toSdkItem(request.attributeValues), ...toSdkItem(request.key) };
  const condition: Expression | undefined = request.condition;
  try {
    const out = await table.client.send(
      new PutItemCommand({
        TableName: table.TableName,
        Item: item,
        ConditionExpression: condition?.expression,
        ExpressionAttributeNames: names(condition),
        ExpressionAttributeValues: values(condition),
        ReturnConsumedCapacity: table.ReturnConsumedCapacity,
      }),
    );
    table.consumed('PutItem', out.ConsumedCapacity);
    return { result: unmarshall(item) };
  } catch (error) {
    return conditionFailure(table, error, 'PutItem', toSdkItem(request.key), condition, unmarshall(item));
  }
};

export const updateItem: Operation = async (table, request) => {
  const update: Expression = request.update;
  const condition: Expression | undefined = request.condition;
  try {
    const out = await table.client.send(
      new UpdateItemCommand({
        TableName: table.TableName,
        Key: toSdkItem(request.key),
        UpdateExpression: update.expression,
        ConditionExpression: condition?.expression,
        ExpressionAttributeNames: names(update, condition),
        ExpressionAttributeValues: values(update, condition),
        ReturnValues: 'ALL_NEW',
        ReturnConsumedCapacity: table.ReturnConsumedCapacity,
      }),
    );
    table.consumed('UpdateItem', out.ConsumedCapacity);
    return { result: fromItem(out.Attributes) };
  } catch (error) {
    return conditionFailure(table, error, 'UpdateItem', toSdkItem(request.key), condition);
  }
};

export const deleteItem: Operation = async (table, request) => {
  const condition: Expression | undefined = request.condition;
  try {
    const out = await table.client.send(
      new DeleteItemCommand({
        TableName: table.TableName,
        Key: toSdkItem(request.key),
        ConditionExpression: condition?.expression,
        ExpressionAttributeNames: names(condition),
        ExpressionAttributeValues: values(condition),
        ReturnValues: 'ALL_OLD',
        ReturnConsumedCapacity: table.ReturnConsumedCapacity,
      }),
    );
    table.consumed('DeleteItem', out.ConsumedCapacity);
    return { result: fromItem(out.Attributes) };
  } catch (error) {
    return conditionFailure(table, error, 'DeleteItem', toSdkItem(request.key), condition);
  }
};

/**
 * A failed condition as AppSync's DynamoDB function handles it
 * (https://docs.aws.amazon.com/appsync/latest/devguide/js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html,
 * "Handling a condition check failure"): it reads the current item (strongly consistent unless
 * `condition.consistentRead` is false), then
 * - PutItem: the current item equals the one written, bar `equalsIgnore` → success, that item;
 * - DeleteItem: no current item → success (nothing to delete is what was wanted);
 * - UpdateItem, and any other case: the Reject strategy, an error, with the current item.
 */
async function conditionFailure(
  table: TableContext,
  error: unknown,
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem',
  key: Av,
  condition: (Expression & { equalsIgnore?: string[]; consistentRead?: boolean }) | undefined,
  desired?: Record<string, unknown>,
): Promise<DataSourceOutcome> {
  if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  const out = await table.client.send(
    new GetItemCommand({ TableName: table.TableName, Key: key, ConsistentRead: condition?.consistentRead ?? true }),
  );
  const current = fromItem(out.Item);
  if (operation === 'DeleteItem' && !current) return { result: null };
  if (operation === 'PutItem' && desired && current) {
    const ignored = condition?.equalsIgnore ?? [];
    const strip = (item: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(item).filter(([k]) => !ignored.includes(k)));
    if (isDeepStrictEqual(strip(current), strip(desired))) return { result: current };
  }
  return {
    result: current,
    error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
  };
}
