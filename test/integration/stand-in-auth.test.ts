import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from '../../local/wiring.ts';

/**
 * Every stand-in refuses what AWS refuses a stranger: S3 and DynamoDB answer only requests
 * SigV4-signed with the stack's credentials (a presigned URL within its expiry counts, as on
 * S3), on the API's own port (no other port to reach them by), and S3's links outlive a
 * restart on the same PORT.
 */
let dataDir: string;
let stack: LocalStack;

const start = (port = 0) =>
  startLocalStack({
    port,
    dataDir,
    quiet: true,
    // A free SMTP port at each start: a restart on a fixed PORT would otherwise take 2525, which another test may hold.
    env: { SMTP_PORT: '0' },
    createResolvers,
    createCognito,
    extraRoutes: createExtraRoutes,
  });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'stand-in-auth-'));
  stack = await start();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const s3With = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new S3Client({
    endpoint: stack.urls.s3,
    region: stack.config.region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

const errorCode = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];

async function rawS3(method: string, key: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.urls.s3}/${stack.config.receiptsBucket}/${key}`, { method, body, headers });
  return { status: response.status, code: errorCode(await response.text()) };
}

describe('S3 stand-in, unsigned or wrongly signed', () => {
  it('given an object another user owns, when a stranger lists, reads, overwrites or deletes it without a signature, then 403 AccessDenied each time and the object is unchanged', async () => {
    const owner = s3With(stack.config.credentials);
    const key = 'receipts/alice/01SECRET.jpg';
    await owner.send(new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key, Body: 'alice receipt' }));

    expect(await rawS3('GET', '')).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await rawS3('GET', '?list-type=2')).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await rawS3('GET', key)).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await rawS3('PUT', key, 'mallory')).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await rawS3('DELETE', key)).toEqual({ status: 403, code: 'AccessDenied' });

    const kept = await owner.send(new GetObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key }));
    expect(await kept.Body!.transformToString()).toBe('alice receipt');
  });

  it('given made-up credentials, or the right key id with a wrong secret, then InvalidAccessKeyId / SignatureDoesNotMatch (403)', async () => {
    const list = new ListObjectsV2Command({ Bucket: stack.config.receiptsBucket });
    await expect(s3With({ accessKeyId: 'AKIAMADEUP', secretAccessKey: 'x' }).send(list)).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      s3With({ accessKeyId: stack.config.credentials.accessKeyId, secretAccessKey: 'wrong' }).send(list),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  });

  it('given a malformed multipart POST (the request that crashed s3rver through dicer), then a typed refusal and the stand-in keeps answering', async () => {
    const malformed = await rawS3('POST', '', '--x\r\nContent-Disposition: form-data; name="key"\r\n\r\n--x--\r\n--', {
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect(malformed).toEqual({ status: 403, code: 'AccessDenied' });
    const owner = s3With(stack.config.credentials);
    const listed = await owner.send(new ListObjectsV2Command({ Bucket: stack.config.receiptsBucket }));
    expect(listed.$metadata.httpStatusCode).toBe(200);
  });

  it('given a key that is a property of every JavaScript object, then it is an ordinary object key', async () => {
    const owner = s3With(stack.config.credentials);
    for (const key of ['__proto__', 'constructor', 'receipts/__proto__/toString']) {
      expect(await rawS3('GET', key)).toEqual({ status: 403, code: 'AccessDenied' });
      await expect(
        owner.send(new GetObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key })),
      ).rejects.toMatchObject({ name: 'NoSuchKey' });
      await owner.send(new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key, Body: key }));
      const read = await owner.send(new GetObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key }));
      expect(await read.Body!.transformToString()).toBe(key);
    }
  });
});

describe('DynamoDB stand-in', () => {
  const scan = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new DynamoDBClient({ endpoint: stack.urls.dynamodb, region: stack.config.region, credentials }).send(
      new ScanCommand({ TableName: 'Users' }),
    );

  it('given a Scan signed with made-up credentials, or a wrong secret, then refused as DynamoDB refuses it; with the stack credentials it runs', async () => {
    await expect(scan({ accessKeyId: 'AKIAMADEUP', secretAccessKey: 'x' })).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    await expect(
      scan({ accessKeyId: stack.config.credentials.accessKeyId, secretAccessKey: 'wrong' }),
    ).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect((await scan(stack.config.credentials)).$metadata.httpStatusCode).toBe(200);
  });

  it('given an unsigned request, then MissingAuthenticationTokenException', async () => {
    const response = await fetch(stack.urls.dynamodb, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Scan' },
      body: JSON.stringify({ TableName: 'Users' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: expect.stringMatching(/MissingAuthenticationToken/) });
  });

  it('given the stack, then DynamoDB and S3 answer on the API port only (no port of their own to reach them by)', () => {
    const api = new URL(stack.urls.graphql).origin;
    expect(new URL(stack.urls.dynamodb).origin).toBe(api);
    expect(new URL(stack.urls.s3).origin).toBe(api);
  });
});

/** A POST that declares `declared` bytes (or streams without a length) and sends only `sent`: resolves with the answer's status. */
function partialPost(url: string, headers: Record<string, string>, declared: number | null, sent: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { ...headers, ...(declared === null ? {} : { 'content-length': String(declared) }) },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let written = 0; written < sent; written += chunk.length) req.write(chunk);
    // The request is left open: a server that waits for the whole body never answers.
  });
}

describe('request bodies past the limit, answered before they are read whole', () => {
  const api = () => new URL(stack.urls.graphql).origin;

  it('given a GraphQL body streamed past 6 MB that never ends, then 413 LimitExceeded', async () => {
    const answer = await partialPost(`${api()}/graphql`, { 'content-type': 'application/json' }, null, 8 * 1024 ** 2);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).errors[0].errorType).toBe('LimitExceeded');
  });

  it('given a Lambda Invoke declaring 400 MB, then 413 RequestTooLargeException at once', async () => {
    const answer = await partialPost(
      `${api()}/2015-03-31/functions/BudgetFn/invocations`,
      { 'content-type': 'application/json' },
      400 * 1024 ** 2,
      1024 ** 2,
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).message).toMatch(/Request must be smaller than 6291456 bytes/);
  });

  it('given a Textract or SES request streamed past its limit, then 413 with their error type', async () => {
    const textract = await partialPost(
      api(),
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Textract.AnalyzeExpense' },
      null,
      16 * 1024 ** 2,
    );
    expect([textract.status, JSON.parse(textract.body).__type]).toEqual([413, 'DocumentTooLargeException']);
    const ses = await partialPost(
      `${api()}/v2/email/outbound-emails`,
      { 'content-type': 'application/json' },
      400 * 1024 ** 2,
      1024 ** 2,
    );
    expect(ses.status).toBe(413);
  });

  it('given a DynamoDB request past 16 MB, then 413 before any of it is parsed', async () => {
    const answer = await partialPost(
      api(),
      { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Scan' },
      null,
      18 * 1024 ** 2,
    );
    expect(answer.status).toBe(413);
  });

  it('given an S3 PUT declaring more than 5 GiB, then EntityTooLarge without reading it', async () => {
    const url = await getSignedUrl(
      s3With(stack.config.credentials),
      new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: 'exports/huge.csv' }),
      { expiresIn: 60 },
    );
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'PUT', headers: { 'content-length': String(6 * 1024 ** 3) } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect([answer.status, errorCode(answer.body)]).toEqual([400, 'EntityTooLarge']);
  });
});

describe('S3 links after a restart', () => {
  it('given a presigned link made before a restart on the same PORT, then it still downloads the object', async () => {
    const key = 'exports/alice/2026.csv';
    await s3With(stack.config.credentials).send(
      new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key, Body: 'date,amount\n' }),
    );
    const link = await getSignedUrl(
      s3With(stack.config.credentials),
      new GetObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key }),
      { expiresIn: 600 },
    );
    const port = stack.config.port;
    await stack.stop();
    stack = await start(port);
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('date,amount\n');
  });
});
