import decodeWebp, { init as initWebpDecoder } from '@jsquash/webp/decode.js';
import { IMAGE_CONVERSION_FILES } from '../../model/functions.ts';
import { UndecodableImage, type ImageConverter } from './image-conversion.ts';
import { checkConvertibleSize, rgbaToJpeg, wasmCodec, type Rgba } from './jpeg-encoding.ts';
import { readWebpHeader } from './webp-header.ts';

/**
 * WebP → JPEG with Squoosh's libwebp compiled to WebAssembly, then the shared MozJPEG encoder
 * (functions/shared/jpeg-encoding.ts): no native binary, the same on a laptop and on Lambda.
 *
 * libwebp decodes pixels as stored and ignores EXIF, so the orientation an editor left in the
 * WebP (ImageMagick, exiftool and `cwebp -metadata exif` keep it) is applied here, as sharp's
 * rotate() did before: Textract then gets the receipt upright, and the stored JPEG (which
 * carries no EXIF) shows the same way everywhere.
 */

/** What @jsquash/webp's decode throws when libwebp returns no picture. */
const DECODING_ERROR = 'Decoding error';

const [decoderFile] = IMAGE_CONVERSION_FILES;
const decoder = wasmCodec(decoderFile, initWebpDecoder);
const decode = decodeWebp as unknown as (webp: Uint8Array) => Promise<Rgba>;

export function webpToJpegConverter(): ImageConverter {
  return {
    async toJpeg(webp) {
      const header = readWebpHeader(webp);
      if (!header) throw new UndecodableImage('its first chunk is not a WebP bitstream');
      if (header.animated) throw new UndecodableImage('it is animated; save the receipt as a still image');
      checkConvertibleSize(header.width, header.height);
      await decoder.ready();
      let image: Rgba;
      try {
        image = await decode(webp);
      } catch (error) {
        // libwebp refusing the bitstream; anything else is the codec's own failure.
        if ((error as Error)?.message === DECODING_ERROR) throw new UndecodableImage('libwebp cannot decode it');
        decoder.reset();
        throw error;
      }
      return rgbaToJpeg(orient(image, header.orientation));
    },
  };
}

/**
 * The image as it is meant to be seen, for EXIF orientation 1..8 (TIFF 6.0 tag 274: where the
 * stored rows and columns belong). Orientations 5..8 swap width and height.
 */
export function orient(image: Rgba, orientation: number): Rgba {
  if (orientation < 2 || orientation > 8) return image;
  const { width: w, height: h } = image;
  const source = new Uint32Array(image.data.buffer, image.data.byteOffset, w * h);
  const swapped = orientation >= 5;
  const width = swapped ? h : w;
  const height = swapped ? w : h;
  const data = new Uint8ClampedArray(w * h * 4);
  const target = new Uint32Array(data.buffer);
  // Stored pixel (sx, sy) for the displayed pixel (x, y).
  const from: (x: number, y: number) => number = {
    2: (x: number, y: number) => y * w + (w - 1 - x),
    3: (x: number, y: number) => (h - 1 - y) * w + (w - 1 - x),
    4: (x: number, y: number) => (h - 1 - y) * w + x,
    5: (x: number, y: number) => x * w + y,
    6: (x: number, y: number) => (h - 1 - x) * w + y,
    7: (x: number, y: number) => (h - 1 - x) * w + (w - 1 - y),
    8: (x: number, y: number) => x * w + (w - 1 - y),
  }[orientation]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) target[y * width + x] = source[from(x, y)];
  }
  return { data, width, height };
}
