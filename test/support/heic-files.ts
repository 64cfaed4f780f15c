import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import decodeHeic from 'heic-decode';
import sharp from 'sharp';

/**
 * HEIC files for tests. sharp's prebuilt libvips has no HEVC codec, so the photo is a
 * committed fixture (test/fixtures/heic/make-fixtures.ts made it with heif-enc), and its
 * pixels, to compare a conversion with, are read by libheif itself as a PNG.
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/heic');

/** Given a receipt photographed on an iPhone: HEVC in a HEIF container (brand heic), 640 × 608. */
export function givenHeicReceipt(): Buffer {
  return readFileSync(path.join(FIXTURES, 'receipt.heic'));
}

/** The photo's pixels as libheif decodes them, as a PNG (for meanDifference). */
export async function pngOfHeic(heic: Buffer): Promise<Buffer> {
  const { width, height, data } = await decodeHeic({ buffer: heic });
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

/** A file that opens like an iPhone photo (an ftyp box of brand heic) but holds no image. */
export function givenHeicWithoutImage(): Buffer {
  return Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypheic'),
    Buffer.alloc(4),
    Buffer.from('mif1heic'),
    Buffer.alloc(2048, 7),
  ]);
}
