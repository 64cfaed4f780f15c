import { createHash } from 'node:crypto';
import {
  FORWARDING_LOCAL_PART_PREFIX,
  MAX_RECEIPTS_PER_MESSAGE,
  type ForwardingSender,
} from '../../model/inbound-email.ts';
import type { ReceiptEmailItem, ReceiptItem } from '../../model/receipts.ts';
import {
  acceptedReply,
  refusedReply,
  type AcceptedPart,
  type Reply,
  type ReplyContext,
  type SkippedPart,
} from '../shared/email-replies.ts';
import { FieldError } from '../shared/field-call.ts';
import type { ReceiptFile } from '../shared/receipt-intake.ts';

/**
 * Receipts by email. SES (or the local SMTP listener) has stored a message under inbound/ and
 * describes it in a receipt event: its id, envelope recipients and spam, virus, SPF, DKIM and
 * DMARC verdicts. This finds the owner of the forwarding address, checks the sender is one of
 * theirs, turns each attached image or PDF (or, when there is none, the e-receipt in the
 * message's own text) into a receipt, and replies to the sender with what happened.
 *
 * Nothing is half-made and nothing is made twice: receipt ids derive from SES's message id and
 * the part's position, so a retried event resumes the same receipts; a message delivered twice
 * (same Message-ID) is claimed once per owner, and the same file sent again is the owner's
 * existing receipt (the file-hash claim of every upload). Spam, viruses, mail from strangers and
 * automatic mail (auto-replies, bounces, lists) make nothing; only a sender whose address is
 * authenticated is ever answered, so forged mail cannot turn the service into a spammer.
 */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface InboundMessage {
  /** SES's id of the message; its object is INBOUND_KEY_PREFIX + this. */
  sesMessageId: string;
  objectKey: string;
  /** When SES received it (ISO). */
  receivedAt: string;
  /** Envelope recipients this rule matched (lower case). */
  recipients: string[];
  verdicts: {
    spam: VerdictStatus;
    virus: VerdictStatus;
    spf: VerdictStatus;
    dkim: VerdictStatus;
    dmarc: VerdictStatus;
  };
}

/** What the message says, as far as intake needs it (functions/inbound-email/mime.ts reads it). */
export interface ParsedMessage {
  messageId: string | null;
  /** The From address, lower case; null when there is none. */
  from: string | null;
  subject: string | null;
  /** Auto-Submitted other than "no", Precedence bulk/junk/list, a List-Id, or a delivery report. */
  automatic: boolean;
  /** Parts offered as files: attachments, and inline images the HTML does not show. */
  attachments: Array<{ fileName: string | null; contentType: string; bytes: Uint8Array }>;
  /** The message's text: the plain part, or the HTML's text. */
  text: string | null;
}

export class MalformedMessage extends Error {
  override name = 'MalformedMessage';
}

/** The owner of a forwarding address, with the addresses they take mail from. */
export interface ForwardingOwner {
  userId: string;
  email: string;
  forwardingSenders?: ForwardingSender[] | null;
}

/** The record of one message per owner: the first delivery claims it; later ones see it. */
export interface MessageRecord {
  sesMessageId: string;
  outcome?: { accepted: AcceptedPart[]; skipped: SkippedPart[] } | null;
  replied?: boolean;
}

export interface InboundEmailDeps {
  objects: {
    get(key: string): Promise<Uint8Array | null>;
    /** Removes the stored message with every version once it has been taken in; a key already gone is no error. */
    delete(key: string): Promise<void>;
  };
  parse(raw: Uint8Array): Promise<ParsedMessage>;
  owners: { byForwardingAddress(address: string): Promise<ForwardingOwner | null> };
  messages: {
    /** Claim the message for this delivery; what is recorded when another delivery (or an earlier try of this one) did. */
    claim(owner: string, messageKey: string, sesMessageId: string, now: string): Promise<MessageRecord>;
    recordOutcome(owner: string, messageKey: string, outcome: NonNullable<MessageRecord['outcome']>): Promise<void>;
    markReplied(owner: string, messageKey: string): Promise<void>;
  };
  /** storeReceiptFile, bound to the receipts table and bucket. */
  storeReceipt(
    owner: string,
    receiptId: string,
    file: ReceiptFile,
    extras: Pick<ReceiptItem, 'source' | 'email'>,
  ): Promise<ReceiptItem>;
  reply(reply: Reply, context: ReplyContext): Promise<void>;
  receiptId(receivedAt: string, seed: string): string;
  log: {
    info(message: string, extra?: Record<string, unknown>): void;
    warn(message: string, extra?: Record<string, unknown>): void;
  };
  /** Refuse mail whose sender SES could not authenticate (SPF/DKIM/DMARC); off only where there are no verdicts (locally). */
  requireSenderAuthentication: boolean;
  maxMessageBytes: number;
  maxReceiptBytes: number;
}

export type InboundOutcome =
  | { kind: 'accepted'; owner: string; receiptIds: string[]; duplicates: string[]; skipped: SkippedPart[] }
  | { kind: 'refused'; owner: string | null; reason: string; replied: boolean }
  | { kind: 'dropped'; why: string }
  | { kind: 'duplicate-delivery'; owner: string };

/** A forwarding address as the recipient list spells it, lower case; null for any other address. */
export function forwardingAddressIn(recipients: readonly string[]): string | null {
  for (const recipient of recipients) {
    const address = recipient.trim().toLowerCase();
    if (address.split('@')[0]?.startsWith(FORWARDING_LOCAL_PART_PREFIX)) return address;
  }
  return null;
}

/** SES's verdicts say the From address is the sender's own (not forged). */
export function senderAuthenticated(verdicts: InboundMessage['verdicts']): boolean {
  if (verdicts.dmarc === 'PASS') return true;
  if (verdicts.dmarc === 'FAIL') return false;
  return verdicts.spf === 'PASS' || verdicts.dkim === 'PASS';
}

/** The addresses the owner takes receipts from: the sign-in email and the confirmed senders. */
export function acceptedSenders(owner: ForwardingOwner): Set<string> {
  return new Set([
    owner.email.toLowerCase(),
    ...(owner.forwardingSenders ?? []).filter((s) => s.confirmedAt).map((s) => s.email.toLowerCase()),
  ]);
}

// Where the forwarded message starts in a forward, as mail clients write it (Gmail, Apple Mail, Outlook, Thunderbird).
const FORWARD_MARKERS = [
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/im,
  /^Begin forwarded message:\s*$/im,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/im,
  /^-{2,}\s*Weitergeleitete Nachricht\s*-{2,}\s*$/im,
  /^-{2,}\s*Message transféré\s*-{2,}\s*$/im,
];
const FORWARD_HEADER = /^\s*(From|Date|Sent|Subject|To|Cc|Reply-To|Von|Datum|Betreff|An|De|Objet|À)\s*:/i;

/** The forwarded message's own text: what follows the forward marker and its header lines; the whole text when there is no marker. */
export function forwardedContent(text: string): string {
  for (const marker of FORWARD_MARKERS) {
    const match = marker.exec(text);
    if (!match) continue;
    const lines = text.slice(match.index + match[0].length).split(/\r?\n/);
    let start = 0;
    while (start < lines.length && (lines[start].trim() === '' || FORWARD_HEADER.test(lines[start]))) start++;
    return lines.slice(start).join('\n');
  }
  return text;
}

/** Text that holds a receipt: a few lines and at least one amount with decimals. */
export function looksLikeReceipt(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((line) => line.trim());
  return lines.length >= 2 && /\d[.,]\d{2}\b/.test(text);
}

// Parts that are never receipts and not worth a line in the reply: signatures and vCards.
const SILENT_PARTS = /^(application\/(pkcs7-signature|x-pkcs7-signature|pgp-signature|pgp-keys)|text\/(x-)?vcard)/i;

function messageKeyOf(parsed: ParsedMessage, raw: Uint8Array): string {
  const identity = parsed.messageId?.trim() || `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return createHash('sha256').update(identity).digest('hex');
}

export async function receiveEmail(deps: InboundEmailDeps, message: InboundMessage): Promise<InboundOutcome> {
  const { verdicts } = message;
  if (verdicts.spam === 'FAIL' || verdicts.virus === 'FAIL') {
    await deps.objects.delete(message.objectKey);
    return { kind: 'dropped', why: verdicts.virus === 'FAIL' ? 'virus' : 'spam' };
  }
  const raw = await deps.objects.get(message.objectKey);
  if (!raw)
    return { kind: 'dropped', why: 'the stored message is gone (handled by an earlier delivery of this event)' };

  const authenticated = !deps.requireSenderAuthentication || senderAuthenticated(verdicts);
  let parsed: ParsedMessage | null = null;
  let malformed: string | null = null;
  if (raw.length > deps.maxMessageBytes)
    malformed = `the message is ${raw.length} bytes; the limit is ${deps.maxMessageBytes}`;
  else {
    try {
      parsed = await deps.parse(raw);
      if (!parsed.from) malformed = 'it has no sender address (From)';
    } catch (error) {
      malformed = `it could not be read as an email (${(error as Error).message})`;
    }
  }
  const address = forwardingAddressIn(message.recipients);
  const owner = address ? await deps.owners.byForwardingAddress(address) : null;
  const context: ReplyContext = { to: parsed?.from ?? '', subject: parsed?.subject, inReplyTo: parsed?.messageId };

  const refuse = async (reason: string, mayReply: boolean): Promise<InboundOutcome> => {
    const replied = mayReply && !!parsed?.from && !parsed.automatic && authenticated;
    if (replied) await deps.reply(refusedReply(message.sesMessageId, context, reason), context);
    await deps.objects.delete(message.objectKey);
    deps.log.info('inbound message refused', { reason, replied, owner: owner?.userId });
    return { kind: 'refused', owner: owner?.userId ?? null, reason, replied };
  };

  if (!owner) return refuse('this forwarding address is not in use (it was replaced or removed)', true);
  if (malformed || !parsed) return refuse(`the message is malformed: ${malformed}`, true);
  if (parsed.automatic) return refuse('automatic messages (auto-replies, bounces, lists) are not taken', false);
  if (!authenticated) return refuse('the sender address could not be authenticated (SPF, DKIM, DMARC)', false);
  if (!acceptedSenders(owner).has(parsed.from!)) {
    return refuse(
      `${parsed.from} is not one of the addresses this forwarding address takes mail from; add and confirm it in your profile first`,
      true,
    );
  }

  const messageKey = messageKeyOf(parsed, raw);
  const record = await deps.messages.claim(owner.userId, messageKey, message.sesMessageId, message.receivedAt);
  if (record.sesMessageId !== message.sesMessageId) {
    // The same message delivered again (the sender's server retried): the first delivery answers it.
    await deps.objects.delete(message.objectKey);
    deps.log.info('inbound message delivered again; taken once', { owner: owner.userId });
    return { kind: 'duplicate-delivery', owner: owner.userId };
  }

  const outcome = record.outcome ?? (await storeParts(deps, owner.userId, message, parsed));
  if (!record.outcome) await deps.messages.recordOutcome(owner.userId, messageKey, outcome);
  const receiptIds = outcome.accepted.filter((p) => !p.duplicateOf).map((p) => p.receiptId);
  if (outcome.accepted.length === 0) {
    const reason = outcome.skipped.length
      ? `no receipt could be taken from it (${outcome.skipped.map((p) => `${p.fileName ?? 'the text'}: ${p.reason}`).join('; ')})`
      : 'no receipt was found in it: attach the receipt as a PDF or image, or forward the e-receipt email itself';
    if (!record.replied) await deps.reply(refusedReply(message.sesMessageId, context, reason), context);
  } else if (!record.replied) {
    await deps.reply(acceptedReply(message.sesMessageId, context, outcome.accepted, outcome.skipped), context);
  }
  await deps.messages.markReplied(owner.userId, messageKey);
  await deps.objects.delete(message.objectKey);
  deps.log.info('inbound message taken', {
    owner: owner.userId,
    receipts: receiptIds.length,
    skipped: outcome.skipped.length,
  });
  return {
    kind: 'accepted',
    owner: owner.userId,
    receiptIds,
    duplicates: outcome.accepted.filter((p) => p.duplicateOf).map((p) => p.duplicateOf!),
    skipped: outcome.skipped,
  };
}

/** Each attached file a receipt (up to MAX_RECEIPTS_PER_MESSAGE); the text only when nothing attached was taken. */
async function storeParts(
  deps: InboundEmailDeps,
  owner: string,
  message: InboundMessage,
  parsed: ParsedMessage,
): Promise<{ accepted: AcceptedPart[]; skipped: SkippedPart[] }> {
  const accepted: AcceptedPart[] = [];
  const skipped: SkippedPart[] = [];
  const email: ReceiptEmailItem = {
    from: parsed.from!,
    subject: parsed.subject,
    receivedAt: message.receivedAt,
    messageId: parsed.messageId,
  };
  const store = async (index: number, file: ReceiptFile) => {
    const receiptId = deps.receiptId(message.receivedAt, `${message.sesMessageId}#${index}`);
    try {
      const item = await deps.storeReceipt(owner, receiptId, file, { source: 'EMAIL', email });
      accepted.push({ fileName: file.fileName, receiptId: item.receipt_id });
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      if (error.errorType === 'DuplicateReceipt')
        accepted.push({ fileName: file.fileName, receiptId, duplicateOf: String(error.errorInfo.receiptId) });
      else skipped.push({ fileName: file.fileName, reason: error.message });
    }
  };

  let index = 0;
  for (const part of parsed.attachments) {
    index += 1;
    if (SILENT_PARTS.test(part.contentType)) continue;
    if (accepted.length >= MAX_RECEIPTS_PER_MESSAGE) {
      skipped.push({
        fileName: part.fileName,
        reason: `one message makes at most ${MAX_RECEIPTS_PER_MESSAGE} receipts`,
      });
      continue;
    }
    if (part.bytes.length > deps.maxReceiptBytes) {
      skipped.push({
        fileName: part.fileName,
        reason: `it is ${part.bytes.length} bytes; the limit is ${deps.maxReceiptBytes} bytes`,
      });
      continue;
    }
    await store(index, {
      bytes: part.bytes,
      kind: 'document',
      fileName: part.fileName,
      correlationId: message.sesMessageId,
    });
  }
  if (accepted.length === 0 && parsed.text) {
    const text = forwardedContent(parsed.text).trim();
    if (looksLikeReceipt(text))
      await store(0, {
        bytes: new TextEncoder().encode(`${text}\n`),
        kind: 'text',
        fileName: null,
        correlationId: message.sesMessageId,
      });
  }
  return { accepted, skipped };
}
