import type { Readable } from 'node:stream';
import type { TableDefinition } from '../../model/tables.ts';

/**
 * What the account function needs of AWS, as ports: the user's items table by table, the
 * user's objects prefix by prefix, the sign-in account, and email. The adapters
 * (dynamo-adapters.ts, s3-adapters.ts, cognito-adapters.ts) are the only code that knows
 * the SDK; every read is a Query on the user's own partitions (model/tables.ts
 * ownerPartitions) or a listing under the user's own prefixes, never a Scan.
 */
export type Item = Record<string, any>;

export interface UserItems {
  /** Every item of the owner's in a table, a page at a time: one Query per page on each owner partition. */
  pages(table: TableDefinition, owner: string): AsyncIterable<Item[]>;
  /** Deletes these items by key (BatchWriteItem, 25 a call, unprocessed ones retried); how many were sent. */
  deleteItems(table: TableDefinition, items: Item[]): Promise<number>;
}

export interface ObjectVersion {
  key: string;
  /** Absent where the store keeps no versions (then the key's one object). */
  versionId?: string;
}

export interface UserObjects {
  /** Current objects under a prefix, a page at a time. */
  objects(prefix: string): AsyncIterable<Array<{ key: string; size: number }>>;
  /** Every version and delete marker under a prefix, a page at a time (the current objects where the store is unversioned). */
  versions(prefix: string): AsyncIterable<ObjectVersion[]>;
  /** Deletes these versions (1,000 a call); how many. */
  deleteVersions(versions: ObjectVersion[]): Promise<number>;
  /** The bytes of an object, streamed; null when it is gone. */
  read(key: string): Promise<Readable | null>;
  /** Streams `body` into an object (multipart past one part; a failed upload leaves no parts behind); its size. */
  upload(key: string, body: Readable, contentType: string): Promise<void>;
  size(key: string): Promise<number | null>;
  presignGet(key: string, seconds: number): Promise<string>;
}

export interface SignInAccounts {
  /** True when the password is the account's (a second factor may still be asked: the password itself was right). */
  passwordMatches(email: string, password: string): Promise<boolean>;
  /** No more sign-ins, refreshes or sessions for the user (AdminDisableUser ends them). False when there is no such user. */
  disable(userId: string): Promise<boolean>;
  /** Deletes the sign-in account; false when it was already gone. */
  delete(userId: string): Promise<boolean>;
}

export type { Mailer } from '../shared/mailer.ts';

export interface AccountLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}
