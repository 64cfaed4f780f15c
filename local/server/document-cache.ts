import type { DocumentNode } from 'graphql';

/**
 * Parsed and validated documents by their text: clients send the same few operations over
 * and over, so each is parsed and validated once. Bounded by count and by an estimate of the
 * memory the documents hold (their syntax trees, with locations, take up to ~170 times their
 * text), least recently used first out; a document too big for an eighth of the budget is
 * never kept.
 */
const TREE_BYTES_PER_CHARACTER = 200;

export interface DocumentCache {
  get(query: string): DocumentNode | undefined;
  set(query: string, document: DocumentNode): void;
  /** The estimated bytes held now. */
  readonly bytes: number;
  readonly size: number;
}

export function createDocumentCache(limits: { maxEntries: number; maxBytes: number }): DocumentCache {
  const documents = new Map<string, DocumentNode>();
  let bytes = 0;
  const estimate = (query: string) => query.length * TREE_BYTES_PER_CHARACTER;
  return {
    get(query) {
      const document = documents.get(query);
      if (document) {
        // Most recently used last.
        documents.delete(query);
        documents.set(query, document);
      }
      return document;
    },
    set(query, document) {
      const size = estimate(query);
      if (size > limits.maxBytes / 8 || documents.has(query)) return;
      while (documents.size && (documents.size >= limits.maxEntries || bytes + size > limits.maxBytes)) {
        const oldest = documents.keys().next().value!;
        documents.delete(oldest);
        bytes -= estimate(oldest);
      }
      documents.set(query, document);
      bytes += size;
    },
    get bytes() {
      return bytes;
    },
    get size() {
      return documents.size;
    },
  };
}
