/**
 * What a receipt file really is, read from its bytes: clients' declared content types and
 * file names are not trusted. Textract reads JPEG, PNG and PDF (and TIFF); those are accepted.
 */
export type ReceiptContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

export const RECEIPT_CONTENT_TYPES: readonly ReceiptContentType[] = ['image/jpeg', 'image/png', 'application/pdf'];

export const EXTENSION_OF: Readonly<Record<ReceiptContentType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

export type ContentProblem = 'empty' | 'unsupportedType' | 'truncated';

export type ContentCheck = { ok: true; contentType: ReceiptContentType } | { ok: false; problem: ContentProblem; detail: string };

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
    if (!containsNear(bytes, [0xff, 0xd9], 1024)) return { ok: false, problem: 'truncated', detail: 'The JPEG image is truncated' };
    return { ok: true, contentType: 'image/jpeg' };
  }
  if (startsWith(bytes, PNG_SIGNATURE)) {
    if (!containsNear(bytes, PNG_IEND, 64)) return { ok: false, problem: 'truncated', detail: 'The PNG image is truncated' };
    return { ok: true, contentType: 'image/png' };
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    // "%%EOF" closes every complete PDF (incremental updates append more, each with its own).
    if (!containsNear(bytes, [0x25, 0x25, 0x45, 0x4f, 0x46], 2048)) return { ok: false, problem: 'truncated', detail: 'The PDF is truncated' };
    return { ok: true, contentType: 'application/pdf' };
  }
  return { ok: false, problem: 'unsupportedType', detail: 'Not a JPEG, PNG or PDF file' };
}
