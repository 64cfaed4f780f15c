import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What the DynamoDB data source needs of a client: `send` a command of @aws-sdk/client-dynamodb. */
export type DynamoDbSender = Pick<DynamoDBClient, 'send'>;

/** One JSON-protocol call to a DynamoDB in this process: operation name, request body → status and answer body. */
export type DynamoDbCall = (operation: string, body: string) => Promise<{ status: number; body: string }>;

/** An error as the SDK throws a DynamoDB exception: `name` from `__type`, the body's other fields kept. */
class DynamoDbServiceError extends Error {
  constructor(status: number, answer: Record<string, unknown>) {
    const type = String(answer.__type ?? 'DynamoDbException');
    super(String(answer.message ?? answer.Message ?? type));
    for (const [key, value] of Object.entries(answer))
      if (key !== '__type' && key !== 'message' && key !== 'Message') Object.defineProperty(this, key, { value });
    this.name = type.slice(type.lastIndexOf('#') + 1);
    Object.defineProperty(this, '$fault', { value: status >= 500 ? 'server' : 'client' });
  }
}

/**
 * The SDK commands of the DynamoDB data source sent to the DynamoDB stand-in of this process
 * (local/dynamodb.ts `call`): the command's input is already DynamoDB's JSON request and the
 * answer its JSON output, so this skips what only a network hop needs (the SDK's middleware,
 * HTTP, SigV4 signing and checking): about a third of a Query's cost. Binary values stay base64
 * strings, as AppSync's `ctx.result` gives them.
 */
export function inProcessDynamoDbClient(call: DynamoDbCall): DynamoDbSender {
  const send = async (command: { input: unknown; constructor: { name: string } }) => {
    const operation = command.constructor.name.replace(/Command$/, '');
    const { status, body } = await call(operation, JSON.stringify(command.input));
    const answer = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    if (status !== 200) throw new DynamoDbServiceError(status, answer);
    return answer;
  };
  return { send: send as unknown as DynamoDBClient['send'] };
}
