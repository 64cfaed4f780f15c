import path from 'node:path';

/**
 * Configuration of the local stack, read from the environment in this one place.
 *
 * - `PORT` (4000) and `HOST` (127.0.0.1): where the API, real-time, console, outbox and the
 *   Cognito/SES/Lambda/Textract endpoints listen (one port, TLS and plain HTTP together).
 * - `DATA_DIR` (.data): everything that persists (DynamoDB, S3 objects, outbox, users, certificate).
 * - `AWS_ENDPOINT_URL_<SERVICE>` (the AWS SDK's own variables): the functions use the endpoint
 *   given instead of the stand-in's; for DYNAMODB and S3 the stand-in is then not started.
 * - `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`: the credentials IAM-signed requests must be
 *   signed with; when unset, the documented local pair below.
 */
export const LOCAL_ACCESS_KEY_ID = 'AKIALOCALSTACK000000';
export const LOCAL_SECRET_ACCESS_KEY = 'local-secret-access-key-for-the-expense-tracker';

export interface LocalConfig {
  port: number;
  host: string;
  dataDir: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * Endpoints that replace a stand-in: every `AWS_ENDPOINT_URL_<SERVICE>` given, keyed by the
   * variable's service part (`DYNAMODB`, `S3`, `SESV2`, `TEXTRACT`, …).
   */
  endpointOverrides: Record<string, string>;
  receiptsBucket: string;
  /** Print request logs and function logs. */
  quiet: boolean;
}

export type LocalConfigOverrides = Partial<Omit<LocalConfig, 'credentials' | 'endpointOverrides'>> & {
  credentials?: LocalConfig['credentials'];
  endpointOverrides?: LocalConfig['endpointOverrides'];
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function readLocalConfig(env: NodeJS.ProcessEnv = process.env, overrides: LocalConfigOverrides = {}): LocalConfig {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  return {
    port: Number(nonEmpty(env.PORT) ?? 4000),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    dataDir: path.resolve(nonEmpty(env.DATA_DIR) ?? '.data'),
    region: nonEmpty(env.AWS_REGION) ?? 'us-east-1',
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey }
        : { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    endpointOverrides: Object.fromEntries(
      Object.entries(env)
        .filter(([name, value]) => name.startsWith('AWS_ENDPOINT_URL_') && nonEmpty(value))
        .map(([name, value]) => [name.slice('AWS_ENDPOINT_URL_'.length), value!]),
    ),
    receiptsBucket: nonEmpty(env.RECEIPTS_BUCKET) ?? 'expense-tracker-receipts',
    quiet: env.QUIET === 'true',
    ...overrides,
    ...(overrides.dataDir ? { dataDir: path.resolve(overrides.dataDir) } : {}),
  };
}
