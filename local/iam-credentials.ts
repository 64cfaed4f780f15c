import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The IAM key pair the local endpoints check SigV4 against (AppSync's IAM mode, SES, Textract,
 * Lambda) when AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set: made at random for each
 * DATA_DIR at its first start and kept in `DATA_DIR/iam-credentials`, readable by its owner
 * only, so someone else on the machine cannot sign as the functions (and publish alerts to other
 * users). The file is an AWS shared credentials file: `AWS_SHARED_CREDENTIALS_FILE` pointed at
 * it lets the AWS CLI and SDKs sign with the pair.
 */
export interface IamCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const FILE_NAME = 'iam-credentials';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A pair shaped like AWS's: AKIA and 16 base32 characters, a 40-character secret. */
export function randomIamCredentials(): IamCredentials {
  const id = [...randomBytes(16)].map((byte) => BASE32[byte % 32]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

function readPair(text: string): IamCredentials | undefined {
  const value = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1];
  const accessKeyId = value('aws_access_key_id');
  const secretAccessKey = value('aws_secret_access_key');
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/** The data dir's pair, made on first use. Synchronous: configuration is read before anything starts. */
export function localIamCredentials(dataDir: string): IamCredentials {
  const file = path.join(dataDir, FILE_NAME);
  try {
    const pair = readPair(readFileSync(file, 'utf8'));
    if (pair) {
      chmodSync(file, 0o600);
      return pair;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const pair = randomIamCredentials();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    file,
    [
      '# The IAM key pair of this data directory: the local AppSync (IAM mode), SES, Textract and Lambda',
      '# endpoints accept SigV4 signatures made with it. Made by npm start; keep it private.',
      '# AWS_SHARED_CREDENTIALS_FILE=<this file> lets the AWS CLI and SDKs sign with it.',
      '[default]',
      `aws_access_key_id = ${pair.accessKeyId}`,
      `aws_secret_access_key = ${pair.secretAccessKey}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  return pair;
}
