import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Whether a DynamoDB error is a failed ConditionExpression (the item was not as the write required). */
export const isConditionFailure = (error: unknown) =>
  (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

/**
 * Put an item whose key is not taken yet: true when written, false (nothing written) when an item
 * with its key is there. With deterministic keys this is the idempotent step of a retry.
 */
export async function putIfAbsent(
  db: DynamoDBDocumentClient,
  table: string,
  item: Record<string, unknown>,
  keyAttribute: string,
): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({ TableName: table, Item: item, ConditionExpression: `attribute_not_exists(${keyAttribute})` }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
