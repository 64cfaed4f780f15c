import type { ExpenseItem } from '../../model/expenses.ts';
import { MAX_SEARCH_TERMS, paddedAmount } from '../../model/search.ts';
import { FieldError } from '../shared/field-call.ts';
import { indexedPrefixesOf, searchTermsOf } from '../shared/search/terms.ts';
import { decodePageToken, encodePageToken, pageTag } from './page-tokens.ts';

/**
 * One index entry as search compares them: `entry` is the expense's position (`<date>#<expense_id>`,
 * model/search.ts entryOf) in a term's entries, or its `<amount>#<date>#<expense_id>` in the amount partition.
 */
export type SearchHit = { entry: string; expense_id: string; amount: number };

/** What search reads, behind ports so the core runs on anything that answers these (dynamo.ts on DynamoDB). */
export interface SearchPorts {
  /** One Query page of the owner's entries of a term prefix, newest first: positions strictly below `below`. */
  termPage(owner: string, term: string, below: string, limit: number): Promise<{ items: SearchHit[]; more: boolean }>;
  /** One Query page of the owner's amount partition, in amount order: entries strictly above `above`, up to `upTo`. */
  amountPage(owner: string, above: string, upTo: string, limit: number): Promise<{ items: SearchHit[]; more: boolean }>;
  /** The owner's expenses by id (BatchGetItem under the owner's key); missing ones are left out. */
  expenses(owner: string, ids: string[]): Promise<ExpenseItem[]>;
}

export type SearchRequest = {
  text?: string | null;
  minAmount?: number | null;
  maxAmount?: number | null;
  limit?: number | null;
  nextToken?: string | null;
};

export type SearchPage = { items: ExpenseItem[]; nextToken: string | null };

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** Query pages one search may read before it answers a shorter page with a nextToken (bounds its latency). */
const MAX_QUERIES = 60;
/** Items each term stream reads per Query. */
const STREAM_PAGE = 100;
// Above every entry: '~' sorts after the digits entries start with.
const TOP = '~';

/**
 * A page token: where the next page starts (`b`), and a tag of the caller and the search (`s`), so
 * a token only continues the search of whoever got it: another user's token, or one of another
 * search, reads exactly like a malformed one.
 */
type Cursor = { b: string; s: string };

function checkAmountBound(field: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new FieldError('ValidationError', `${field} must be a whole number of minor units, 0 or more`, {
      field,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    });
}

/**
 * One term's matches, newest first, read page by page as the intersection moves down: a seek
 * below a far bound starts a new Query there instead of paging through what lies between.
 */
class TermStream {
  private items: SearchHit[] = [];
  private at = 0;
  /** No entry below the bound of the last Query beyond those read (bounds only move down). */
  private exhausted = false;

  constructor(
    private readonly owner: string,
    private readonly term: string,
    private readonly ports: SearchPorts,
    private readonly budget: { queries: number },
  ) {}

  /** The newest entry strictly below `below`, or null when there is none; undefined when the budget ran out. */
  async seek(below: string): Promise<SearchHit | null | undefined> {
    while (this.at < this.items.length && this.items[this.at].entry >= below) this.at++;
    if (this.at < this.items.length) return this.items[this.at];
    if (this.exhausted) return null;
    if (this.budget.queries <= 0) return undefined;
    this.budget.queries--;
    const page = await this.ports.termPage(this.owner, this.term, below, STREAM_PAGE);
    this.items = page.items;
    this.at = 0;
    this.exhausted = !page.more;
    return this.items[0] ?? null;
  }
}

/**
 * searchExpenses: the caller's expenses whose merchant, note, line items or tags have a word
 * starting with every term (an intersection of the terms' partitions, newest first, each step a
 * Query on the caller's own partition), within an amount range; or, without text, by amount
 * from the owner's amount partition. The page's expenses are read back by id, so an index entry
 * of a deleted expense is never answered.
 */
export async function searchExpenses(owner: string, request: SearchRequest, ports: SearchPorts): Promise<SearchPage> {
  const { terms, tooShort } = searchTermsOf(request.text);
  if (tooShort.length > 0)
    throw new FieldError('ValidationError', 'Search words need 2 characters or more (one in CJK, Thai…)', {
      field: 'text',
      words: tooShort,
    });
  if (terms.length > MAX_SEARCH_TERMS)
    throw new FieldError('ValidationError', `At most ${MAX_SEARCH_TERMS} words per search`, {
      field: 'text',
      max: MAX_SEARCH_TERMS,
    });
  checkAmountBound('minAmount', request.minAmount);
  checkAmountBound('maxAmount', request.maxAmount);
  const min = request.minAmount ?? 0;
  const max = request.maxAmount ?? Number.MAX_SAFE_INTEGER;
  if (min > max)
    throw new FieldError('ValidationError', 'minAmount must not be above maxAmount', { field: 'minAmount' });
  const hasAmount = request.minAmount != null || request.maxAmount != null;
  if (terms.length === 0 && !hasAmount)
    throw new FieldError('ValidationError', 'Give search words, an amount range, or both', { field: 'text' });
  const limit = request.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new FieldError('ValidationError', `limit must be 1..${MAX_LIMIT}`, {
      field: 'limit',
      min: 1,
      max: MAX_LIMIT,
    });
  const tag = pageTag(['searchExpenses', owner, terms, min, max]);
  const cursor = request.nextToken
    ? decodePageToken<Cursor>(
        request.nextToken,
        tag,
        (c) => typeof c.b === 'string' && c.b.length < 200,
        'nextToken is not one this search returned',
      )
    : null;

  const found =
    terms.length === 0
      ? await byAmount(owner, min, max, limit, cursor?.b ?? null, ports)
      : await byTerms(owner, terms, min, max, limit, cursor?.b ?? TOP, ports);
  const expenses = new Map(
    (await ports.expenses(owner, found.ids)).map((expense) => [expense.expense_id, expense] as const),
  );
  // Read back, each expense is checked against the search itself: an entry that outlived its
  // expense's change (a crash between the two writes) never answers for words it no longer has.
  const stillMatches = (expense: ExpenseItem) => {
    if (expense.amount < min || expense.amount > max) return false;
    const prefixes = indexedPrefixesOf(expense);
    return terms.every((term) => prefixes.has(term));
  };
  return {
    items: found.ids.flatMap((id) => {
      const expense = expenses.get(id);
      return expense && stillMatches(expense) ? [expense] : [];
    }),
    nextToken: found.next === null ? null : encodePageToken({ b: found.next, s: tag }),
  };
}

type Found = { ids: string[]; next: string | null };

async function byTerms(
  owner: string,
  terms: string[],
  min: number,
  max: number,
  limit: number,
  start: string,
  ports: SearchPorts,
): Promise<Found> {
  const budget = { queries: MAX_QUERIES };
  const streams = terms.map((term) => new TermStream(owner, term, ports, budget));
  const ids: string[] = [];
  let below = start;
  while (ids.length < limit) {
    const tops: SearchHit[] = [];
    for (const stream of streams) {
      const top = await stream.seek(below);
      if (top === null) return { ids, next: null };
      // Out of budget: answer what was found, and resume here.
      if (top === undefined) return { ids, next: below };
      tops.push(top);
    }
    // Leapfrog: every stream moves to the oldest of their tops; when all agree, that expense matches every term.
    const oldest = tops.reduce((a, b) => (b.entry < a.entry ? b : a));
    if (tops.every((top) => top.entry === oldest.entry)) {
      if (oldest.amount >= min && oldest.amount <= max) ids.push(oldest.expense_id);
      below = oldest.entry;
    } else {
      below = `${oldest.entry}\u0000`;
    }
  }
  return { ids, next: below };
}

async function byAmount(
  owner: string,
  min: number,
  max: number,
  limit: number,
  after: string | null,
  ports: SearchPorts,
): Promise<Found> {
  // `<amount>#…` entries: from above `<min>` (which sorts before every `<min>#…`) to past every `<max>#…`.
  const page = await ports.amountPage(owner, after ?? paddedAmount(min), `${paddedAmount(max)}#${TOP}`, limit);
  const ids = page.items.map((item) => item.expense_id);
  const last = page.items.at(-1);
  return { ids, next: page.more && last ? last.entry : null };
}
