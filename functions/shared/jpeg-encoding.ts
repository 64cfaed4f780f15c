import encodeJpeg, { init as initJpegEncoder } from '@jsquash/jpeg/encode.js';
import { bundledFile } from './bundled-file.ts';
import { IMAGE_CONVERSION_FILES } from '../../model/functions.ts';
import { ImageTooLarge } from './image-conversion.ts';

/**
 * Decoded pixels → the JPEG Textract reads, for every converter (WebP, HEIC): MozJPEG from
 * Squoosh compiled to WebAssembly, the same code and bytes on an x64 laptop and an arm64
 * Lambda. Transparent pixels are laid on white, the paper a receipt is printed on, instead of
 * the black a JPEG encoder would make of them.
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

/** A compiled WebAssembly.Module (TypeScript declares WebAssembly only in the DOM libs this project does not load). */
type CompiledWasm = object;
const { compile } = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledWasm> } })
  .WebAssembly;

/**
 * One Squoosh codec: in Node its Emscripten glue cannot fetch its .wasm, so the file is read
 * from disk (beside the bundle on Lambda) and compiled once per process, then handed to the
 * package's `init`. `reset` after a trap, which leaves an Emscripten module unusable: the
 * next `ready` instantiates it again.
 */
export function wasmCodec(file: string, init: unknown) {
  let compiled: Promise<CompiledWasm> | undefined;
  let instantiated: Promise<void> | undefined;
  return {
    ready(): Promise<void> {
      compiled ??= compile(bundledFile(file));
      instantiated ??= compiled
        .then((module) => (init as (module: CompiledWasm) => Promise<void>)(module))
        .then(
          () => {},
          (error: unknown) => {
            compiled = instantiated = undefined;
            throw error;
          },
        );
      return instantiated;
    },
    reset(): void {
      instantiated = undefined;
    },
  };
}

const [, encoderFile] = IMAGE_CONVERSION_FILES;
const encoder = wasmCodec(encoderFile, initJpegEncoder);
const encode = encodeJpeg as unknown as (image: Rgba, options: typeof JPEG_OPTIONS) => Promise<ArrayBuffer | undefined>;

/** ImageTooLarge past what a conversion can hold (MAX_PIXELS) or Textract can read (MAX_SIDE). */
export function checkConvertibleSize(width: number, height: number): void {
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new ImageTooLarge(width, height, { maxPixels: MAX_PIXELS, maxSide: MAX_SIDE });
  }
}

/** Decoded pixels, upright, as a JPEG: laid on white, then MozJPEG. */
export async function rgbaToJpeg(image: Rgba): Promise<Uint8Array> {
  await encoder.ready();
  layOnWhite(image.data);
  let jpeg: ArrayBuffer | undefined;
  try {
    jpeg = await encode(image, JPEG_OPTIONS);
  } catch (error) {
    encoder.reset();
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
