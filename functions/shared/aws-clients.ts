import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { TextractClient } from '@aws-sdk/client-textract';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from './config.ts';
import { tracer } from './observability.ts';

/**
 * AWS SDK v3 clients, created once per process and reused across invocations, each captured
 * by the Tracer so every call is a subsegment of the function's X-Ray trace (a no-op where
 * tracing is off, as locally). Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables, so the same code talks to AWS or to the local stand-ins.
 */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const traced = <T extends object>(client: T): T => tracer().captureAWSv3Client(client);

export const dynamoDocumentClient = once(() =>
  DynamoDBDocumentClient.from(traced(new DynamoDBClient({ region: config.region })), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  }),
);

export const s3Client = once(() =>
  traced(
    new S3Client({
      region: config.region,
      forcePathStyle: config.s3ForcePathStyle,
      // Checksums only when asked for: presigned URLs must not demand a CRC header the client never sends.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  ),
);

export const textractClient = once(() => traced(new TextractClient({ region: config.region })));
export const comprehendClient = once(() => traced(new ComprehendClient({ region: config.region })));
export const sesClient = once(() => traced(new SESv2Client({ region: config.region })));
export const lambdaClient = once(() => traced(new LambdaClient({ region: config.region })));
export const cognitoClient = once(() => traced(new CognitoIdentityProviderClient({ region: config.region })));
