/**
 * Image conversion: receipts Textract cannot read as they are (WebP) are read as JPEG. The
 * inline upload (functions/receipts) stores the JPEG; the OCR function (functions/process-receipt)
 * converts a WebP that arrived through a presigned upload just before calling Textract.
 */
export interface ImageConverter {
  /**
   * The image as a JPEG, upright (EXIF orientation applied) and opaque (transparency on white).
   * Rejects with UndecodableImage when the bytes are not a readable image and with ImageTooLarge
   * when it has more pixels than can be converted; any other error is the converter's.
   */
  toJpeg(image: Uint8Array): Promise<Uint8Array>;
}

export class UndecodableImage extends Error {
  override name = 'UndecodableImage';
}

export class ImageTooLarge extends Error {
  override name = 'ImageTooLarge';
  constructor(
    readonly width: number,
    readonly height: number,
    readonly limits: { maxPixels: number; maxSide: number },
  ) {
    super(`The image is ${width} × ${height} pixels; at most ${limits.maxPixels} pixels and ${limits.maxSide} on a side can be converted`);
  }
}

/**
 * The WebAssembly the converter reads at run time, as package paths: infra copies them beside
 * the bundle of each function that converts (infra/function-access.ts `bundleFiles`).
 */
export const IMAGE_CONVERSION_FILES = ['@jsquash/webp/codec/dec/webp_dec.wasm', '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm'] as const;

/**
 * The WebAssembly converter (functions/shared/webp-to-jpeg.ts), the same on Lambda and locally.
 * Its module and .wasm files load on the first conversion: most requests never convert.
 */
export function wasmImageConverter(): ImageConverter {
  let loading: Promise<ImageConverter> | undefined;
  return {
    async toJpeg(image) {
      loading ??= import('./webp-to-jpeg.ts').then(
        (module) => module.webpToJpegConverter(),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return (await loading).toJpeg(image);
    },
  };
}
