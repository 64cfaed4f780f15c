import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportObjects } from '../../functions/report/s3-objects.ts';
import { storedReportKey, storedReportsPrefix } from '../../functions/report/stored-reports.ts';
import { startLocalS3, S3_PATH, type LocalS3 } from '../../local/s3/stand-in.ts';
import { serveRoutes, type ServedRoutes } from '../../local/server/serve-routes.ts';

/**
 * The report function's S3 port against the S3 protocol (the local S3 stand-in): exports streamed with
 * lib-storage (a single PutObject when small, a multipart upload past 5 MB), presigned
 * downloads, and listings that continue after a key.
 */
const credentials = { accessKeyId: 'AKIATESTOBJECTS', secretAccessKey: 'test-objects' };
let dir: string;
let s3: LocalS3;
let served: ServedRoutes;
let objects: ReturnType<typeof createReportObjects>;
const commands: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'report-objects-'));
  s3 = await startLocalS3({
    dataDir: dir,
    bucket: 'receipts',
    region: 'us-east-1',
    credentials,
    onObjectCreated: () => undefined,
  });
  served = await serveRoutes([s3]);
  const client = new S3Client({
    endpoint: `${served.endpoint}${S3_PATH}`,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // Which S3 operations the port calls, to tell a multipart upload from one PutObject.
  client.middlewareStack.add((next, context) => (args) => {
    commands.push(context.commandName as string);
    return next(args);
  });
  objects = createReportObjects(client, 'receipts');
});

afterAll(async () => {
  await served?.close();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `lines` CSV-like lines of ~1 KB, produced one at a time as the upload reads them. */
function slowCsv(lines: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      this.push(i < lines ? `${i},${'x'.repeat(1000)}\r\n` : null);
      i += 1;
    },
  });
}

describe('report objects on S3', () => {
  it('given a 7 MB stream, when uploaded, then it goes up in parts and downloads whole from its presigned URL', async () => {
    commands.length = 0;
    await objects.upload('exports/u1/big.csv', slowCsv(7000), 'text/csv; charset=utf-8');
    expect(commands).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ]);
    const response = await fetch(await objects.presignGet('exports/u1/big.csv', 60));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await response.text();
    expect(text.split('\r\n')).toHaveLength(7001);
    expect(text.startsWith(`0,${'x'.repeat(1000)}\r\n1,`)).toBe(true);
  });

  it('given a small stream, when uploaded, then it is one object with the same bytes', async () => {
    commands.length = 0;
    await objects.upload(
      'exports/u1/small.csv',
      Readable.from(['date,merchant\r\n', '2026-11-20,Café\r\n']),
      'text/csv; charset=utf-8',
    );
    expect(commands).toEqual(['PutObjectCommand']);
    expect(await (await fetch(await objects.presignGet('exports/u1/small.csv', 60))).text()).toBe(
      'date,merchant\r\n2026-11-20,Café\r\n',
    );
  });

  it('given stored reports of weeks and months, when listed in pages, then keys come newest first across periods and pages', async () => {
    const periods = [
      ['WEEKLY', '2026-10-26', '2026-11-01'],
      ['MONTHLY', '2026-10-01', '2026-10-31'],
      ['WEEKLY', '2026-11-02', '2026-11-08'],
      ['MONTHLY', '2026-11-01', '2026-11-30'],
      ['WEEKLY', '2026-11-23', '2026-11-29'],
      ['WEEKLY', '2026-11-30', '2026-12-06'],
    ] as const;
    for (const [period, from, to] of periods)
      await objects.put(storedReportKey('u2', period, { from, to }), 'x', 'message/rfc822');
    const keys: string[] = [];
    let startAfter: string | null = null;
    for (;;) {
      const page = await objects.list(storedReportsPrefix('u2'), 4, startAfter);
      keys.push(...page.items.map((i) => i.key));
      if (!page.truncated) break;
      startAfter = page.items.at(-1)!.key;
    }
    expect(keys.map((k) => k.replace(/^.*\/\d{8}-/, ''))).toEqual([
      'WEEKLY-2026-11-30.eml',
      'MONTHLY-2026-11-01.eml',
      'WEEKLY-2026-11-23.eml',
      'WEEKLY-2026-11-02.eml',
      'WEEKLY-2026-10-26.eml',
      'MONTHLY-2026-10-01.eml',
    ]);
  });
});
