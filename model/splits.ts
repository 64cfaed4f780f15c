import type { Category } from '../generated/graphql.ts';

/**
 * Splits: one expense shared across categories (`splitExpense`). The parts live on the expense
 * item (`splits`), in integer minor units of its currency, and always sum to its amount exactly.
 * Whatever sums by category counts each part in its own category (`portionsOf`); whatever counts
 * the expense as a whole (all spending, the number of expenses) counts it once.
 *
 * Index: user-category-index has one sort key per item, so an expense is found there under its own
 * `category` only. A split expense's `category` is the category of its largest part, and every other
 * category of its parts gets a small index entry in the Expenses table (`SplitIndexItem`): key
 * `<expense id>#split#<CATEGORY>`, the same `category_date` sort key shape, no `date` (so the date
 * index never sees it) and no money: a reader that finds one reads the expense itself by key and
 * counts its current part (a stale entry, of a part since moved, counts nothing). The entries are
 * derived data, written after the expense by the index step every expense pipeline already runs
 * (SearchFn), with deterministic keys and a version condition, so a retry or a late duplicate never
 * doubles or resurrects one. Valid APPSYNC_JS: the resolvers compute parts with it too.
 */

/** A split needs at least two parts, and at most this many. */
export const MIN_SPLIT_PARTS = 2;
export const MAX_SPLIT_PARTS = 20;
/** A part's `share` (a percentage, basis points, or 1 for "evenly"): 1..this. */
export const MAX_SPLIT_SHARE = 1000000;
export const MAX_SPLIT_DESCRIPTION_LENGTH = 200;

/** One part of a split expense, as stored on the item (`ExpenseItem.splits`). */
export type SplitPart = {
  /** Integer minor units of the expense's currency, > 0. */
  amount: number;
  category: Category;
  /** The owner's custom category of the part (then `category` is its parent). */
  customCategoryId?: string | null;
  description?: string | null;
  /** Indexes into the receipt's extracted line items the part was made of (split by line items). */
  lineItems?: number[] | null;
};

/** The expense fields a split is read from: enough to count it by category. */
export type Splittable = {
  amount: number;
  category: string;
  customCategoryId?: string | null;
  converted?: { amount: number } | null;
  splits?: SplitPart[] | null;
};

/** Powers of two from 2^52 down to 1: the bits of a safe integer, high to low (no bit operators: they are 32-bit). */
const POWERS_OF_TWO: number[] = Array(53)
  .fill(0)
  .map((_, i) => Math.pow(2, 52 - i));

/** `(2 × r) mod c` and its carry, for 0 <= r < c <= 2^53 − 1, without ever holding 2r (which may be inexact). */
function doubled(r: number, c: number): { carry: number; r: number } {
  return r >= c - r ? { carry: 1, r: r - (c - r) } : { carry: 0, r: r + r };
}

/** `(r + x) mod c` and its carry, for 0 <= r, x < c, without ever holding r + x. */
function added(r: number, x: number, c: number): { carry: number; r: number } {
  return r >= c - x ? { carry: 1, r: r - (c - x) } : { carry: 0, r: r + x };
}

/**
 * floor(a × b / c) and (a × b) mod c, exactly, for safe integers a, b >= 0 and c >= 1, where the
 * product itself may be far past 2^53 (a 2^53 amount times a weight): binary long multiplication
 * that keeps every intermediate below c. The quotient must itself be safe (b <= c ensures it).
 */
export function mulDivFloor(a: number, b: number, c: number): { quotient: number; remainder: number } {
  // a = aq × c + ar, by binary long division.
  let aq = 0;
  let ar = 0;
  for (const p of POWERS_OF_TWO) {
    const d = doubled(ar, c);
    const bit = Math.floor(a / p) % 2;
    const s = added(d.r, bit, c);
    aq = aq + aq + d.carry + s.carry;
    ar = s.r;
  }
  // a × b = Σ over b's bits, high to low: (q, r) ← 2(q, r) (+ (aq, ar) when the bit is set).
  let q = 0;
  let r = 0;
  for (const p of POWERS_OF_TWO) {
    const d = doubled(r, c);
    q = q + q + d.carry;
    r = d.r;
    if (Math.floor(b / p) % 2 === 1) {
      const s = added(r, ar, c);
      q = q + aq + s.carry;
      r = s.r;
    }
  }
  return { quotient: q, remainder: r };
}

/**
 * `total` (integer minor units, >= 0) in parts proportional to `weights` (safe integers >= 0, a
 * positive sum that is itself safe), by the largest remainder method: each part gets the floor of
 * its exact share, and the minor units left over (fewer than the parts) go one each to the parts
 * with the largest remainders, the earlier part first on a tie. The parts sum to `total` exactly,
 * each is within one minor unit of its exact share, and a zero weight gets 0.
 */
export function allocateByWeights(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const shares = weights.map((w) => mulDivFloor(total, w, sum));
  const floors = shares.reduce((s, x) => s + x.quotient, 0);
  const leftover = total - floors;
  // Part i's place when the remainders are ranked, largest first, the earlier part first on a tie.
  const extra = shares.map((x, i) => {
    const ahead = shares.filter((y, j) => y.remainder > x.remainder || (y.remainder === x.remainder && j < i)).length;
    return ahead < leftover ? 1 : 0;
  });
  return shares.map((x, i) => x.quotient + extra[i]);
}

/** 100 % in hundredths of a percent (basis points): how percentages are kept as whole numbers. */
export const WHOLE_BASIS_POINTS = 10000;

/** A percentage in hundredths of a percent when it has at most two decimals and is in 0.01..100, else null. */
export function basisPointsOf(percent: number): number | null {
  const scaled = Math.round(percent * 100);
  if (Math.abs(percent * 100 - scaled) > 1e-6 || scaled < 1 || scaled > WHOLE_BASIS_POINTS) return null;
  return scaled;
}

/** `total` in `count` parts as even as minor units allow (the first parts get the extra units). */
export function splitEvenly(total: number, count: number): number[] {
  return allocateByWeights(
    total,
    Array(count)
      .fill(0)
      .map(() => 1),
  );
}

/** The expense's parts; [] when it is not split. */
export function splitsOf(expense: { splits?: SplitPart[] | null }): SplitPart[] {
  return expense.splits || [];
}

/** Each part's share of a converted (home-currency) amount, in proportion to the parts: sums to it exactly. */
export function convertedPartsOf(convertedAmount: number, parts: SplitPart[]): number[] {
  return allocateByWeights(
    convertedAmount,
    parts.map((p) => p.amount),
  );
}

/**
 * The expense as what sums by category counts it: itself when not split; when split, one copy per
 * category (and custom category) of its parts, with those parts' amount and their exact share of
 * the converted amount: the copies' amounts and converted amounts sum to the expense's exactly.
 */
export function portionsOf<E extends Splittable>(expense: E): E[] {
  const parts = splitsOf(expense);
  if (parts.length === 0) return [expense];
  const converted = expense.converted;
  const convertedParts = converted ? convertedPartsOf(converted.amount, parts) : [];
  const portions: E[] = [];
  const keys: string[] = [];
  parts.forEach((part, i) => {
    const key = `${part.category}#${part.customCategoryId || ''}`;
    const at = keys.indexOf(key);
    const convertedAmount = converted ? convertedParts[i] : 0;
    if (at >= 0) {
      const portion = portions[at];
      portion.amount = portion.amount + part.amount;
      if (converted)
        portion.converted = {
          ...converted,
          amount: (portion.converted as { amount: number }).amount + convertedAmount,
        };
      return;
    }
    keys.push(key);
    portions.push({
      ...expense,
      amount: part.amount,
      category: part.category,
      customCategoryId: part.customCategoryId || null,
      converted: converted ? { ...converted, amount: convertedAmount } : converted,
      splits: null,
    });
  });
  return portions;
}

/**
 * The expense with another amount (its amount in another currency): a split's parts scaled to
 * it in proportion, by the largest remainder method, so they still sum to it exactly.
 */
export function withAmount<E extends Splittable>(expense: E, amount: number): E {
  const parts = splitsOf(expense);
  if (parts.length === 0) return { ...expense, amount };
  const amounts = allocateByWeights(
    amount,
    parts.map((p) => p.amount),
  );
  return { ...expense, amount, splits: parts.map((p, i) => ({ ...p, amount: amounts[i] })) };
}

/** The part a split expense is filed under as a whole (its `category`): the largest, the first on a tie. */
export function primaryPartOf(parts: SplitPart[]): SplitPart {
  return parts.reduce((best, p) => (p.amount > best.amount ? p : best), parts[0]);
}

/** An index entry of a split expense's part category (see above). */
export type SplitIndexItem = {
  user_id: string;
  /** `<expense id>#split#<CATEGORY>` (splitIndexKeyOf). */
  expense_id: string;
  /** categoryDateOf(part category, the expense's date). */
  category_date: string;
  /** The expense's id. */
  split_of: string;
  /** The expense's version that wrote it: an older write never replaces a newer one. */
  version: number;
};

const SPLIT_KEY_MARK = '#split#';

export function splitIndexKeyOf(expenseId: string, category: string): string {
  return `${expenseId}${SPLIT_KEY_MARK}${category}`;
}

/** Whether an Expenses item is a split index entry rather than an expense. */
export function isSplitIndexItem(item: { expense_id: string; split_of?: string | null }): boolean {
  return !!item.split_of || item.expense_id.indexOf(SPLIT_KEY_MARK) >= 0;
}

/** The categories of a split expense that need an index entry: its parts' other than its own `category`, distinct. */
export function splitIndexCategoriesOf(expense: { category: string; splits?: SplitPart[] | null }): string[] {
  const categories: string[] = [];
  splitsOf(expense).forEach((p) => {
    if (p.category !== expense.category && categories.indexOf(p.category) < 0) categories.push(p.category);
  });
  return categories;
}

/** A part as asked for (ExpenseSplitPartInput). */
export type SplitPartRequest = {
  category?: Category | null;
  customCategoryId?: string | null;
  description?: string | null;
  amount?: number | null;
  lineItems?: number[] | null;
  share?: number | null;
};

/** How the parts are given: all the same way. */
export type SplitKind = 'AMOUNT' | 'LINE_ITEMS' | 'SHARE';

/** Why a split cannot be made: the input field (`parts`, `parts.<i>.<field>`), a message, errorInfo. */
export type SplitProblem = { field: string; message: string; info?: Record<string, unknown> };

function problem(field: string, message: string, info?: Record<string, unknown>): SplitProblem {
  return { field, message, info };
}

function isWhole(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Math.floor(value) === value && value >= min && value <= max;
}

function kindOf(part: SplitPartRequest): SplitKind | null {
  const given = [
    part.amount !== undefined && part.amount !== null ? 'AMOUNT' : '',
    part.lineItems !== undefined && part.lineItems !== null ? 'LINE_ITEMS' : '',
    part.share !== undefined && part.share !== null ? 'SHARE' : '',
  ].filter((k) => k !== '');
  return given.length === 1 ? (given[0] as SplitKind) : null;
}

/**
 * What can be checked of a split before anything is read: how many parts, each given exactly one
 * way and all the same way, amounts and shares in range, line items distinct, a category each,
 * descriptions short. The kind, or the first problem; null kind for [] (the split taken away).
 */
export function checkSplitRequest(parts: SplitPartRequest[]): { kind: SplitKind | null } | SplitProblem {
  if (parts.length === 0) return { kind: null };
  if (parts.length < MIN_SPLIT_PARTS || parts.length > MAX_SPLIT_PARTS)
    return problem('parts', `A split has ${MIN_SPLIT_PARTS} to ${MAX_SPLIT_PARTS} parts`, {
      min: MIN_SPLIT_PARTS,
      max: MAX_SPLIT_PARTS,
    });
  const kind = kindOf(parts[0]);
  const seen: number[] = [];
  const problems: SplitProblem[] = [];
  parts.forEach((part, i) => {
    const at = `parts.${i}`;
    if (!kindOf(part)) problems.push(problem(at, 'Give exactly one of amount, lineItems or share'));
    else if (kindOf(part) !== kind)
      problems.push(problem(at, 'Give every part the same way (amount, lineItems or share)'));
    else if (kind === 'AMOUNT' && !isWhole(part.amount, 1, 9007199254740991))
      problems.push(problem(`${at}.amount`, 'A part amount is a whole number of minor units, at least 1', { min: 1 }));
    else if (kind === 'SHARE' && !isWhole(part.share, 1, MAX_SPLIT_SHARE))
      problems.push(
        problem(`${at}.share`, `A share is a whole number, 1..${MAX_SPLIT_SHARE}`, { min: 1, max: MAX_SPLIT_SHARE }),
      );
    else if (kind === 'LINE_ITEMS' && (part.lineItems || []).length === 0)
      problems.push(problem(`${at}.lineItems`, 'A part by line items names at least one'));
    (part.lineItems || []).forEach((index) => {
      if (!isWhole(index, 0, 999))
        problems.push(problem(`${at}.lineItems`, 'A line item index is 0 or more', { index }));
      else if (seen.indexOf(index) >= 0)
        problems.push(problem(`${at}.lineItems`, 'A line item is in one part only', { index }));
      seen.push(index);
    });
    if (!part.category && !part.customCategoryId)
      problems.push(problem(`${at}.category`, 'Each part needs a category'));
    if (part.description && part.description.length > MAX_SPLIT_DESCRIPTION_LENGTH)
      problems.push(
        problem(`${at}.description`, `At most ${MAX_SPLIT_DESCRIPTION_LENGTH} characters`, {
          max: MAX_SPLIT_DESCRIPTION_LENGTH,
        }),
      );
  });
  return problems.length > 0 ? problems[0] : { kind };
}

/**
 * The parts of an expense of `total` minor units, from a request checkSplitRequest accepted:
 * `categories[i]` is part i's category (a custom category's parent), `lineItemAmounts` the
 * receipt's line item amounts (null entries: printed without one; null: no receipt). By amounts
 * they must sum to the total; by line items or shares the total is divided in proportion
 * (allocateByWeights), and every part must come to at least one minor unit.
 */
export function splitPartsFrom(
  total: number,
  parts: SplitPartRequest[],
  categories: Category[],
  lineItemAmounts: Array<number | null | undefined> | null,
): SplitPart[] | SplitProblem {
  const kind = kindOf(parts[0]);
  let amounts: number[] = [];
  if (kind === 'AMOUNT') {
    amounts = parts.map((p) => p.amount as number);
    const sum = amounts.reduce((s, a) => s + a, 0);
    if (sum !== total)
      return problem('parts', 'The parts must sum to the expense amount exactly', { expected: total, actual: sum });
  } else {
    let weights: number[] = [];
    if (kind === 'SHARE') weights = parts.map((p) => p.share as number);
    else {
      if (!lineItemAmounts) return problem('parts', 'The expense has no receipt line items to split by');
      const missing: SplitProblem[] = [];
      weights = parts.map((p, i) =>
        (p.lineItems || []).reduce((s, index) => {
          const amount = index < lineItemAmounts.length ? lineItemAmounts[index] : undefined;
          if (!isWhole(amount, 0, 9007199254740991)) {
            missing.push(
              problem(`parts.${i}.lineItems`, 'No such line item with an amount on the receipt', {
                index,
                lineItemCount: lineItemAmounts.length,
              }),
            );
            return s;
          }
          return s + (amount as number);
        }, 0),
      );
      if (missing.length > 0) return missing[0];
      if (weights.reduce((s, w) => s + w, 0) > 9007199254740991)
        return problem('parts', 'The line items sum too large');
    }
    if (weights.reduce((s, w) => s + w, 0) <= 0) return problem('parts', 'The parts come to nothing');
    amounts = allocateByWeights(total, weights);
  }
  const empty = amounts.indexOf(0);
  if (empty >= 0) return problem(`parts.${empty}`, 'Every part must come to at least one minor unit', { amount: 0 });
  return parts.map((p, i) => {
    const part: SplitPart = { amount: amounts[i], category: categories[i] };
    if (p.customCategoryId) part.customCategoryId = p.customCategoryId;
    if (p.description && p.description.trim()) part.description = p.description.trim();
    if (kind === 'LINE_ITEMS') part.lineItems = p.lineItems;
    return part;
  });
}

/** Whether a value splitPartsFrom returned is a problem rather than parts. */
export function isSplitProblem(value: unknown): value is SplitProblem {
  return !!value && !Array.isArray(value) && typeof (value as SplitProblem).field === 'string';
}

/** What the index entries of a split expense are made from (sent to SearchFn with each change). */
export type SplitIndexView = {
  expense_id: string;
  date: string;
  category: string;
  version: number;
  splits?: SplitPart[] | null;
};

/** What decides which budgets a part counts for: the expense's tags with each part's category and custom category. */
export type PartScope = { date: string; category: string; customCategoryId?: string | null; tags?: string[] | null };

/** The scopes an expense counts in: its own when not split, else one per part (model/budgets.ts inBudgetScope). */
export function partScopesOf(expense: PartScope & { splits?: SplitPart[] | null }): PartScope[] {
  const parts = splitsOf(expense);
  if (parts.length === 0) return [expense];
  return parts.map((p) => ({
    date: expense.date,
    category: p.category,
    customCategoryId: p.customCategoryId || null,
    tags: expense.tags || null,
  }));
}
