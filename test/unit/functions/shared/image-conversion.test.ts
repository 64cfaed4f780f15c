import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageTooLarge, UndecodableImage } from '../../../../functions/shared/image-conversion.ts';
import { exifOrientation, readWebpHeader } from '../../../../functions/shared/webp-header.ts';
import { MAX_PIXELS, MAX_SIDE } from '../../../../functions/shared/jpeg-encoding.ts';
import { webpToJpegConverter } from '../../../../functions/shared/webp-to-jpeg.ts';
import {
  chunksOf,
  givenCutWebp,
  givenWebpOfCanvas,
  givenWebpReceipt,
  meanDifference,
  riffWebp,
  vp8x,
} from '../../../support/webp-files.ts';

/**
 * The WebP → JPEG converter (libwebp and MozJPEG in WebAssembly), checked against sharp
 * (libvips, native), which makes the WebPs and decodes both sides for comparison.
 */
const converter = webpToJpegConverter();

/** Pixels of an image as sharp decodes it, RGB. */
const rgbOf = async (image: Uint8Array) => sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });

/** Given a picture that looks different after every flip and turn: four coloured quadrants, the top-left one larger. */
async function givenAsymmetricRgb(width: number, height: number) {
  const colour = (x: number, y: number) =>
    x < width * 0.6
      ? y < height * 0.6
        ? [220, 30, 30]
        : [30, 200, 40]
      : y < height * 0.6
        ? [30, 60, 220]
        : [240, 220, 30];
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return sharp(data, { raw: { width, height, channels: 3 } });
}

describe('WebP → JPEG', () => {
  it('given a lossy WebP photo of a receipt, when converted, then the JPEG has its size and its pixels', async () => {
    const webp = await givenWebpReceipt(320, 480);

    const jpeg = await converter.toJpeg(webp, 'image/webp');

    expect(Buffer.from(jpeg.subarray(0, 3))).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const metadata = await sharp(jpeg).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 320, height: 480 });
    expect(metadata.orientation).toBeUndefined();
    expect(await meanDifference(jpeg, webp)).toBeLessThan(2);
  });

  it('given a lossless WebP, when converted, then the JPEG differs from it only by JPEG compression', async () => {
    const webp = await (await givenAsymmetricRgb(90, 70)).webp({ lossless: true }).toBuffer();

    const jpeg = await converter.toJpeg(webp, 'image/webp');

    expect(await sharp(jpeg).metadata()).toMatchObject({ width: 90, height: 70 });
    expect(await meanDifference(jpeg, webp)).toBeLessThan(3);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'given a WebP with EXIF orientation %i, when converted, then the JPEG is the picture as it is meant to be seen (as sharp rotate() shows it)',
    async (orientation) => {
      const webp = await (
        await givenAsymmetricRgb(60, 40)
      )
        .withMetadata({ orientation })
        .webp({ lossless: true })
        .toBuffer();
      expect(readWebpHeader(webp)?.orientation).toBe(orientation);
      const upright = await sharp(webp).rotate().png().toBuffer();

      const jpeg = await converter.toJpeg(webp, 'image/webp');

      const expectedSize = orientation >= 5 ? { width: 40, height: 60 } : { width: 60, height: 40 };
      const metadata = await sharp(jpeg).metadata();
      expect(metadata).toMatchObject(expectedSize);
      expect(metadata.orientation, 'no EXIF left to turn it again').toBeUndefined();
      expect(await meanDifference(jpeg, upright)).toBeLessThan(4);
    },
  );

  it('given a WebP with transparent paper around the print, when converted, then the paper is white and the print keeps its colour', async () => {
    const size = 40;
    const rgba = Buffer.alloc(size * size * 4);
    for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) rgba.set([20, 20, 20, 255], (y * size + x) * 4);
    const webp = await sharp(rgba, { raw: { width: size, height: size, channels: 4 } })
      .webp({ lossless: true })
      .toBuffer();

    const { data } = await rgbOf(await converter.toJpeg(webp, 'image/webp'));

    const at = (x: number, y: number) => [...data.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)];
    for (const [x, y] of [
      [2, 2],
      [37, 37],
      [2, 37],
    ])
      for (const channel of at(x, y)) expect(channel).toBeGreaterThan(245);
    for (const channel of at(20, 20)) expect(channel).toBeLessThan(35);
  });

  it('given an animated WebP, when converted, then UndecodableImage says to save a still image', async () => {
    const [, frame] = chunksOf(await givenWebpReceipt(16, 16)).find(([id]) => id === 'VP8 ')!;
    const anmf = Buffer.concat([
      Buffer.alloc(6),
      Buffer.from([15, 0, 0, 15, 0, 0, 100, 0, 0, 0]),
      Buffer.from('VP8 '),
      Buffer.from(Uint32Array.of(frame.length).buffer),
      frame,
      Buffer.alloc(frame.length & 1),
    ]);
    const animated = riffWebp(vp8x(0x02, 16, 16), ['ANIM', Buffer.alloc(6)], ['ANMF', anmf]);

    await expect(converter.toJpeg(animated, 'image/webp')).rejects.toThrow(
      new UndecodableImage('it is animated; save the receipt as a still image'),
    );
  });

  it('given a WebP whose bitstream is cut short, when converted, then UndecodableImage from libwebp', async () => {
    await expect(converter.toJpeg(await givenCutWebp(), 'image/webp')).rejects.toThrow(
      new UndecodableImage('libwebp cannot decode it'),
    );
  });

  it.each([
    ['more pixels than the limit', MAX_PIXELS / 2000 + 1, 2000],
    ['a side longer than Textract reads', MAX_SIDE + 1, 100],
  ])(
    'given a WebP with %s, when converted, then ImageTooLarge before anything is decoded',
    async (_name, width, height) => {
      const error = await converter
        .toJpeg(givenWebpOfCanvas(Math.ceil(width), height), 'image/webp')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ImageTooLarge);
      expect(error).toMatchObject({
        width: Math.ceil(width),
        height,
        limits: { maxPixels: MAX_PIXELS, maxSide: MAX_SIDE },
      });
    },
  );

  it('given many conversions in a row, when each is converted, then every one comes out right (the codecs are reused)', async () => {
    const webps = await Promise.all([40, 80, 120].map((side) => givenWebpReceipt(side, side * 2)));
    const jpegs = await Promise.all(webps.map((webp) => converter.toJpeg(webp, 'image/webp')));
    for (const [i, jpeg] of jpegs.entries()) expect(await meanDifference(jpeg, webps[i])).toBeLessThan(3);
  });
});

describe('the WebP header', () => {
  it.each([
    [
      'lossy (VP8)',
      () =>
        sharp({ create: { width: 123, height: 45, channels: 3, background: '#888' } })
          .webp()
          .toBuffer(),
    ],
    [
      'lossless (VP8L)',
      () =>
        sharp({ create: { width: 123, height: 45, channels: 4, background: '#8888' } })
          .webp({ lossless: true })
          .toBuffer(),
    ],
    [
      'extended (VP8X, with EXIF)',
      () =>
        sharp({ create: { width: 123, height: 45, channels: 3, background: '#888' } })
          .withMetadata({ orientation: 3 })
          .webp()
          .toBuffer(),
    ],
  ])('given a %s WebP, when its header is read, then its size in pixels', async (_name, make) => {
    expect(readWebpHeader(await make())).toMatchObject({ width: 123, height: 45, animated: false });
  });

  it('given EXIF in either byte order, with or without the "Exif" prefix, when read, then the orientation tag', () => {
    const bigEndian = Buffer.from([
      0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const littleEndian = Buffer.from([
      0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(exifOrientation(bigEndian)).toBe(6);
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), littleEndian]))).toBe(8);
    expect(exifOrientation(Buffer.from('not exif'))).toBe(1);
  });
});
