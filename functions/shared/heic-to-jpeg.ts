import decodeHeic from 'heic-decode';
import { UndecodableImage, type ImageConverter } from './image-conversion.ts';
import { checkConvertibleSize, rgbaToJpeg } from './jpeg-encoding.ts';

/**
 * HEIC → JPEG: libheif with its HEVC decoder (libde265) compiled to WebAssembly (libheif-js,
 * through heic-decode), then the MozJPEG encoder the WebP path uses. The .wasm is inlined in
 * libheif-js's bundle, so it travels inside each function bundle with nothing to copy.
 *
 * A HEIC photo is what an iPhone saves by default. libheif applies the file's HEIF
 * transformations (irot, imir, clap) as it decodes, which is where HEIF records how the photo
 * is turned (its EXIF orientation is informative only), so the pixels come out upright. Only
 * the primary image is read: the rest are thumbnails, bursts or depth maps.
 */
export function heicToJpegConverter(): ImageConverter {
  return {
    async toJpeg(heic) {
      let images: Awaited<ReturnType<typeof decodeHeic.all>>;
      try {
        images = await decodeHeic.all({ buffer: heic });
      } catch (error) {
        throw new UndecodableImage(`libheif cannot read it (${(error as Error).message})`);
      }
      try {
        const [primary] = images;
        checkConvertibleSize(primary.width, primary.height);
        let pixels: { width: number; height: number; data: Uint8ClampedArray };
        try {
          pixels = await primary.decode();
        } catch (error) {
          throw new UndecodableImage(`libheif cannot decode it (${(error as Error).message})`);
        }
        return await rgbaToJpeg(pixels);
      } finally {
        images.dispose();
      }
    },
  };
}
