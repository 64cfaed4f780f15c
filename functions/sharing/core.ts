import { createHash } from 'node:crypto';
import type {
  QueryListSharedExpensesArgs,
  SettleShareBalanceInput,
  ShareBalance,
  ShareEventInput,
  ShareExpenseInput,
  SharedExpense,
  SharedExpenseConnection,
  ShareSettlement,
} from '../../generated/graphql.ts';
import { isCurrencyCode } from '../../model/currencies.ts';
import type { ExpenseItem } from '../../model/expenses.ts';
import {
  LEDGER_PREFIX,
  ledgerKeyOf,
  ledgerPrefixOf,
  MAX_SHARE_PARTICIPANTS,
  MAX_SHARES_PER_DAY,
  pendingPartitionOf,
  SHARE_PREFIX,
  settleLockOf,
  shareKeyOf,
  WITHDRAWN_DAYS_KEPT,
  withdrawnKeyOf,
  withdrawnNoticeKeyOf,
  type WithdrawnShareItem,
  type LedgerEntryItem,
  type SharedExpenseItem,
  type SharePart,
  type SharingItem,
} from '../../model/sharing.ts';
import { isMinorUnits } from '../../model/money.ts';
import { derivedUlid } from '../shared/derived-ids.ts';
import { FieldError } from '../shared/field-call.ts';
import { addMinor, formatMoney, sumMinor } from '../shared/money.ts';
import { balancesOf, splitShares } from './split.ts';

/** What the sharing fields need of the world: the tables, the push and the mailer. */
export interface SharingPorts {
  /** The caller's expense (Expenses table), or null. */
  expenseOf(owner: string, expenseId: string): Promise<ExpenseItem | null>;
  /** The user id of the account with this (lower-case) email (Users email-index), or null. */
  userIdByEmail(email: string): Promise<string | null>;
  /** The email of a user (their Users item), or null when they have no profile. */
  emailOf(owner: string): Promise<string | null>;
  items: {
    get(partition: string, key: string): Promise<SharingItem | null>;
    /** Put an item that is not there yet: false (nothing written) when its key is taken. */
    putNew(item: SharingItem): Promise<boolean>;
    /** Replace an item that is there: false (nothing written) when it is not (deleted, or moved by a claim). */
    replace(item: SharingItem): Promise<boolean>;
    /** One Query page of a partition's items under a prefix, by key, from after `after`. */
    page(
      partition: string,
      prefix: string,
      options: { limit: number; after?: string; newestFirst?: boolean },
    ): Promise<{ items: SharingItem[]; lastKey: string | null }>;
    /** Every item of a partition under a prefix, page by page. */
    all(partition: string, prefix: string): AsyncIterable<SharingItem[]>;
    delete(partition: string, key: string): Promise<void>;
    /**
     * Take the right to tell an item's owner about it: true when the item is there, was not told,
     * and no other call took the right since `staleBefore`; false otherwise (told, being told, or
     * gone: moved by a claim).
     */
    leaseNotice(partition: string, key: string, at: string, staleBefore: string): Promise<boolean>;
    /** Give back a notice's lease taken at `at` (its sending failed), so a retry sends it at once. */
    releaseNotice(partition: string, key: string, at: string): Promise<void>;
    /**
     * Count one more shared expense for the owner on a day: false (nothing counted) when `max`
     * are counted already. The count expires by itself at `expiresAt` (epoch seconds).
     */
    countShare(owner: string, day: string, max: number, expiresAt: number): Promise<boolean>;
    /** Record that an item's owner was told of it; nothing when the item is gone (moved by a claim). */
    markNotified(partition: string, key: string, at: string): Promise<void>;
    /**
     * Take a lock (settleLockOf) for `holder`: true when no one holds it, `holder` holds it already
     * (a retry), or its holder took it before `staleBefore` (a crash); false otherwise. It expires
     * by itself at `expiresAt` (epoch seconds).
     */
    takeLock(
      partition: string,
      key: string,
      holder: string,
      at: string,
      staleBefore: string,
      expiresAt: number,
    ): Promise<boolean>;
    /** Give back a lock `holder` holds; nothing when it holds none (given back, or taken over). */
    releaseLock(partition: string, key: string, holder: string): Promise<void>;
  };
  /** A push to the recipient's onShareEvent subscribers. */
  push(event: ShareEventInput): Promise<void>;
  mail(message: { to: string; subject: string; text: string; messageId: string }): Promise<void>;
  now(): Date;
}

const normalEmail = (email: string) => email.trim().toLowerCase();
/** Ids are ULIDs (26 characters); anything far longer names nothing, and is not sent to the table as a key. */
const MAX_ID_LENGTH = 64;
const plausibleId = (id: string) => id.length > 0 && id.length <= MAX_ID_LENGTH;
const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * The caller's email, once what was shared with it before they had an account (or while a
 * claim was interrupted) has moved into their own partition: every sharing field starts here.
 */
async function callerEmail(ports: SharingPorts, owner: string): Promise<string> {
  const email = await ports.emailOf(owner);
  if (!email) throw new Error(`user ${owner} has no profile`);
  const pending = pendingPartitionOf(email);
  for await (const page of ports.items.all(pending, '')) {
    for (const item of page) {
      // Put first, then delete: a crash in between leaves a copy that the next claim finds already put.
      await ports.items.putNew({ ...item, user_id: owner });
      if (item.kind === 'share') await tellPayerJoined(ports, email, item);
      await ports.items.delete(pending, item.item_key);
    }
  }
  return email;
}

/**
 * A push to the payer of a share that just became a new user's: they see it now. Sent while the
 * pending copy is there, so a claim that died before its delete sends it again, with the same id.
 */
async function tellPayerJoined(ports: SharingPorts, email: string, share: SharedExpenseItem): Promise<void> {
  const payer = await ports.userIdByEmail(share.payerEmail);
  if (!payer) return;
  const amount = share.parts.find((p) => p.email === email)?.amount ?? 0;
  const money = formatMoney(amount, share.currency);
  await ports.push({
    id: `joined:${share.shareId}:${email}`,
    kind: 'JOINED',
    owner: payer,
    fromEmail: email,
    sharedExpenseId: share.shareId,
    amount,
    currency: share.currency,
    text: `${email} signed up and now sees ${share.merchant}: their share is ${money}.`,
    at: ports.now().toISOString(),
  });
}

/** Days a day's share count is kept before TTL deletes it (it matters only on its own day). */
const QUOTA_DAYS_KEPT = 3;

/** How long a call that took a notice has to send it before another call may send it instead. */
const NOTICE_LEASE_MS = 60_000;

/** Where a person's items go: their own partition, or the pending one of their email. */
async function partitionOf(ports: SharingPorts, email: string): Promise<{ partition: string; sub: string | null }> {
  const sub = await ports.userIdByEmail(email);
  return { partition: sub ?? pendingPartitionOf(email), sub };
}

/**
 * Tell the owner of an item (a share or a payment entry) about it, unless they were told: a push
 * when they have an account, an email always, then the mark. At least once: a crash between a
 * send and the mark sends again (after the lease), with the same event id and Message-ID.
 */
async function notify(
  ports: SharingPorts,
  target: { partition: string; sub: string | null; email: string; key: string },
  event: Omit<ShareEventInput, 'owner' | 'at'>,
  subject: string,
  body: string[],
): Promise<void> {
  const now = ports.now();
  const at = now.toISOString();
  const staleBefore = new Date(now.getTime() - NOTICE_LEASE_MS).toISOString();
  // Two calls at once (a duplicated request) would both find the notice unsent: one takes it.
  if (!(await ports.items.leaseNotice(target.partition, target.key, at, staleBefore))) return;
  try {
    if (target.sub) await ports.push({ ...event, owner: target.sub, at });
    await ports.mail({
      to: target.email,
      subject,
      text: [...body, '', 'Smart Expense Tracker'].join('\n'),
      messageId: `<${digest(event.id).slice(0, 32)}@sharing.expense-tracker>`,
    });
  } catch (error) {
    await ports.items.releaseNotice(target.partition, target.key, at);
    throw error;
  }
  await ports.items.markNotified(target.partition, target.key, at);
}

/**
 * What tells one sharing of an expense from another in event ids: a share withdrawn from everyone
 * and shared again keeps its id but has a new createdAt, while a retry reads the stored one.
 */
const sharingOf = (share: SharedExpenseItem) => Date.parse(share.createdAt).toString(36);

function toSharedExpense(item: SharedExpenseItem, me: string): SharedExpense {
  return {
    id: item.shareId,
    payerEmail: item.payerEmail,
    paidByMe: item.payerEmail === me,
    merchant: item.merchant,
    date: item.date,
    amount: item.amount,
    currency: item.currency,
    category: item.category,
    method: item.method,
    participants: item.parts,
    myShare: item.parts.find((p) => p.email === me)?.amount ?? 0,
    createdAt: item.createdAt,
  };
}

/** The emails of the participants, lower case: ValidationError for a malformed, repeated or the caller's own one. */
function participantEmails(input: ShareExpenseInput, me: string): string[] {
  const count = input.participants.length;
  if (count < 1 || count > MAX_SHARE_PARTICIPANTS)
    throw new FieldError('ValidationError', `Share with 1..${MAX_SHARE_PARTICIPANTS} people`, {
      field: 'participants',
      limit: MAX_SHARE_PARTICIPANTS,
    });
  const seen = new Set<string>();
  return input.participants.map((p, i) => {
    const email = normalEmail(p.email);
    const field = `participants.${i}.email`;
    if (email.length > 254 || email.indexOf('@') < 1 || email.indexOf('@') === email.length - 1 || email.includes('#'))
      throw new FieldError('ValidationError', 'Not an email address', { field });
    if (email === me) throw new FieldError('ValidationError', 'You cannot share an expense with yourself', { field });
    if (seen.has(email)) throw new FieldError('ValidationError', 'This email is given twice', { field });
    seen.add(email);
    return email;
  });
}

/**
 * Share one of the caller's expenses. Steps, each a conditional put of a key derived from the
 * expense, so a retry (or a second call with the same split) redoes only what is missing: the
 * payer's copy (which also claims the share: a different split of an expense shared before is a
 * Conflict), then per participant their copy, both ledger entries, and the notice.
 */
export async function shareExpense(
  ports: SharingPorts,
  owner: string,
  input: ShareExpenseInput,
): Promise<SharedExpense> {
  const me = await callerEmail(ports, owner);
  const emails = participantEmails(input, me);
  const expense = plausibleId(input.expenseId) ? await ports.expenseOf(owner, input.expenseId) : null;
  if (!expense) throw new FieldError('NotFound', 'No expense with this id', { field: 'expenseId' });
  if (!(expense.amount > 0))
    throw new FieldError('ValidationError', 'Only an expense of a positive amount can be shared', {
      field: 'expenseId',
    });
  const amounts = splitShares(expense.amount, input.method, input.participants);
  const shareId = derivedUlid(Date.parse(expense.createdAt) || 0, `share:${owner}:${expense.expense_id}`);
  const share: SharedExpenseItem = {
    user_id: owner,
    item_key: shareKeyOf(shareId),
    kind: 'share',
    shareId,
    payerEmail: me,
    merchant: expense.merchant,
    date: expense.date,
    amount: expense.amount,
    currency: expense.currency,
    category: expense.category,
    method: input.method,
    parts: [me, ...emails].map((email, i) => ({ email, amount: amounts[i], payer: i === 0 })),
    createdAt: ports.now().toISOString(),
  };
  // A retry (the share is there) is not counted again; a new share counts against the day's limit first.
  let stored = await ports.items.get(owner, share.item_key);
  if (!stored) {
    const now = ports.now();
    const expiresAt = Math.floor(now.getTime() / 1000) + QUOTA_DAYS_KEPT * 86_400;
    if (!(await ports.items.countShare(owner, now.toISOString().slice(0, 10), MAX_SHARES_PER_DAY, expiresAt)))
      throw new FieldError('LimitExceeded', `You can share ${MAX_SHARES_PER_DAY} expenses a day`, {
        limit: MAX_SHARES_PER_DAY,
      });
    stored = (await ports.items.putNew(share)) ? share : await ports.items.get(owner, share.item_key);
  }
  if (stored?.kind !== 'share' || stored.method !== share.method || !sameParts(stored, share))
    throw new FieldError('Conflict', 'This expense is already shared, divided differently', {
      field: 'expenseId',
      id: shareId,
    });
  // Each participant's steps are their own: run side by side (a share with 10 people is not 10 times slower).
  const shared = stored;
  await Promise.all(shared.parts.slice(1).map((part) => deliverShare(ports, owner, me, shared, part)));
  return toSharedExpense(shared, me);
}

/**
 * One participant's side of a share: their copy and both ledger entries (conditional puts of keys
 * derived from the share, so a retry writes nothing twice), then the notice once those are there.
 */
async function deliverShare(
  ports: SharingPorts,
  owner: string,
  me: string,
  stored: SharedExpenseItem,
  part: SharedExpenseItem['parts'][number],
): Promise<void> {
  const { shareId, currency } = stored;
  const target = await partitionOf(ports, part.email);
  const { notifiedAt: _notified, noticeLeasedAt: _leased, ...copy } = stored;
  const entryId = `share:${shareId}`;
  const source = { shareId };
  await Promise.all([
    ports.items.putNew({ ...copy, user_id: target.partition }),
    ports.items.putNew(ledgerEntry(owner, part.email, currency, entryId, part.amount, source, stored.createdAt)),
    ports.items.putNew(ledgerEntry(target.partition, me, currency, entryId, -part.amount, source, stored.createdAt)),
  ]);
  const money = (n: number) => formatMoney(n, currency);
  const text = `${me} shared ${stored.merchant} (${money(stored.amount)}, ${stored.date}) with you: your share is ${money(part.amount)}.`;
  await notify(
    ports,
    { ...target, email: part.email, key: shareKeyOf(shareId) },
    {
      id: `shared:${shareId}:${sharingOf(stored)}:${part.email}`,
      kind: 'SHARED',
      fromEmail: me,
      sharedExpenseId: shareId,
      amount: part.amount,
      currency,
      text,
    },
    `${me} shared an expense with you: your share is ${money(part.amount)}`,
    target.sub
      ? [text, '', 'Open Smart Expense Tracker to see it and what you owe.']
      : [text, '', `Sign up to Smart Expense Tracker with this address (${part.email}) to see it and settle up.`],
  );
}

function sameParts(a: SharedExpenseItem, b: SharedExpenseItem): boolean {
  return JSON.stringify(a.parts) === JSON.stringify(b.parts);
}

function ledgerEntry(
  partition: string,
  email: string,
  currency: string,
  entryId: string,
  amount: number,
  source: LedgerEntryItem['source'],
  createdAt: string,
): LedgerEntryItem {
  return {
    user_id: partition,
    item_key: ledgerKeyOf(email, currency, entryId),
    kind: 'ledger',
    email,
    currency,
    amount,
    source,
    createdAt,
  };
}

/** A shared expense the caller takes part in; NotFound for any other id, theirs or no one's. */
export async function sharedExpense(ports: SharingPorts, owner: string, id: string): Promise<SharedExpense> {
  const me = await callerEmail(ports, owner);
  const item = plausibleId(id) ? await ports.items.get(owner, shareKeyOf(id)) : null;
  if (item?.kind !== 'share') throw new FieldError('NotFound', 'No shared expense with this id', { field: 'id' });
  return toSharedExpense(item, me);
}

/** A page token: the last shared expense of the page, tagged with the caller so it continues only their listing. */
const callerTag = (owner: string) => digest(`shared-expenses:${owner}`).slice(0, 16);

function pageToken(owner: string, lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey.slice(SHARE_PREFIX.length), caller: callerTag(owner) })).toString(
    'base64url',
  );
}

function afterOf(owner: string, token: string): string {
  let parsed: { after?: unknown; caller?: unknown } | null = null;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    // Falls through to the one error every bad token gets.
  }
  if (!parsed || typeof parsed.after !== 'string' || !plausibleId(parsed.after) || parsed.caller !== callerTag(owner))
    throw new FieldError('ValidationError', 'nextToken is not valid', { field: 'nextToken' });
  return shareKeyOf(parsed.after);
}

/** The caller's shared expenses, newest first, one Query per page. */
export async function listSharedExpenses(
  ports: SharingPorts,
  owner: string,
  args: QueryListSharedExpensesArgs,
): Promise<SharedExpenseConnection> {
  const limit = args.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new FieldError('ValidationError', 'limit is 1..100', { field: 'limit' });
  const after = args.nextToken ? afterOf(owner, args.nextToken) : undefined;
  const me = await callerEmail(ports, owner);
  const page = await ports.items.page(owner, SHARE_PREFIX, { limit, after, newestFirst: true });
  return {
    items: page.items.flatMap((item) => (item.kind === 'share' ? [toSharedExpense(item, me)] : [])),
    nextToken: page.lastKey ? pageToken(owner, page.lastKey) : null,
  };
}

async function ledgerOf(ports: SharingPorts, owner: string, prefix: string): Promise<LedgerEntryItem[]> {
  const entries: LedgerEntryItem[] = [];
  for await (const page of ports.items.all(owner, prefix))
    for (const item of page) if (item.kind === 'ledger') entries.push(item);
  return entries;
}

/** "ada@example.com owes you €12.40" / "You owe bob@example.com ¥1,200". */
export function balanceText(email: string, amount: number, currency: string): string {
  const money = formatMoney(Math.abs(amount), currency);
  if (amount > 0) return `${email} owes you ${money}`;
  if (amount < 0) return `You owe ${email} ${money}`;
  return `You and ${email} are settled up in ${currency}`;
}

/** What each person owes the caller or is owed, per currency: the exact sums of the caller's ledger. */
export async function shareBalances(ports: SharingPorts, owner: string): Promise<ShareBalance[]> {
  await callerEmail(ports, owner);
  return balancesOf(await ledgerOf(ports, owner, LEDGER_PREFIX)).map((line) => ({
    ...line,
    text: balanceText(line.email, line.amount, line.currency),
  }));
}

/**
 * Record a payment that moves the balance with a person toward zero: the whole of it, or part.
 * Its id comes from the caller's requestId, so a retry finds the caller's entry and only redoes
 * the other person's entry and notice. The direction follows the balance: whoever owes pays.
 */
export async function settleShareBalance(
  ports: SharingPorts,
  owner: string,
  input: SettleShareBalanceInput,
): Promise<ShareSettlement> {
  const me = await callerEmail(ports, owner);
  const email = normalEmail(input.email);
  if (email === me) throw new FieldError('ValidationError', 'You have no balance with yourself', { field: 'email' });
  const currency = input.currency;
  if (!isCurrencyCode(currency))
    throw new FieldError('ValidationError', 'Not an ISO 4217 currency code', { field: 'currency' });
  if (!plausibleId(input.requestId))
    throw new FieldError('ValidationError', 'requestId is 1..64 characters', { field: 'requestId' });
  if (input.amount != null && !isMinorUnits(input.amount, 1))
    throw new FieldError('ValidationError', 'The amount is a whole number of minor units, at least 1', {
      field: 'amount',
    });
  const settlementId = digest(`settle:${owner}:${input.requestId}`).slice(0, 26);
  const entryId = `settle:${settlementId}`;
  const key = ledgerKeyOf(email, currency, entryId);
  const target = await partitionOf(ports, email);
  const lock = settleLockOf(me, email, currency);
  let mine = await ports.items.get(owner, key);
  if (mine?.kind !== 'ledger') {
    // One payment between two people at a time: two at once (two devices, or both people) would each
    // read the balance before the other's entry and together pay past zero.
    await takeSettleLock(ports, lock, settlementId);
    try {
      mine = await recordPayment(ports, owner, me, target.partition, email, currency, settlementId, input.amount);
    } catch (error) {
      // Nothing written yet (a ValidationError, or a failure before the entry): the next payment may go ahead.
      if ((await ports.items.get(owner, key).catch(() => null))?.kind !== 'ledger')
        await ports.items.releaseLock(lock.partition, lock.key, settlementId).catch(() => undefined);
      throw error;
    }
  }
  const paidByMe = mine.amount > 0;
  const amount = Math.abs(mine.amount);
  const theirs = ledgerEntry(
    target.partition,
    me,
    currency,
    entryId,
    -mine.amount,
    { settlementId, paidByMe: !paidByMe },
    mine.createdAt,
  );
  await ports.items.putNew(theirs);
  // Both entries are there: the balance either person reads includes this payment.
  await ports.items.releaseLock(lock.partition, lock.key, settlementId);
  const money = formatMoney(amount, currency);
  const text = paidByMe ? `${me} paid you ${money}.` : `${me} recorded your payment of ${money}.`;
  await notify(
    ports,
    { ...target, email, key: theirs.item_key },
    { id: `settled:${settlementId}`, kind: 'SETTLED', fromEmail: me, sharedExpenseId: null, amount, currency, text },
    paidByMe ? `${me} paid you ${money}` : `${me} recorded your payment of ${money}`,
    [text],
  );
  const balance = sumMinor((await ledgerOf(ports, owner, ledgerPrefixOf(email, currency))).map((e) => e.amount));
  return { id: settlementId, email, currency, amount, paidByMe, balance, createdAt: mine.createdAt };
}

/**
 * The payer withdraws a share from one participant (`email`) or from all of them: each withdrawn
 * participant's copy and both ledger entries of their part go, so the balance between them drops
 * by exactly that part (payments stay: a participant who had paid is then owed that back, and the
 * payer can record paying it), and they are told by push and email. The payer keeps the part. Steps
 * in an order a retry can redo: per participant the ledger entries (under the pair's payment lock,
 * so a payment at the same time sees the balance before or after, never half), the notice and
 * their copy, then the payer's copy last (the participant out of it, or, withdrawn from everyone,
 * deleted and a mark left for retries). Answers the payer's shared expense after, or null when it
 * is withdrawn from everyone. NotFound for any id that is not a share the caller paid.
 */
export async function unshareExpense(
  ports: SharingPorts,
  owner: string,
  id: string,
  email?: string | null,
): Promise<SharedExpense | null> {
  const me = await callerEmail(ports, owner);
  const item = plausibleId(id) ? await ports.items.get(owner, shareKeyOf(id)) : null;
  if (item?.kind !== 'share' || item.payerEmail !== me) {
    // Withdrawn from everyone already (a retry): the same answer as the first time.
    const withdrawn = item ? null : plausibleId(id) ? await ports.items.get(owner, withdrawnKeyOf(id)) : null;
    if (withdrawn?.kind === 'withdrawn') return null;
    throw new FieldError('NotFound', 'No shared expense you paid with this id', { field: 'id' });
  }
  const only = email == null ? null : normalEmail(email);
  const leaving = item.parts.filter((p) => !p.payer && (only === null || p.email === only));
  if (only !== null && leaving.length === 0)
    // Withdrawn from them already (a retry), or never shared with them: the share as it is.
    return toSharedExpense(item, me);
  await Promise.all(leaving.map((part) => withdrawPart(ports, owner, me, item, part)));
  const staying = item.parts.filter((p) => !p.payer && !leaving.includes(p));
  if (staying.length === 0) {
    const expiresAt = Math.floor(ports.now().getTime() / 1000) + WITHDRAWN_DAYS_KEPT * 86_400;
    await ports.items.putNew({
      user_id: owner,
      item_key: withdrawnKeyOf(item.shareId),
      kind: 'withdrawn',
      shareId: item.shareId,
      expires_at: expiresAt,
    });
    await ports.items.delete(owner, item.item_key);
    return null;
  }
  const kept = leaving.reduce((sum, p) => addMinor(sum, p.amount), 0);
  const parts = item.parts.flatMap((p) =>
    p.payer ? [{ ...p, amount: addMinor(p.amount, kept) }] : leaving.includes(p) ? [] : [p],
  );
  const updated: SharedExpenseItem = { ...item, parts };
  // The others' copies show who is left; one already withdrawn (or not claimed yet) is not put back.
  await Promise.all(
    staying.map(async (p) => {
      const target = await partitionOf(ports, p.email);
      const theirs = await ports.items.get(target.partition, item.item_key);
      if (theirs?.kind === 'share') await ports.items.replace({ ...theirs, parts });
    }),
  );
  await ports.items.replace(updated);
  return toSharedExpense(updated, me);
}

/** One participant out of a share: both ledger entries of their part, the notice, then their copy. */
async function withdrawPart(
  ports: SharingPorts,
  owner: string,
  me: string,
  share: SharedExpenseItem,
  part: SharePart,
): Promise<void> {
  const { shareId, currency } = share;
  const target = await partitionOf(ports, part.email);
  const entryId = `share:${shareId}`;
  const lock = settleLockOf(me, part.email, currency);
  const holder = `unshare:${shareId}`;
  await takeSettleLock(ports, lock, holder);
  await ports.items.delete(owner, ledgerKeyOf(part.email, currency, entryId));
  await ports.items.delete(target.partition, ledgerKeyOf(me, currency, entryId));
  await ports.items.releaseLock(lock.partition, lock.key, holder);
  // Told while their copy is there (a retry after it went tells no one), through a notice item of their
  // own, leased and marked like any other, so a retry does not tell them twice.
  const copy = await ports.items.get(target.partition, share.item_key);
  if (copy?.kind !== 'share') return;
  const notice: WithdrawnShareItem = {
    user_id: target.partition,
    item_key: withdrawnNoticeKeyOf(shareId, share.createdAt),
    kind: 'withdrawn',
    shareId,
    expires_at: Math.floor(ports.now().getTime() / 1000) + WITHDRAWN_DAYS_KEPT * 86_400,
  };
  await ports.items.putNew(notice);
  const money = (n: number) => formatMoney(n, currency);
  const text = `${me} withdrew ${share.merchant} (${money(share.amount)}, ${share.date}): you no longer owe your share of ${money(part.amount)}.`;
  await notify(
    ports,
    { ...target, email: part.email, key: notice.item_key },
    {
      id: `unshared:${shareId}:${sharingOf(share)}:${part.email}`,
      kind: 'UNSHARED',
      fromEmail: me,
      sharedExpenseId: shareId,
      amount: part.amount,
      currency,
      text,
    },
    `${me} withdrew a shared expense: you no longer owe ${money(part.amount)}`,
    [text],
  );
  await ports.items.delete(target.partition, share.item_key);
}

/** How long a payment may hold its pair's lock before another takes it over: longer than SharingFn runs (30 s). */
const SETTLE_LOCK_MS = 60_000;
/** How long a payment waits for another one between the same people before it answers Conflict. */
const SETTLE_LOCK_WAIT_MS = 5_000;
const SETTLE_LOCK_POLL_MS = 50;

async function takeSettleLock(
  ports: SharingPorts,
  lock: { partition: string; key: string },
  holder: string,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    const now = ports.now();
    const staleBefore = new Date(now.getTime() - SETTLE_LOCK_MS).toISOString();
    const expiresAt = Math.ceil((now.getTime() + 2 * SETTLE_LOCK_MS) / 1000);
    if (await ports.items.takeLock(lock.partition, lock.key, holder, now.toISOString(), staleBefore, expiresAt)) return;
    if (Date.now() - started >= SETTLE_LOCK_WAIT_MS)
      throw new FieldError('Conflict', 'Another payment with this person is being recorded; try again', {
        field: 'email',
      });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_LOCK_POLL_MS));
  }
}

/**
 * The caller's entry of a payment, under the pair's lock: the balance read now includes every
 * earlier payment (each wrote both entries before it gave the lock back), so the amount is checked
 * against what is really owed, and a second payment at the same time sees the first. A payment
 * whose call died after its own entry (its lock taken over) has its entry on this side written
 * here first, from the other side's.
 */
async function recordPayment(
  ports: SharingPorts,
  owner: string,
  me: string,
  theirPartition: string,
  email: string,
  currency: string,
  settlementId: string,
  requested: number | null | undefined,
): Promise<LedgerEntryItem> {
  const entryId = `settle:${settlementId}`;
  const ledger = await ledgerOf(ports, owner, ledgerPrefixOf(email, currency));
  const known = new Set(ledger.map((e) => e.item_key));
  // The same payment called twice at once (one requestId holds the lock twice): the other call's entry.
  const written = ledger.find((e) => e.item_key === ledgerKeyOf(email, currency, entryId));
  if (written) return written;
  for (const e of await ledgerOf(ports, theirPartition, ledgerPrefixOf(me, currency))) {
    // Only payments: shares are written and withdrawn outside the lock, each by its own steps.
    if (!('settlementId' in e.source)) continue;
    const key = ledgerKeyOf(email, currency, `settle:${e.source.settlementId}`);
    if (known.has(key)) continue;
    const source = { settlementId: e.source.settlementId, paidByMe: !e.source.paidByMe };
    const missing = ledgerEntry(
      owner,
      email,
      currency,
      `settle:${e.source.settlementId}`,
      -e.amount,
      source,
      e.createdAt,
    );
    await ports.items.putNew(missing);
    ledger.push(missing);
  }
  const balance = sumMinor(ledger.map((e) => e.amount));
  if (balance === 0)
    throw new FieldError('ValidationError', 'You have no balance with this person in this currency', {
      field: 'email',
    });
  const amount = requested ?? Math.abs(balance);
  if (amount > Math.abs(balance))
    throw new FieldError('ValidationError', 'The amount is more than the balance', {
      field: 'amount',
      limit: Math.abs(balance),
    });
  const paidByMe = balance < 0;
  const entry = ledgerEntry(
    owner,
    email,
    currency,
    entryId,
    paidByMe ? amount : -amount,
    { settlementId, paidByMe },
    ports.now().toISOString(),
  );
  if (await ports.items.putNew(entry)) return entry;
  // The same payment called twice at once (one requestId holds the lock twice): the other call's entry.
  const mine = await ports.items.get(owner, entry.item_key);
  if (mine?.kind !== 'ledger') throw new Error(`settlement ${settlementId} vanished`);
  return mine;
}
