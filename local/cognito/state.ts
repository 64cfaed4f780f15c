import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import type { SrpVerifier } from './srp.ts';

/** A user as the pool keeps it: a scrypt hash and an SRP verifier, never the password. */
export interface StoredUser {
  /** Cognito's internal username: the sub, since email is the sign-in alias (USER_ID_FOR_SRP). */
  sub: string;
  email: string;
  attributes: Record<string, string>;
  status: 'UNCONFIRMED' | 'CONFIRMED';
  passwordHash: { salt: string; hash: string };
  srp: SrpVerifier;
  code?: { value: string; purpose: 'signUp' | 'forgotPassword'; expiresAt: number; attempts: number };
  /** Software token (TOTP) MFA: the secret being set up, the verified one, and whether sign-in asks for it. */
  totp?: { pendingSecret?: string; secret?: string; enabled: boolean };
  createdAt: string;
  updatedAt: string;
}

export interface CognitoState {
  keys: { kid: string; privateJwk: JWK; publicJwk: JWK };
  users: Record<string, StoredUser>;
  /** sha256(refresh token) -> the sign-in session it belongs to. */
  refreshTokens: Record<string, { sub: string; clientId: string; originJti: string; authTime: number }>;
  /** origin_jti of sessions ended by RevokeToken or GlobalSignOut. */
  revokedOriginJtis: string[];
}

/** JSON state under the data dir; every write is temp file + rename so a crash never leaves half a file. */
export function createStateFile(dataDir: string) {
  const file = path.join(dataDir, 'cognito', 'state.json');
  let writing: Promise<void> = Promise.resolve();
  return {
    async load(): Promise<CognitoState | undefined> {
      try {
        return JSON.parse(await readFile(file, 'utf8')) as CognitoState;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    save(state: CognitoState): Promise<void> {
      const json = JSON.stringify(state);
      writing = writing.then(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, json);
        await rename(temp, file);
      });
      return writing;
    },
  };
}
