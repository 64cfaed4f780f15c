/**
 * Image conversion: receipts Textract cannot read as they are (WebP, HEIC) are read as JPEG. The
 * inline upload (functions/receipts) stores the JPEG; the OCR function (functions/process-receipt)
 * converts one that arrived through a presigned upload just before calling Textract.
 */
/** The formats read through a JPEG of them; shared/receipt-content.ts tells them apart by their bytes. */
export type ConvertibleImageType = 'image/webp' | 'image/heic';

export interface ImageConverter {
  /**
   * The image as a JPEG, upright (a WebP's EXIF orientation, a HEIC's HEIF transformations
   * applied) and opaque (transparency on white).
   * Rejects with UndecodableImage when the bytes are not a readable image and with ImageTooLarge
   * when it has more pixels than can be converted; any other error is the converter's.
   */
  toJpeg(image: Uint8Array, type: ConvertibleImageType): Promise<Uint8Array>;
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
    super(
      `The image is ${width} × ${height} pixels; at most ${limits.maxPixels} pixels and ${limits.maxSide} on a side can be converted`,
    );
  }
}

/**
 * The WebAssembly converters (functions/shared/webp-to-jpeg.ts and heic-to-jpeg.ts), the same
 * on Lambda and locally. Each module and its WebAssembly load on its first conversion: most
 * requests never convert.
 */
export function wasmImageConverter(): ImageConverter {
  const loaded = new Map<ConvertibleImageType, Promise<ImageConverter>>();
  const converterFor = (type: ConvertibleImageType) => {
    let loading = loaded.get(type);
    if (!loading) {
      loading = (
        type === 'image/heic'
          ? import('./heic-to-jpeg.ts').then((m) => m.heicToJpegConverter())
          : import('./webp-to-jpeg.ts').then((m) => m.webpToJpegConverter())
      ).catch((error: unknown) => {
        loaded.delete(type);
        throw error;
      });
      loaded.set(type, loading);
    }
    return loading;
  };
  return {
    async toJpeg(image, type) {
      return (await converterFor(type)).toJpeg(image, type);
    },
  };
}
