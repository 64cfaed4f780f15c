import path from 'node:path';
import { localIamCredentials } from './iam-credentials.ts';
import { logFormatOf, type LogFormat } from './log-format.ts';

/**
 * Configuration of the local stack, read from the environment in this one place.
 *
 * - `PORT` (4000) and `HOST` (127.0.0.1): where the API, real-time, console, outbox and the
 *   Cognito/SES/Lambda/Textract endpoints listen (one port, TLS and plain HTTP together).
 * - `DATA_DIR` (.data): everything that persists (DynamoDB, S3 objects, outbox, users, certificate).
 * - `AWS_ENDPOINT_URL_<SERVICE>` (the AWS SDK's own variables): the functions use the endpoint
 *   given instead of the stand-in's; for DYNAMODB and S3 the stand-in is then not started.
 * - `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`: the credentials IAM-signed requests must be
 *   signed with; when unset, the pair made for the data dir (local/iam-credentials.ts).
 * - `LOG_FORMAT` (text): `text`, one readable line per request and per function log entry, or
 *   `json`, JSON lines as Lambda and CloudWatch have them (local/log-format.ts).
 * - `SMTP_PORT` (2525; a free port when PORT is 0) and `INBOUND_EMAIL_DOMAIN`
 *   (receipts.expense-tracker.local): the SMTP listener that stands in for SES email receiving,
 *   and the domain forwarding addresses are made at.
 */
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
  /** Port of the SMTP listener (local/smtp-inbound.ts); 0 picks a free one. */
  smtpPort: number;
  /** The domain of forwarding addresses. */
  inboundEmailDomain: string;
  /** Print request logs and function logs. */
  quiet: boolean;
  logFormat: LogFormat;
}

export type LocalConfigOverrides = Partial<Omit<LocalConfig, 'credentials' | 'endpointOverrides'>> & {
  credentials?: LocalConfig['credentials'];
  endpointOverrides?: LocalConfig['endpointOverrides'];
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function readLocalConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: LocalConfigOverrides = {},
): LocalConfig {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const dataDir = path.resolve(overrides.dataDir ?? nonEmpty(env.DATA_DIR) ?? '.data');
  const port = overrides.port ?? Number(nonEmpty(env.PORT) ?? 4000);
  return {
    port,
    // A stack on a free API port (tests) takes a free SMTP port too, so stacks never collide.
    smtpPort: Number(nonEmpty(env.SMTP_PORT) ?? (port === 0 ? 0 : 2525)),
    inboundEmailDomain: (nonEmpty(env.INBOUND_EMAIL_DOMAIN) ?? 'receipts.expense-tracker.local').toLowerCase(),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    region: nonEmpty(env.AWS_REGION) ?? 'us-east-1',
    endpointOverrides: Object.fromEntries(
      Object.entries(env)
        .filter(([name, value]) => name.startsWith('AWS_ENDPOINT_URL_') && nonEmpty(value))
        .map(([name, value]) => [name.slice('AWS_ENDPOINT_URL_'.length), value!]),
    ),
    receiptsBucket: nonEmpty(env.RECEIPTS_BUCKET) ?? 'expense-tracker-receipts',
    quiet: env.QUIET === 'true',
    logFormat: logFormatOf(nonEmpty(env.LOG_FORMAT)),
    ...overrides,
    dataDir,
    credentials:
      overrides.credentials ??
      (accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : localIamCredentials(dataDir)),
  };
}
