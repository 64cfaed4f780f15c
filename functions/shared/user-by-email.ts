import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The id of the user whose (lower-case) email this is, by the Users table's email-index; null when none has it. */
export async function userIdByEmail(
  db: DynamoDBDocumentClient,
  usersTable: string,
  email: string,
): Promise<string | null> {
  const out = await db.send(
    new QueryCommand({
      TableName: usersTable,
      IndexName: 'email-index',
      KeyConditionExpression: 'email = :email',
      ExpressionAttributeValues: { ':email': email },
      Limit: 1,
    }),
  );
  return (out.Items?.[0]?.user_id as string | undefined) ?? null;
}
