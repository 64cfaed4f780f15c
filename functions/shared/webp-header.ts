/**
 * What a WebP says about itself before it is decoded: its size in pixels (to refuse an image
 * too large to convert before allocating for it), whether it is animated, and the EXIF
 * orientation the camera or editor left in it. RIFF container layout:
 * https://developers.google.com/speed/webp/docs/riff_container
 */
export interface WebpHeader {
  width: number;
  height: number;
  animated: boolean;
  /** EXIF orientation 1..8 (1 = as stored); 1 when there is no EXIF chunk or no orientation tag. */
  orientation: number;
}

const fourCc = (bytes: Uint8Array, at: number) =>
  String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
const u16le = (bytes: Uint8Array, at: number) => bytes[at] | (bytes[at + 1] << 8);
const u24le = (bytes: Uint8Array, at: number) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
const u32le = (bytes: Uint8Array, at: number) => (u24le(bytes, at) | (bytes[at + 3] << 24)) >>> 0;

/** The chunks after the 12-byte RIFF/WEBP header: FourCC, little-endian size, payload padded to even. */
function* chunksOf(bytes: Uint8Array): Generator<{ id: string; start: number; size: number }> {
  for (let at = 12; at + 8 <= bytes.length;) {
    const size = u32le(bytes, at + 4);
    const start = at + 8;
    if (start + size > bytes.length) return;
    yield { id: fourCc(bytes, at), start, size };
    at = start + size + (size & 1);
  }
}

/** The header of a WebP (RIFF `WEBP`), or null when its first chunk is not one a decoder reads. */
export function readWebpHeader(bytes: Uint8Array): WebpHeader | null {
  if (bytes.length < 30 || fourCc(bytes, 0) !== 'RIFF' || fourCc(bytes, 8) !== 'WEBP') return null;
  let header: WebpHeader | null = null;
  for (const chunk of chunksOf(bytes)) {
    const p = chunk.start;
    if (!header) {
      // The first chunk is the simple format's bitstream (VP8 lossy, VP8L lossless) or the extended format's VP8X.
      if (chunk.id === 'VP8X' && chunk.size >= 10) {
        const flags = bytes[p];
        header = {
          width: u24le(bytes, p + 4) + 1,
          height: u24le(bytes, p + 7) + 1,
          animated: (flags & 0x02) !== 0,
          orientation: 1,
        };
        if ((flags & 0x08) === 0) return header;
        continue;
      }
      if (
        chunk.id === 'VP8 ' &&
        chunk.size >= 10 &&
        bytes[p + 3] === 0x9d &&
        bytes[p + 4] === 0x01 &&
        bytes[p + 5] === 0x2a
      ) {
        return {
          width: u16le(bytes, p + 6) & 0x3fff,
          height: u16le(bytes, p + 8) & 0x3fff,
          animated: false,
          orientation: 1,
        };
      }
      if (chunk.id === 'VP8L' && chunk.size >= 5 && bytes[p] === 0x2f) {
        const bits = u32le(bytes, p + 1);
        return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, animated: false, orientation: 1 };
      }
      return null;
    }
    if (chunk.id === 'EXIF') {
      header.orientation = exifOrientation(bytes.subarray(p, p + chunk.size));
      break;
    }
  }
  return header;
}

/**
 * Tag 0x0112 of IFD0 in an EXIF block (a TIFF structure; some writers put JPEG's
 * "Exif\0\0" before it). 1 when absent or out of range.
 */
export function exifOrientation(exif: Uint8Array): number {
  const tiff =
    exif.length >= 6 && fourCc(exif, 0) === 'Exif' && exif[4] === 0 && exif[5] === 0 ? exif.subarray(6) : exif;
  if (tiff.length < 8) return 1;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return 1;
  const u16 = (at: number) => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
  const u32 = (at: number) => (little ? u16(at) | (u16(at + 2) << 16) : (u16(at) << 16) | u16(at + 2)) >>> 0;
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    // Orientation is one SHORT, stored in the entry's value field.
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}
