import encodeJpeg, { init as initJpegEncoder } from '@jsquash/jpeg/encode.js';
import decodeWebp, { init as initWebpDecoder } from '@jsquash/webp/decode.js';
import { bundledFile } from './bundled-file.ts';
import { IMAGE_CONVERSION_FILES, ImageTooLarge, UndecodableImage, type ImageConverter } from './image-conversion.ts';
import { readWebpHeader } from './webp-header.ts';

/**
 * WebP → JPEG with Squoosh's codecs compiled to WebAssembly (libwebp to decode, MozJPEG to
 * encode): the same code and bytes on an x64 laptop and an arm64 Lambda, no native binary.
 * In Node the Emscripten glue cannot fetch its .wasm, so each is compiled from the file read
 * from disk (beside the bundle on Lambda) and handed to the package's `init`.
 *
 * libwebp decodes pixels as stored and ignores EXIF, so the orientation an editor left in the
 * WebP (ImageMagick, exiftool and `cwebp -metadata exif` keep it) is applied here, as sharp's
 * rotate() did before: Textract then gets the receipt upright, and the stored JPEG (which
 * carries no EXIF) shows the same way everywhere. Transparent pixels are laid on white, the
 * paper a receipt is printed on, instead of the black a JPEG encoder would make of them.
 */

/** Textract reads images up to 10000 pixels on a side (https://docs.aws.amazon.com/textract/latest/dg/limits-document.html). */
export const MAX_SIDE = 10_000;
/**
 * A conversion holds about 28 bytes per pixel at its peak (the RGBA in the decoder's memory,
 * in JS and in the encoder's, plus MozJPEG's coefficient buffers; measured 340 MB for 12 MP):
 * a 12 MP phone photo fits the 512 MB upload function. The codecs keep their memory for the
 * next conversion, so a warm function peaks no higher the second time.
 */
export const MAX_PIXELS = 12_600_000;

// Baseline, not progressive: MozJPEG's progressive scan search triples the encoding time for
// a few per cent of size, and Textract reads either. Quality 90 keeps the edges of small print sharp.
const JPEG_OPTIONS = { quality: 90, baseline: true, progressive: false };

export interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** What @jsquash/webp's decode throws when libwebp returns no picture. */
const DECODING_ERROR = 'Decoding error';

/** A compiled WebAssembly.Module (TypeScript declares WebAssembly only in the DOM libs this project does not load). */
type CompiledWasm = object;
const { compile } = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledWasm> } }).WebAssembly;
type Init = (module: CompiledWasm) => Promise<void>;
const decode = decodeWebp as unknown as (webp: Uint8Array) => Promise<Rgba>;
const encode = encodeJpeg as unknown as (image: Rgba, options: typeof JPEG_OPTIONS) => Promise<ArrayBuffer | undefined>;

const [decoderFile, encoderFile] = IMAGE_CONVERSION_FILES;
let compiled: Promise<{ decoder: CompiledWasm; encoder: CompiledWasm }> | undefined;
let instantiated: Promise<void> | undefined;

/** Compiled once per process; instantiated again after a trap, which leaves an Emscripten module unusable. */
function codecsReady(): Promise<void> {
  compiled ??= Promise.all([compile(bundledFile(decoderFile)), compile(bundledFile(encoderFile))]).then(([decoder, encoder]) => ({ decoder, encoder }));
  instantiated ??= compiled.then(({ decoder, encoder }) => Promise.all([(initWebpDecoder as unknown as Init)(decoder), (initJpegEncoder as unknown as Init)(encoder)])).then(
    () => {},
    (error: unknown) => {
      compiled = instantiated = undefined;
      throw error;
    },
  );
  return instantiated;
}

export function webpToJpegConverter(): ImageConverter {
  return {
    async toJpeg(webp) {
      const header = readWebpHeader(webp);
      if (!header) throw new UndecodableImage('its first chunk is not a WebP bitstream');
      if (header.animated) throw new UndecodableImage('it is animated; save the receipt as a still image');
      checkConvertibleSize(header.width, header.height);
      await codecsReady();
      let image: Rgba;
      try {
        image = await decode(webp);
      } catch (error) {
        // libwebp refusing the bitstream; anything else is the codec's own failure.
        if ((error as Error)?.message === DECODING_ERROR) throw new UndecodableImage('libwebp cannot decode it');
        instantiated = undefined;
        throw error;
      }
      return rgbaToJpeg(orient(image, header.orientation));
    },
  };
}

/** ImageTooLarge past what a conversion can hold (MAX_PIXELS) or Textract can read (MAX_SIDE). */
export function checkConvertibleSize(width: number, height: number): void {
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new ImageTooLarge(width, height, { maxPixels: MAX_PIXELS, maxSide: MAX_SIDE });
  }
}

/** Decoded pixels, upright, as the JPEG Textract reads: laid on white, then MozJPEG (shared by the WebP and HEIC converters). */
export async function rgbaToJpeg(image: Rgba): Promise<Uint8Array> {
  await codecsReady();
  layOnWhite(image.data);
  let jpeg: ArrayBuffer | undefined;
  try {
    jpeg = await encode(image, JPEG_OPTIONS);
  } catch (error) {
    instantiated = undefined;
    throw error;
  }
  // On failure the encoder answers libjpeg's message instead of bytes.
  if (!(jpeg instanceof ArrayBuffer)) throw new Error('The JPEG encoder failed');
  return new Uint8Array(jpeg);
}

/** Composite over white, in place (JPEG has no alpha: the encoder would drop it, showing what lies under). */
export function layOnWhite(rgba: Uint8ClampedArray): void {
  for (let i = 3; i < rgba.length; i += 4) {
    const alpha = rgba[i];
    if (alpha === 255) continue;
    const white = 255 * (255 - alpha);
    rgba[i - 3] = (rgba[i - 3] * alpha + white) / 255;
    rgba[i - 2] = (rgba[i - 2] * alpha + white) / 255;
    rgba[i - 1] = (rgba[i - 1] * alpha + white) / 255;
    rgba[i] = 255;
  }
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
