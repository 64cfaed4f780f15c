// Packages the functions use that ship no type declarations: only what this code calls.

declare module 'heic-decode' {
  interface DecodedImage {
    width: number;
    height: number;
    /** RGBA, 4 bytes a pixel. */
    data: Uint8ClampedArray;
  }
  interface HeifImage {
    width: number;
    height: number;
    decode(): Promise<DecodedImage>;
  }
  /** The primary image, decoded. Throws TypeError when the buffer is not HEIC/HEIF. */
  function decode(input: { buffer: Uint8Array | ArrayBuffer }): Promise<DecodedImage>;
  namespace decode {
    /** Every image, each decoded on demand; `dispose` frees libheif's memory. */
    function all(input: { buffer: Uint8Array | ArrayBuffer }): Promise<HeifImage[] & { dispose(): void }>;
  }
  export default decode;
}
