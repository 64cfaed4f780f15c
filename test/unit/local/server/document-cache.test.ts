import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createDocumentCache } from '../../../../local/server/document-cache.ts';

/** The parsed-document cache holds a bounded estimate of memory, whatever the documents' sizes. */
describe('document cache', () => {
  const document = parse('{ me { id } }');

  it('given many large distinct documents, then the estimate it holds never passes its budget and the newest stay', () => {
    const cache = createDocumentCache({ maxEntries: 500, maxBytes: 10 * 1024 * 1024 });
    const query = (i: number) => `{ me { id } } # ${String(i).padStart(6, '0')}${'x'.repeat(5000)}`;
    for (let i = 0; i < 150; i++) {
      cache.set(query(i), document);
      expect(cache.bytes).toBeLessThanOrEqual(10 * 1024 * 1024);
    }
    expect(cache.size).toBeLessThan(150);
    expect(cache.get(query(149))).toBe(document);
    expect(cache.get(query(0))).toBeUndefined();
  });

  it('given a document bigger than an eighth of the budget, then it is not kept', () => {
    const cache = createDocumentCache({ maxEntries: 500, maxBytes: 8 * 1024 * 1024 });
    cache.set(`{ me { id } } #${'x'.repeat(6000)}`, document);
    expect(cache.size).toBe(0);
  });

  it('given a document read again, then it is the last to go', () => {
    const cache = createDocumentCache({ maxEntries: 2, maxBytes: 1024 * 1024 });
    cache.set('a', document);
    cache.set('b', document);
    cache.get('a');
    cache.set('c', document);
    expect(cache.get('a')).toBe(document);
    expect(cache.get('b')).toBeUndefined();
  });
});
