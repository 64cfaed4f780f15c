import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABELS_DIR, dayFirst, pythonJson, softmaticTruth, splitOf, type Label } from '../../../bench/extra-sets.ts';
import { scoreOne } from '../../../bench/receipt-sets.ts';

describe('bench:extra-sets', () => {
  it('writes a SROIE key date day first only where it is compact or month first', () => {
    expect(dayFirst('20180304')).toBe('04/03/2018');
    expect(dayFirst('25032018')).toBe('25/03/2018');
    expect(dayFirst('12/28/2017')).toBe('28/12/2017');
    expect(dayFirst('05-01-2018')).toBe('05-01-2018');
    expect(dayFirst('19 OCT 2018')).toBe('19 OCT 2018');
    expect(dayFirst(undefined)).toBeUndefined();
  });

  it('writes JSON as Python json.dump does, so the first Python-built sets are reproduced byte for byte', () => {
    expect(pythonJson({ company: 'CAFÉ "A"', date: null, split: ['001', '004'], n: 2 })).toBe(
      '{"company": "CAF\\u00c9 \\"A\\"", "date": null, "split": ["001", "004"], "n": 2}',
    );
  });

  it("reads a softmatic file name's brand, date and total in cents", () => {
    expect(softmaticTruth('lidl_02032020_02_00716_B')).toEqual({
      brand: 'lidl',
      date: '2020-03-02',
      total: '7.16',
      currency: 'EUR',
    });
    expect(softmaticTruth('tanke_23042020_01_00099')).toMatchObject({ brand: null, total: '0.99' });
  });

  it('tunes on the even positions of the sorted stems and holds out the odd ones', () => {
    expect(splitOf(['c', 'a', 'd', 'b'])).toEqual({ tuned: ['a', 'c'], 'held-out': ['b', 'd'] });
  });

  const sets = readdirSync(LABELS_DIR);
  it.each(sets)('labels of %s name their image and read back as the scorer reads them', (set) => {
    const dir = path.join(LABELS_DIR, set);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(new RegExp(`^# ${set}: `));
    const labels = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(labels.length).toBeGreaterThan(0);
    for (const file of labels) {
      const label = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Label;
      expect(Object.keys(label).sort(), file).toEqual(['company', 'currency', 'date', 'source', 'total']);
      expect(label.source, file).toMatchObject({
        repo: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/),
        commit: expect.stringMatching(/^[0-9a-f]{40}$/),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(Object.keys(label.source).sort(), file).toEqual(['commit', 'path', 'repo', 'sha256']);
      expect(label.currency, file).toMatch(/^[A-Z]{3}$/);
      const [d, m, y] = label.date?.split('/') ?? [];
      // The label, given back as a prediction, scores right: the scorer reads its date and total.
      const score = scoreOne(
        { merchant: label.company, date: label.date && `${y}-${m}-${d}`, total: label.total, currency: label.currency },
        label,
      );
      expect(label.date === null || /^\d{2}\/\d{2}\/\d{4}$/.test(label.date), file).toBe(true);
      expect(score.date ?? true, file).toBe(true);
      expect(score.total, file).toBe(label.total !== null);
    }
  });
});
