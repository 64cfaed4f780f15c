import { createHash } from 'node:crypto';
import {
  FORWARDING_LOCAL_PART_PREFIX,
  MAX_FORWARDING_SENDERS,
  SENDER_CODE_MAX_ATTEMPTS,
  SENDER_CODE_TTL_MINUTES,
  type ForwardingSender,
} from '../../model/inbound-email.ts';
import { toUser, type UserItem } from '../../model/users.ts';
import { FieldError } from '../shared/field-call.ts';

/**
 * The forwarding address and the addresses allowed to use it. An address is `r-<token>@<domain>`
 * with 128 random bits in the token: it cannot be guessed, and rotating it makes a new one while
 * the old stops at once (the inbound function finds owners by the current address only). An
 * extra sender must prove it owns its mailbox with a 6-digit code sent there (kept as a hash,
 * 30 minutes, 5 tries), so nobody can make another person's address a sender of theirs.
 */
export interface ForwardingDeps {
  users: {
    get(owner: string): Promise<UserItem | null>;
    /** Sets (or with null removes) the address; the updated item. */
    setAddress(owner: string, address: string | null, now: string): Promise<UserItem>;
    /** Replaces the senders if the item is still as read (`updatedAt`); null when it changed meanwhile. */
    setSenders(
      owner: string,
      senders: ForwardingSender[],
      seenUpdatedAt: string,
      now: string,
    ): Promise<UserItem | null>;
  };
  sendCode(to: string, code: string, forwardingAddress: string | null): Promise<void>;
  /** 128 random bits, as lower-case letters and digits. */
  newToken(): string;
  /** Six random digits. */
  newCode(): string;
  domain: string;
  now(): Date;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const CODE = /^\d{6}$/;
const RESEND_AFTER_MS = 60_000;

const codeHash = (owner: string, email: string, code: string) =>
  createHash('sha256').update(`${owner}\n${email}\n${code}`).digest('hex');

async function profileOf(deps: ForwardingDeps, owner: string): Promise<UserItem> {
  const user = await deps.users.get(owner);
  if (!user) throw new FieldError('NotFound', 'Profile not found', { id: owner });
  return user;
}

function checkedEmail(email: string): string {
  const address = (email ?? '').trim().toLowerCase();
  if (!EMAIL.test(address))
    throw new FieldError('ValidationError', 'email must be an email address', { field: 'email' });
  return address;
}

export async function rotateForwardingAddress(deps: ForwardingDeps, owner: string) {
  await profileOf(deps, owner);
  const address = `${FORWARDING_LOCAL_PART_PREFIX}${deps.newToken()}@${deps.domain}`.toLowerCase();
  return toUser(await deps.users.setAddress(owner, address, deps.now().toISOString()));
}

export async function revokeForwardingAddress(deps: ForwardingDeps, owner: string) {
  await profileOf(deps, owner);
  return toUser(await deps.users.setAddress(owner, null, deps.now().toISOString()));
}

/** Read, change, write if unchanged meanwhile (a few tries): two requests never lose each other's sender. */
async function changeSenders(
  deps: ForwardingDeps,
  owner: string,
  change: (senders: ForwardingSender[], user: UserItem) => ForwardingSender[],
): Promise<UserItem> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await profileOf(deps, owner);
    const next = change(structuredClone(user.forwardingSenders ?? []), user);
    const saved = await deps.users.setSenders(owner, next, user.updatedAt, deps.now().toISOString());
    if (saved) return saved;
  }
  throw new FieldError('Conflict', 'The profile changed while it was being updated; try again', {
    currentVersion: null,
  });
}

export async function addForwardingSender(deps: ForwardingDeps, owner: string, email: string) {
  const address = checkedEmail(email);
  const code = deps.newCode();
  const now = deps.now();
  let send = true;
  const user = await changeSenders(deps, owner, (senders, profile) => {
    if (address === profile.email.toLowerCase())
      throw new FieldError('ValidationError', 'Your sign-in address is always accepted; add another one', {
        field: 'email',
      });
    const existing = senders.find((s) => s.email === address);
    if (existing?.confirmedAt) {
      send = false;
      return senders;
    }
    if (!existing && senders.length >= MAX_FORWARDING_SENDERS)
      throw new FieldError('LimitExceeded', `At most ${MAX_FORWARDING_SENDERS} sender addresses`, {
        field: 'email',
        limit: MAX_FORWARDING_SENDERS,
      });
    const lastSent = existing?.codeExpiresAt
      ? Date.parse(existing.codeExpiresAt) - SENDER_CODE_TTL_MINUTES * 60_000
      : 0;
    if (existing && now.getTime() - lastSent < RESEND_AFTER_MS)
      throw new FieldError('LimitExceeded', 'A code was sent to this address less than a minute ago; wait for it', {
        field: 'email',
        retryAfterSeconds: Math.ceil((lastSent + RESEND_AFTER_MS - now.getTime()) / 1000),
      });
    const pending: ForwardingSender = {
      email: address,
      addedAt: existing?.addedAt ?? now.toISOString(),
      confirmedAt: null,
      codeSha256: codeHash(owner, address, code),
      codeExpiresAt: new Date(now.getTime() + SENDER_CODE_TTL_MINUTES * 60_000).toISOString(),
      codeAttempts: 0,
    };
    return existing ? senders.map((s) => (s.email === address ? pending : s)) : [...senders, pending];
  });
  if (send) await deps.sendCode(address, code, user.forwardingAddress ?? null);
  return toUser(user);
}

export async function confirmForwardingSender(deps: ForwardingDeps, owner: string, email: string, code: string) {
  const address = checkedEmail(email);
  if (!CODE.test((code ?? '').trim()))
    throw new FieldError('ValidationError', 'code must be the 6 digits sent to the address', { field: 'code' });
  const now = deps.now();
  let wrong: FieldError | null = null;
  const user = await changeSenders(deps, owner, (senders) => {
    wrong = null;
    const sender = senders.find((s) => s.email === address);
    if (!sender) throw new FieldError('NotFound', `${address} is not one of your sender addresses`, { id: address });
    if (sender.confirmedAt) return senders;
    const usable =
      sender.codeSha256 &&
      sender.codeExpiresAt &&
      Date.parse(sender.codeExpiresAt) > now.getTime() &&
      (sender.codeAttempts ?? 0) < SENDER_CODE_MAX_ATTEMPTS;
    if (!usable) {
      throw new FieldError(
        'ValidationError',
        'The code has expired or was tried too often; add the address again for a new one',
        {
          field: 'code',
          reason: 'expired',
        },
      );
    }
    if (sender.codeSha256 !== codeHash(owner, address, code.trim())) {
      // The failed try is counted (saved), then the caller is told.
      wrong = new FieldError('ValidationError', 'The code is not the one sent to this address', {
        field: 'code',
        reason: 'wrong',
        attemptsLeft: SENDER_CODE_MAX_ATTEMPTS - (sender.codeAttempts ?? 0) - 1,
      });
      return senders.map((s) => (s.email === address ? { ...s, codeAttempts: (s.codeAttempts ?? 0) + 1 } : s));
    }
    return senders.map((s) =>
      s.email === address
        ? { email: s.email, addedAt: s.addedAt, confirmedAt: now.toISOString(), codeSha256: null, codeExpiresAt: null }
        : s,
    );
  });
  if (wrong) throw wrong;
  return toUser(user);
}

export async function removeForwardingSender(deps: ForwardingDeps, owner: string, email: string) {
  const address = checkedEmail(email);
  const user = await changeSenders(deps, owner, (senders) => {
    if (!senders.some((s) => s.email === address))
      throw new FieldError('NotFound', `${address} is not one of your sender addresses`, { id: address });
    return senders.filter((s) => s.email !== address);
  });
  return toUser(user);
}
