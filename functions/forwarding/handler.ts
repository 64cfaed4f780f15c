import { randomBytes, randomInt } from 'node:crypto';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UserItem } from '../../model/users.ts';
import { dynamoDocumentClient, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import type {
  MutationAddForwardingSenderArgs,
  MutationConfirmForwardingSenderArgs,
  MutationRemoveForwardingSenderArgs,
} from '../../generated/graphql.ts';
import {
  answerLoggedFieldCall,
  fieldDispatcher,
  type FieldAnswer,
  type FieldCall,
  type NoArgs,
  type ServedFields,
} from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import {
  addForwardingSender,
  confirmForwardingSender,
  removeForwardingSender,
  revokeForwardingAddress,
  rotateForwardingAddress,
  type ForwardingDeps,
} from './core.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

const { logger, instrument, count } = functionObservability('forwarding');
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function randomToken(): string {
  // 130 bits drawn, 26 characters of 5 bits: the 128 random bits the address promises, and more.
  const bytes = randomBytes(26);
  return Array.from(bytes, (b) => CROCKFORD[b % 32]).join('');
}

let deps: ForwardingDeps | undefined;
function forwardingDeps(): ForwardingDeps {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  const table = tableName('Users');
  deps = {
    users: {
      async get(owner) {
        const out = await db.send(new GetCommand({ TableName: table, Key: { user_id: owner }, ConsistentRead: true }));
        return (out.Item as UserItem | undefined) ?? null;
      },
      async setAddress(owner, address, now) {
        const out = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { user_id: owner },
            UpdateExpression: address
              ? 'SET forwardingAddress = :address, updatedAt = :now'
              : 'SET updatedAt = :now REMOVE forwardingAddress',
            ConditionExpression: 'attribute_exists(user_id)',
            ExpressionAttributeValues: { ':now': now, ...(address ? { ':address': address } : {}) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes as UserItem;
      },
      async setSenders(owner, senders, seenUpdatedAt, now) {
        try {
          const out = await db.send(
            new UpdateCommand({
              TableName: table,
              Key: { user_id: owner },
              UpdateExpression: 'SET forwardingSenders = :senders, updatedAt = :now',
              ConditionExpression: 'updatedAt = :seen',
              ExpressionAttributeValues: { ':senders': senders, ':now': now, ':seen': seenUpdatedAt },
              ReturnValues: 'ALL_NEW',
            }),
          );
          return out.Attributes as UserItem;
        } catch (error) {
          if (isConditionFailure(error)) return null;
          throw error;
        }
      },
    },
    async sendCode(to, code, forwardingAddress) {
      await sesClient().send(
        new SendEmailCommand({
          FromEmailAddress: config.senderEmail,
          Destination: { ToAddresses: [to] },
          Content: {
            Simple: {
              Subject: { Data: `${code} is your code to forward receipts to Smart Expense Tracker` },
              Body: {
                Text: {
                  Data: [
                    `Someone (we hope you) asked for ${to} to be allowed to forward e-receipts to their Smart Expense Tracker account${forwardingAddress ? ` (${forwardingAddress})` : ''}.`,
                    '',
                    `Confirm it with this code: ${code}`,
                    '',
                    'It is valid for 30 minutes. If this was not you, ignore this message: nothing changes without the code.',
                  ].join('\n'),
                },
              },
            },
          },
        }),
      );
      count('forwardingCodesSent');
    },
    newToken: randomToken,
    newCode: () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
    domain: config.inboundEmailDomain,
    now: () => new Date(),
  };
  return deps;
}

/** The fields ForwardingFn serves (resolvers/Mutation.*.ForwardingFn.ts), with their arguments from the schema. */
type ForwardingFnFields = ServedFields<{
  'Mutation.rotateForwardingAddress': NoArgs;
  'Mutation.revokeForwardingAddress': NoArgs;
  'Mutation.addForwardingSender': MutationAddForwardingSenderArgs;
  'Mutation.confirmForwardingSender': MutationConfirmForwardingSenderArgs;
  'Mutation.removeForwardingSender': MutationRemoveForwardingSenderArgs;
}>;

const resolveForwardingField = fieldDispatcher<ForwardingFnFields>('ForwardingFn', {
  'Mutation.rotateForwardingAddress': async ({ owner }) => {
    const user = await rotateForwardingAddress(forwardingDeps(), owner);
    count('forwardingAddressesIssued');
    return user;
  },
  'Mutation.revokeForwardingAddress': ({ owner }) => revokeForwardingAddress(forwardingDeps(), owner),
  'Mutation.addForwardingSender': ({ owner, args }) => addForwardingSender(forwardingDeps(), owner, args.email),
  'Mutation.confirmForwardingSender': ({ owner, args }) =>
    confirmForwardingSender(forwardingDeps(), owner, args.email, args.code),
  'Mutation.removeForwardingSender': ({ owner, args }) => removeForwardingSender(forwardingDeps(), owner, args.email),
});

/** ForwardingFn: the forwarding address fields (a Lambda data source). */
async function handleForwardingField(event: FieldCall): Promise<FieldAnswer<unknown>> {
  return answerLoggedFieldCall(logger, event, () => resolveForwardingField(event));
}

export const handler = instrument(handleForwardingField, (event) => event.requestId);
