import sharp from 'sharp';
import { expect } from 'vitest';

/**
 * WebP files for tests, made with sharp (libvips), which also decodes images to compare them:
 * a receipt photo, and files laid out chunk by chunk for what an encoder would not write
 * (animation, a cut bitstream, a canvas too large to convert).
 */

/** Given a photographed receipt saved as WebP: dark print on paper, at `width` × `height`. */
export async function givenWebpReceipt(width = 160, height = 240): Promise<Buffer> {
  const print = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f1ea"/>` +
      [0.15, 0.3, 0.45, 0.8]
        .map(
          (y, i) =>
            `<rect x="${width * 0.1}" y="${height * y}" width="${width * (0.8 - i * 0.12)}" height="${height * 0.05}" fill="#222"/>`,
        )
        .join('') +
      '</svg>',
  );
  return sharp(print).webp({ quality: 85 }).toBuffer();
}

/** A RIFF container around the given chunks, as a WebP file lays them out (https://developers.google.com/speed/webp/docs/riff_container). */
export function riffWebp(...chunks: Array<[string, Buffer]>): Buffer {
  const body = Buffer.concat(
    chunks.flatMap(([id, payload]) => [
      Buffer.from(id, 'latin1'),
      Buffer.from(Uint32Array.of(payload.length).buffer),
      payload,
      Buffer.alloc(payload.length & 1),
    ]),
  );
  return Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from(Uint32Array.of(body.length + 4).buffer),
    Buffer.from('WEBP'),
    body,
  ]);
}

/** A VP8X chunk: flags, then canvas width − 1 and height − 1 in 24 bits each. */
export function vp8x(flags: number, width: number, height: number): [string, Buffer] {
  const payload = Buffer.alloc(10);
  payload[0] = flags;
  payload.writeUIntLE(width - 1, 4, 3);
  payload.writeUIntLE(height - 1, 7, 3);
  return ['VP8X', payload];
}

/** The chunks of a WebP after its RIFF header. */
export function chunksOf(webp: Buffer): Array<[string, Buffer]> {
  const chunks: Array<[string, Buffer]> = [];
  for (let at = 12; at + 8 <= webp.length;) {
    const size = webp.readUInt32LE(at + 4);
    chunks.push([webp.toString('latin1', at, at + 4), webp.subarray(at + 8, at + 8 + size)]);
    at += 8 + size + (size & 1);
  }
  return chunks;
}

/** A WebP whose lossy bitstream stops after 24 bytes: a well-formed container libwebp cannot decode. */
export async function givenCutWebp(): Promise<Buffer> {
  const [, frame] = chunksOf(await givenWebpReceipt(64, 64)).find(([id]) => id === 'VP8 ')!;
  return riffWebp(['VP8 ', frame.subarray(0, 24)]);
}

/** A WebP that says it is `width` × `height` (VP8X canvas) around a bitstream never reached. */
export function givenWebpOfCanvas(width: number, height: number): Buffer {
  return riffWebp(vp8x(0, width, height), ['VP8L', Buffer.alloc(32)]);
}

/** Mean absolute difference per channel (0..255) between two images of the same size, as sharp decodes them. */
export async function meanDifference(a: Uint8Array, b: Uint8Array): Promise<number> {
  const [x, y] = await Promise.all(
    [a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true })),
  );
  expect({ width: x.info.width, height: x.info.height }).toEqual({ width: y.info.width, height: y.info.height });
  let sum = 0;
  for (let i = 0; i < x.data.length; i++) sum += Math.abs(x.data[i] - y.data[i]);
  return sum / x.data.length;
}
