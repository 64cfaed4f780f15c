import { ImageTooLarge, UndecodableImage, type ConvertibleImageType, type ImageConverter } from './image-conversion.ts';

/**
 * What a receipt file really is, read from its bytes: clients' declared content types and
 * file names are not trusted. Textract reads JPEG, PNG and PDF (and TIFF); those are taken as
 * they are, and WebP and HEIC are read through a conversion to JPEG.
 */
export type ReceiptContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

export const RECEIPT_CONTENT_TYPES: readonly ReceiptContentType[] = ['image/jpeg', 'image/png', 'application/pdf'];

/** Formats taken by converting them to JPEG first (Textract reads neither WebP nor HEIC). */
export type ConvertibleContentType = ConvertibleImageType;

/** What a stored receipt may be: a presigned upload keeps a WebP or HEIC as sent (the OCR function converts it). */
export type StoredContentType = ReceiptContentType | ConvertibleContentType;

export const STORED_CONTENT_TYPES: readonly StoredContentType[] = [
  ...RECEIPT_CONTENT_TYPES,
  'image/webp',
  'image/heic',
];

export const EXTENSION_OF: Readonly<Record<StoredContentType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
  'image/webp': 'webp',
  'image/heic': 'heic',
};

export type ContentProblem = 'empty' | 'unsupportedType' | 'truncated' | 'undecodable';

export type ContentCheck =
  { ok: true; contentType: ReceiptContentType } | { ok: false; problem: ContentProblem; detail: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function containsNear(bytes: Uint8Array, needle: readonly number[], lastBytes: number): boolean {
  const from = Math.max(0, bytes.length - lastBytes - needle.length);
  for (let i = bytes.length - needle.length; i >= from; i--) {
    if (startsWith(bytes, needle, i)) return true;
  }
  return false;
}

/** Identify JPEG/PNG/PDF by magic bytes and check the file is complete (end marker present). */
export function checkReceiptContent(bytes: Uint8Array): ContentCheck {
  if (bytes.length === 0) return { ok: false, problem: 'empty', detail: 'The file is empty' };

  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    // A JPEG ends with the EOI marker; cameras may pad after it, so look near the end.
    if (!containsNear(bytes, [0xff, 0xd9], 1024))
      return { ok: false, problem: 'truncated', detail: 'The JPEG image is truncated' };
    return { ok: true, contentType: 'image/jpeg' };
  }
  if (startsWith(bytes, PNG_SIGNATURE)) {
    if (!containsNear(bytes, PNG_IEND, 64))
      return { ok: false, problem: 'truncated', detail: 'The PNG image is truncated' };
    return { ok: true, contentType: 'image/png' };
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    // "%%EOF" closes every complete PDF (incremental updates append more, each with its own).
    if (!containsNear(bytes, [0x25, 0x25, 0x45, 0x4f, 0x46], 2048))
      return { ok: false, problem: 'truncated', detail: 'The PDF is truncated' };
    return { ok: true, contentType: 'application/pdf' };
  }
  return { ok: false, problem: 'unsupportedType', detail: 'Not a JPEG, PNG or PDF file' };
}

export type UploadContent =
  | ContentCheck
  | { ok: 'convert'; from: ConvertibleContentType }
  | { ok: false; problem: ContentProblem; detail: string; detectedType: string };

const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];
const FTYP = [0x66, 0x74, 0x79, 0x70];
/** ISO-BMFF major brands of HEIC/HEIF stills and sequences (what iPhones save). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/**
 * What an upload is, by its bytes: a receipt as it is (checkReceiptContent), a WebP or HEIC to
 * convert to JPEG, or refused. Every HEIF brand is taken as HEIC (what iPhones save); one
 * libheif cannot decode (an AVIF, say) is refused when it is converted.
 */
export function identifyUpload(bytes: Uint8Array): UploadContent {
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) {
    // RIFF's size field counts the bytes after the first 8.
    const declared = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0;
    if (bytes.length < declared + 8)
      return { ok: false, problem: 'truncated', detail: 'The WebP image is truncated', detectedType: 'image/webp' };
    return { ok: 'convert', from: 'image/webp' };
  }
  if (startsWith(bytes, FTYP, 4) && HEIF_BRANDS.has(String.fromCharCode(...bytes.subarray(8, 12)))) {
    return { ok: 'convert', from: 'image/heic' };
  }
  return checkReceiptContent(bytes);
}

/** A conversion's outcome, for the API's error (inline) or the receipt's FAILED reason (presigned). */
export type Conversion =
  | { ok: true; jpeg: Uint8Array }
  | { ok: false; errorType: 'ValidationError' | 'LimitExceeded'; message: string; info: Record<string, unknown> };

/**
 * A convertible upload as the JPEG Textract reads, or why it cannot be: the same answer for an
 * inline upload and for a presigned one read by the OCR function.
 */
export async function convertForTextract(
  images: ImageConverter,
  file: Uint8Array,
  from: ConvertibleContentType,
  maxBytes: number,
): Promise<Conversion> {
  let jpeg: Uint8Array;
  try {
    jpeg = await images.toJpeg(file, from);
  } catch (error) {
    if (error instanceof UndecodableImage) {
      return {
        ok: false,
        errorType: 'ValidationError',
        message: `The ${from} image cannot be decoded: ${error.message}`,
        info: { reason: 'undecodable', detectedType: from },
      };
    }
    if (error instanceof ImageTooLarge) {
      return {
        ok: false,
        errorType: 'LimitExceeded',
        message: error.message,
        info: {
          limit: error.limits.maxPixels,
          maxSide: error.limits.maxSide,
          width: error.width,
          height: error.height,
        },
      };
    }
    throw error;
  }
  if (jpeg.length > maxBytes) {
    return {
      ok: false,
      errorType: 'LimitExceeded',
      message: `As a JPEG the image is ${jpeg.length} bytes; the limit is ${maxBytes} bytes`,
      info: { limit: maxBytes, size: jpeg.length },
    };
  }
  return { ok: true, jpeg };
}
