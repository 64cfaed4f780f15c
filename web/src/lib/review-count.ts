import { gql } from '../api/client.ts';
import { receiptEvents } from './live.ts';
import { createStore } from './store.ts';

/** How many receipts wait for review (the badge in the navigation); 100 or more shows as 100. */
export const reviewCount = createStore(0);

const REVIEW_COUNT = 'query ReviewCount { listReceipts(status: NEEDS_REVIEW, limit: 100) { items { id } } }';

export async function refreshReviewCount(): Promise<void> {
  try {
    const { listReceipts } = await gql<{ listReceipts: { items: unknown[] } }>(REVIEW_COUNT);
    reviewCount.set(listReceipts.items.length);
  } catch {
    /* the badge is a hint; the review screen shows errors */
  }
}

receiptEvents.subscribe(() => void refreshReviewCount());
