import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { dynamoDocumentClient } from '../shared/aws-clients.ts';
import { tableName } from '../shared/config.ts';
import { functionObservability } from '../shared/observability.ts';
import { userProfileFromConfirmation } from './core.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

const { logger, count, instrument } = functionObservability('post-confirmation');

/**
 * Cognito PostConfirmation trigger: creates the user's profile row. Cognito retries a failed
 * trigger, so the write is conditional and an existing row counts as done. The event is
 * returned unchanged, as Cognito requires.
 */
async function createProfile(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> {
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  logger.appendKeys({ userPoolId: event.userPoolId, userName: event.userName });
  const item = userProfileFromConfirmation(event, new Date());
  try {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: tableName('Users'),
        Item: item,
        ConditionExpression: 'attribute_not_exists(user_id)',
      }),
    );
    count('usersCreated');
    logger.info('User profile created');
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    logger.info('User profile already exists');
  }
  return event;
}

// Cognito's trigger events carry no request id of their own: the invocation's Lambda request id is the correlation id.
export const handler = instrument(createProfile, () => undefined);
