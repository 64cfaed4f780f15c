import { InvokeCommand } from '@aws-sdk/client-lambda';
import { lambdaClient } from './aws-clients.ts';

/**
 * An asynchronous (Event) invocation: Lambda queues it and retries it on failure. Name the event's
 * type (model/function-calls.ts) as `Event` so the payload is checked against what the function takes.
 */
export async function invokeAsync<Event>(functionName: string, payload: Event): Promise<void> {
  await lambdaClient().send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(payload)),
    }),
  );
}
