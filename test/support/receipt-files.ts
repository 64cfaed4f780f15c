/**
 * Receipt files of a chosen size for limit tests: a real JPEG grown to exactly `size` bytes
 * with comment (COM) segments after its start marker, so it stays a valid, decodable JPEG
 * (as a camera's large metadata would make it) without minutes of pixel encoding.
 */
const SOI_LENGTH = 2;
const MAX_SEGMENT_DATA = 65533;

export function jpegOfSize(jpeg: Buffer, size: number): Buffer {
  let missing = size - jpeg.length;
  if (missing < 0 || (missing > 0 && missing < 4))
    throw new Error(`cannot grow a ${jpeg.length}-byte JPEG to ${size} bytes`);
  const segments: Buffer[] = [];
  while (missing > 0) {
    // A segment is FF FE, a 2-byte length that counts itself, then the data; keep >= 4 bytes for the last one.
    let data = Math.min(MAX_SEGMENT_DATA, missing - 4);
    if (missing - (data + 4) > 0 && missing - (data + 4) < 4) data -= 4;
    const segment = Buffer.alloc(data + 4, 0x20);
    segment.writeUInt16BE(0xfffe, 0);
    segment.writeUInt16BE(data + 2, 2);
    segments.push(segment);
    missing -= segment.length;
  }
  return Buffer.concat([jpeg.subarray(0, SOI_LENGTH), ...segments, jpeg.subarray(SOI_LENGTH)]);
}
