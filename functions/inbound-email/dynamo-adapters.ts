import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { inboundMessagesPartition } from '../../model/receipts.ts';
import type { UserItem } from '../../model/users.ts';
import type { InboundEmailDeps, MessageRecord } from './core.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

/** The owner of a forwarding address: one Query on the sparse forwarding-address-index. */
export function createForwardingOwners(db: DynamoDBDocumentClient, usersTable: string): InboundEmailDeps['owners'] {
  return {
    async byForwardingAddress(address) {
      const out = await db.send(
        new QueryCommand({
          TableName: usersTable,
          IndexName: 'forwarding-address-index',
          KeyConditionExpression: 'forwardingAddress = :address',
          ExpressionAttributeValues: { ':address': address.toLowerCase() },
          Limit: 1,
        }),
      );
      const user = out.Items?.[0] as UserItem | undefined;
      return user ? { userId: user.user_id, email: user.email, forwardingSenders: user.forwardingSenders } : null;
    },
  };
}

/** Message records in the Receipts table under `<owner>#inbound` (model/receipts.ts). */
export function createMessageRecords(db: DynamoDBDocumentClient, receiptsTable: string): InboundEmailDeps['messages'] {
  const key = (owner: string, messageKey: string) => ({
    user_id: inboundMessagesPartition(owner),
    receipt_id: messageKey,
  });
  return {
    async claim(owner, messageKey, sesMessageId, now) {
      try {
        await db.send(
          new PutCommand({
            TableName: receiptsTable,
            Item: { ...key(owner, messageKey), sesMessageId, receivedAt: now },
            ConditionExpression: 'attribute_not_exists(receipt_id)',
          }),
        );
        return { sesMessageId };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const out = await db.send(
          new GetCommand({ TableName: receiptsTable, Key: key(owner, messageKey), ConsistentRead: true }),
        );
        return out.Item as MessageRecord;
      }
    },
    async recordOutcome(owner, messageKey, outcome) {
      await db.send(
        new UpdateCommand({
          TableName: receiptsTable,
          Key: key(owner, messageKey),
          UpdateExpression: 'SET outcome = :outcome',
          ExpressionAttributeValues: { ':outcome': outcome },
        }),
      );
    },
    async markReplied(owner, messageKey) {
      await db.send(
        new UpdateCommand({
          TableName: receiptsTable,
          Key: key(owner, messageKey),
          UpdateExpression: 'SET replied = :yes',
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
    },
  };
}
