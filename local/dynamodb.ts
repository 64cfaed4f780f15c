import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ClassicLevel } from 'classic-level';
import dynalite from 'dynalite';
import { TABLES } from '../model/tables.ts';
import { reconcileTables, type TableChanges, type UpgradeStrategy } from './dynamodb-upgrade.ts';
import { BodyTooLarge, discardRest, readBoundedBody } from './server/request-body.ts';
import {
  isRefusal,
  receivedRequest,
  sha256Hex,
  signatureForm,
  verifyHeaderSignature,
  type Credentials,
  type SigV4Refusal,
} from './server/sigv4.ts';

/**
 * The DynamoDB stand-in: dynalite (the DynamoDB wire protocol over LevelDB) persisted under
 * `DATA_DIR/dynamodb`, served on the API's port (requests are told apart by their
 * `X-Amz-Target: DynamoDB_20120810.*`). As DynamoDB does, every request must be SigV4-signed
 * (service `dynamodb`) with the local credentials before dynalite sees it, and its body is
 * bounded (16 MB, DynamoDB's request limit). dynalite itself listens on no TCP port: it runs
 * in this process, its server bound only to a socket in a private directory so that it can
 * close its database. Tables appear ACTIVE at once (`createTableMs: 0`) so the stack is ready
 * in a moment. LevelDB appends to its log on every write, so a kill -9 loses nothing that
 * was acknowledged.
 */
export interface LocalDynamoDb {
  matches(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * One DynamoDB JSON-protocol call from inside this process (the AppSync runtime's data
   * sources): the same request body and answer as over HTTP, through the same dynalite
   * validation and actions, without the TCP hop and the SigV4 signature, which guard what comes
   * from outside the process. `operation` is the `X-Amz-Target` suffix (`Query`, `PutItem`…).
   */
  call(operation: string, body: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  dataDir: string;
  region: string;
  credentials: Credentials;
}

/** DynamoDB's largest request (a BatchWriteItem of 25 items of 400 KB fits well inside). */
export const MAX_DYNAMODB_REQUEST_BYTES = 16 * 1024 * 1024;
const TARGET_PREFIX = 'DynamoDB_20120810.';
// dynalite only checks that a signature is present (this module verifies it for HTTP callers): in-process calls name themselves.
const IN_PROCESS_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=in-process/19700101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=in-process';
const IN_PROCESS_DATE = '19700101T000000Z';

/** A refusal in DynamoDB's JSON error shape (its auth errors are 400s). */
function sendDynamoDbError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': type,
  });
  res.end(JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message }));
}

const REFUSAL_TYPES: Record<SigV4Refusal['code'], string> = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidAccessKeyId: 'UnrecognizedClientException',
  InvalidScope: 'InvalidSignatureException',
  RequestTimeTooSkewed: 'InvalidSignatureException',
  RequestExpired: 'InvalidSignatureException',
  AuthorizationQueryParametersError: 'IncompleteSignatureException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
};

/** Whether the body is a JSON object (or empty, which dynalite answers itself). */
function isJsonObject(body: Buffer): boolean {
  if (!body.length) return true;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    // Not JSON at all: dynalite answers SerializationException itself.
    return true;
  }
}

export async function startLocalDynamoDb(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
  const dbPath = path.join(options.dataDir, 'dynamodb');
  await assertNotOpenElsewhere(dbPath, options.dataDir);
  const server = dynalite({ path: dbPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  const dynaliteHandler = server.listeners('request')[0] as (req: unknown, res: ServerResponse) => void;
  // Only the owner may reach this directory; nothing connects to the socket but shutdown needs it bound.
  const socketDir = await mkdtemp(path.join(tmpdir(), 'dynalite-'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path.join(socketDir, 'socket'), () => resolve());
  });
  const scope = { credentials: options.credentials, region: options.region, service: 'dynamodb' };

  return {
    matches: (req) => req.method === 'POST' && String(req.headers['x-amz-target'] ?? '').startsWith(TARGET_PREFIX),

    async handle(req, res) {
      let body: Buffer;
      try {
        body = await readBoundedBody(req, MAX_DYNAMODB_REQUEST_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        discardRest(req, res);
        return sendDynamoDbError(res, 413, 'RequestEntityTooLarge', 'Request size exceeded 16777216 bytes');
      }
      const received = receivedRequest(req);
      const outcome =
        signatureForm(received) === 'header'
          ? await verifyHeaderSignature(received, scope, sha256Hex(body))
          : { code: 'MissingAuthenticationToken' as const, message: 'Request is missing Authentication Token' };
      if (isRefusal(outcome)) return sendDynamoDbError(res, 400, REFUSAL_TYPES[outcome.code], outcome.message);
      // dynalite reads the request as an object and throws (out of band, taking the process down) on any other JSON.
      if (!isJsonObject(body))
        return sendDynamoDbError(
          res,
          400,
          'SerializationException',
          'Start of structure or map found where not expected.',
        );
      // dynalite reads the request as a stream: hand it the verified bytes.
      const verified = Object.assign(Readable.from([body]), {
        method: req.method,
        url: req.url,
        headers: req.headers,
      });
      dynaliteHandler(verified, res);
    },

    call(operation, body) {
      return new Promise((resolve, reject) => {
        // What dynalite reads of a request (it emits nothing on it) and writes to its response.
        const req = Object.assign(new EventEmitter(), {
          method: 'POST',
          url: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `${TARGET_PREFIX}${operation}`,
            'x-amz-date': IN_PROCESS_DATE,
            authorization: IN_PROCESS_AUTHORIZATION,
          },
        });
        const res = {
          statusCode: 200,
          contentType: '',
          setHeader() {},
          end(answer?: string) {
            resolve({ status: res.statusCode, body: answer ?? '' });
          },
        };
        try {
          dynaliteHandler(req, res as unknown as ServerResponse);
          req.emit('data', Buffer.from(body, 'utf8'));
          req.emit('end');
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },

    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * LevelDB lets one process at a time open a database, and dynalite opens it in the background,
 * so a second `npm start` on the same DATA_DIR would fail only at its first request, with a
 * stack trace. Opening it here first (and closing it again) turns that into a clear refusal.
 */
async function assertNotOpenElsewhere(dbPath: string, dataDir: string): Promise<void> {
  const probe = new ClassicLevel(dbPath);
  try {
    await probe.open();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new Error(
        `the data directory ${path.resolve(dataDir)} is in use by another npm start: stop that one, or give this one its own DATA_DIR`,
      );
    }
    throw error;
  }
  await probe.close();
}

/**
 * Creates the tables of model/tables.ts that do not exist yet (keys and GSIs as infra defines
 * them; every key attribute a string) and brings the ones that exist up to the model (see
 * local/dynamodb-upgrade.ts: missing indexes added, backfilled with the items already there; a
 * table whose key changed stops the start, untouched). Restarting on up-to-date data changes
 * nothing. `strategy` is `rewrite` for the built-in stand-in (dynalite cannot add an index to a
 * table) and `update-table` for any other DynamoDB; the changes made are returned.
 */
export async function createLocalDynamoDbTables(
  endpoint: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  options: { strategy?: UpgradeStrategy; location?: string } = {},
): Promise<TableChanges> {
  const client = new DynamoDBClient({ endpoint, region, credentials });
  try {
    const existing = new Set<string>();
    let start: string | undefined;
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      for (const name of page.TableNames ?? []) existing.add(name);
      start = page.LastEvaluatedTableName;
    } while (start);
    return await reconcileTables(client, TABLES, {
      strategy: options.strategy ?? 'rewrite',
      location: options.location ?? endpoint,
      existing,
    });
  } finally {
    client.destroy();
  }
}
