import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Av = Record<string, AttributeValue>;

/**
 * `nextToken` is opaque to clients, and AppSync's is an encrypted blob. Here it is the
 * LastEvaluatedKey sealed with AES-256-GCM under a key of this process, its additional data
 * the table, index and key condition it came from: it cannot be read, altered or replayed
 * against another query, so another caller's token (whose key condition names that caller)
 * is as invalid as garbage. AppSync answers such a token with this error type and message
 * (as reported in https://github.com/aws-amplify/amplify-cli/issues/3411).
 */
export const INVALID_NEXT_TOKEN_ERROR = {
  type: 'DynamoDB:UserIllegalArgumentException',
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};

export class InvalidNextTokenError extends Error {}

export interface PageTokens {
  seal(key: Av | undefined, boundTo: string): string | null;
  open(token: unknown, boundTo: string): Av | undefined;
}

export function pageTokens(secret: Buffer = randomBytes(32)): PageTokens {
  return {
    seal(key, boundTo) {
      if (!key) return null;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      cipher.setAAD(Buffer.from(boundTo));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(key), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open(token, boundTo) {
      if (token === undefined || token === null) return undefined;
      try {
        const raw = Buffer.from(String(token), 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(boundTo));
        decipher.setAuthTag(raw.subarray(12, 28));
        const key = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
        if (key && typeof key === 'object' && !Array.isArray(key)) return key as Av;
      } catch {
        // falls through to the error below
      }
      throw new InvalidNextTokenError(INVALID_NEXT_TOKEN_ERROR.message);
    },
  };
}
