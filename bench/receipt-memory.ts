/**
 * `npm run bench:receipt-memory`: the peak memory of ReceiptFn's deployed bundle (synthesized
 * as `cdk deploy` builds it) when an inline upload of a 12 MP phone photo is converted to JPEG:
 * a WebP and a HEIC of 4032 × 3024 (an iPhone's 12 MP), each in a fresh process as a cold
 * Lambda runs it, next to the same process receiving a small JPEG (no conversion), side by side
 * in one run. Peak = the process's maxRSS, what Lambda reports as Max Memory Used. The codecs
 * are WebAssembly, so their memory is the same on the arm64 Lambda as on this x64 machine; the
 * JS heap around them differs by a few MB at most.
 *
 * The images are made here (no data is read): a drawn receipt on a textured background, as a
 * phone photographs it. HEIC needs an HEVC encoder, heif-enc (apt-get install libheif-examples);
 * without it the HEIC row says so.
 */
import '../local/sdk-warnings.ts';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { functionByName } from '../model/functions.ts';
import { createApp } from '../infra/app.ts';
import { givenSignedInUser } from '../test/e2e/steps.ts';
import { drawReceiptJpeg } from '../test/support/drawn-receipts.ts';
import { startBundleProcess, type BundleProcess } from '../test/support/lambda-bundle-process.ts';
import { givenReceiptStack } from '../test/support/receipt-stack.ts';
import { receiptApi } from '../test/support/webp-receipts.ts';

const WIDTH = 4032;
const HEIGHT = 3024;
const work = mkdtempSync(path.join(tmpdir(), 'bench-receipt-memory-'));

console.log('synthesizing the stack to build ReceiptFn as deployed…');
const { app, stack } = await createApp({
  outdir: path.join(work, 'cdk.out'),
  context: { senderEmail: 'bench@example.org' },
});
const assembly = app.synth();
const template = JSON.parse(readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
const receiptFn = stack.processing.functions.get('ReceiptFn')!.fn;
const logicalId = stack.getLogicalId(receiptFn.node.defaultChild as never);
const assetDir = path.join(
  assembly.directory,
  `asset.${path.basename(template.Resources[logicalId].Properties.Code.S3Key, '.zip')}`,
);
const configuredMb = functionByName('ReceiptFn').memoryMb;

async function photo(): Promise<Buffer> {
  const texture = await sharp({
    create: {
      width: WIDTH,
      height: HEIGHT,
      channels: 3,
      background: '#968c80',
      noise: { type: 'gaussian', mean: 150, sigma: 22 },
    },
  })
    .blur(1.2)
    .png()
    .toBuffer();
  const receipt = await sharp(
    await drawReceiptJpeg(
      {
        lines: [
          'CORNER BAKERY',
          '12 HIGH STREET',
          'DATE 24/11/2026',
          'CAFE CREME      3.80',
          'CROISSANT       2.40',
          'TOTAL           6.20',
        ],
      },
      { scale: 4 },
    ),
  )
    .resize({ width: WIDTH - 800, height: HEIGHT - 400, fit: 'inside' })
    .toBuffer();
  return sharp(texture)
    .composite([{ input: receipt, gravity: 'center' }])
    .png()
    .toBuffer();
}

function heifEnc(png: Buffer): Buffer | string {
  const input = path.join(work, 'photo.png');
  const output = path.join(work, 'photo.heic');
  writeFileSync(input, png);
  try {
    execFileSync('heif-enc', ['-q', '50', '-o', output, input], { stdio: 'ignore' });
    return readFileSync(output);
  } catch {
    return 'heif-enc not found (apt-get install libheif-examples)';
  }
}

const png = await photo();
const files: Array<{ name: string; bytes: Buffer | string; fileName: string }> = [
  {
    name: 'JPEG, 640 px (no conversion)',
    bytes: await drawReceiptJpeg({ lines: ['KIOSK', 'TOTAL 1.00'] }, { scale: 1 }),
    fileName: 'small.jpg',
  },
  {
    name: `WebP ${WIDTH} × ${HEIGHT}`,
    bytes: await sharp(png).webp({ quality: 80 }).toBuffer(),
    fileName: 'photo.webp',
  },
  { name: `HEIC ${WIDTH} × ${HEIGHT}`, bytes: heifEnc(png), fileName: 'photo.heic' },
];

// One process per upload: a cold execution environment, as the first upload after a deploy meets it.
let current: BundleProcess | undefined;
const receipts = await givenReceiptStack('memory', undefined, {
  handlerOf: (fn) =>
    fn.name === 'ReceiptFn' ? Promise.resolve((event, context) => current!.handler(event, context)) : undefined,
});
const rows: string[] = [];
try {
  for (const [i, file] of files.entries()) {
    if (typeof file.bytes === 'string') {
      rows.push(`${file.name.padEnd(30)} ${'-'.padStart(9)}   ${file.bytes}`);
      continue;
    }
    const dir = path.join(work, `bundle-${i}`);
    mkdirSync(dir);
    for (const entry of readdirSync(assetDir)) copyFileSync(path.join(assetDir, entry), path.join(dir, entry));
    current = await startBundleProcess(dir);
    const loaded = current.peakRssMib();
    const api = receiptApi(receipts, await givenSignedInUser(receipts.stack, `memory-${i}@example.com`));
    const started = performance.now();
    const receipt = await api.whenUploadedInline(file.bytes, file.fileName);
    const seconds = (performance.now() - started) / 1000;
    const peak = current.peakRssMib();
    rows.push(
      `${file.name.padEnd(30)} ${(file.bytes.length / 1e6).toFixed(2).padStart(6)} MB   loaded ${loaded.toFixed(0).padStart(4)} MiB, peak ${peak
        .toFixed(0)
        .padStart(
          4,
        )} MiB (${((peak / configuredMb) * 100).toFixed(0)} % of ${configuredMb} MB), ${seconds.toFixed(1)} s → ${receipt.contentType}`,
    );
    await current.stop();
  }
} finally {
  await current?.stop();
  await receipts.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(`\nReceiptFn bundle, inline upload, one cold process per file (ReceiptFn memory ${configuredMb} MB):`);
for (const row of rows) console.log(`  ${row}`);
