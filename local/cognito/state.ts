import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import type { SrpVerifier } from './srp.ts';

export type CodePurpose = 'signUp' | 'forgotPassword';

/** A user as the pool keeps it: a scrypt hash and an SRP verifier, never the password. */
export interface StoredUser {
  /** Cognito's internal username: the sub, since email is the sign-in alias (USER_ID_FOR_SRP). */
  sub: string;
  email: string;
  attributes: Record<string, string>;
  status: 'UNCONFIRMED' | 'CONFIRMED';
  passwordHash: { salt: string; hash: string };
  srp: SrpVerifier;
  code?: { value: string; purpose: CodePurpose; expiresAt: number };
  /** Wrong codes per purpose since `since`; new codes do not reset them (local/cognito/codes.ts). */
  codeFailures?: Partial<Record<CodePurpose, { count: number; since: number }>>;
  /** False once AdminDisableUser disabled it: no sign-in, no refresh (absent: enabled). */
  enabled?: boolean;
  /** Software token (TOTP) MFA: the secret being set up, the verified one, and whether sign-in asks for it. */
  totp?: { pendingSecret?: string; secret?: string; enabled: boolean };
  createdAt: string;
  updatedAt: string;
}

/** The sign-in session a refresh token belongs to. */
export interface RefreshTokenRecord {
  sub: string;
  clientId: string;
  originJti: string;
  authTime: number;
}

export interface SigningKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** `cognito/state.json` as written: plain JSON, read back into the maps below. */
interface StateFile {
  keys: SigningKeys;
  users: Record<string, StoredUser>;
  /** sha256(refresh token) -> the sign-in session it belongs to. */
  refreshTokens: Record<string, RefreshTokenRecord>;
  /** origin_jti of sessions ended by RevokeToken, GlobalSignOut or a password reset. */
  revokedOriginJtis: string[];
}

/**
 * The pool's state in memory: every store keyed by request data is a Map (a user name such as
 * `__proto__` is a key like any other, never a property of Object.prototype), persisted as
 * JSON under `DATA_DIR/cognito` (owner-only: it holds the signing key, password hashes and
 * TOTP secrets). Every write is a temp file + rename, so a crash never leaves half a file.
 */
export interface PoolState {
  readonly keys: SigningKeys;
  readonly users: Map<string, StoredUser>;
  readonly refreshTokens: Map<string, RefreshTokenRecord>;
  readonly revokedOriginJtis: Set<string>;
  /** A user by sub, or by email (any case): the names a client may sign in with. */
  findUser(username: unknown): StoredUser | undefined;
  addUser(user: StoredUser): void;
  removeUser(sub: string): void;
  save(): Promise<void>;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export async function openPoolState(dataDir: string, createKeys: () => Promise<SigningKeys>): Promise<PoolState> {
  const dir = path.join(dataDir, 'cognito');
  const file = path.join(dir, 'state.json');
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  // Data dirs from before the file was owner-only are tightened at start.
  await chmod(dir, DIR_MODE);
  let stored: StateFile | undefined;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as StateFile;
    await chmod(file, FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = stored?.keys ?? (await createKeys());
  const users = new Map(Object.entries(stored?.users ?? {}));
  const refreshTokens = new Map(Object.entries(stored?.refreshTokens ?? {}));
  const revokedOriginJtis = new Set(stored?.revokedOriginJtis ?? []);
  const byEmail = new Map([...users.values()].map((user) => [user.email, user]));

  let writing: Promise<void> = Promise.resolve();
  const state: PoolState = {
    keys,
    users,
    refreshTokens,
    revokedOriginJtis,
    findUser(username) {
      if (typeof username !== 'string' || !username) return undefined;
      return users.get(username) ?? byEmail.get(username.toLowerCase());
    },
    addUser(user) {
      users.set(user.sub, user);
      byEmail.set(user.email, user);
    },
    removeUser(sub) {
      const user = users.get(sub);
      if (!user) return;
      users.delete(sub);
      if (byEmail.get(user.email) === user) byEmail.delete(user.email);
      for (const [hash, record] of refreshTokens) if (record.sub === sub) refreshTokens.delete(hash);
    },
    save() {
      const json = JSON.stringify({
        keys,
        users: Object.fromEntries(users),
        refreshTokens: Object.fromEntries(refreshTokens),
        revokedOriginJtis: [...revokedOriginJtis],
      } satisfies StateFile);
      writing = writing.then(async () => {
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, json, { mode: FILE_MODE });
        await chmod(temp, FILE_MODE);
        await rename(temp, file);
      });
      return writing;
    },
  };
  if (!stored) await state.save();
  return state;
}
