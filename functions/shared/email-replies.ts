import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { ReceiptItem } from '../../model/receipts.ts';
import { formatMoney } from './money.ts';

/**
 * The replies that tell whoever forwarded an e-receipt what became of it: refused (and why),
 * accepted (which files became receipts, which parts were skipped), then, per receipt, processed
 * (what was read, or why it could not be). Plain text, threaded under the forwarded message
 * (In-Reply-To / References), marked `Auto-Submitted: auto-replied` (RFC 3834) so that other
 * robots do not answer them, and never sent to a message that was itself automatic.
 *
 * Each reply has a stable id (X-Receipt-Reply-Id, and the Message-ID where SES keeps it): a
 * reply sent again after a crash is recognisably the same one.
 */
export interface ReplyContext {
  /** Where the reply goes: the forwarding sender. */
  to: string;
  /** The forwarded message's subject and Message-ID, to thread under it. */
  subject?: string | null;
  inReplyTo?: string | null;
}

export interface Reply {
  /** Stable across resends of the same reply. */
  id: string;
  subject: string;
  text: string;
}

export interface AcceptedPart {
  fileName: string | null;
  receiptId: string;
  /** The receipt was already there (the same file sent before, or this message delivered twice). */
  duplicateOf?: string | null;
}

export interface SkippedPart {
  fileName: string | null;
  reason: string;
}

const FOOTER =
  'This is an automatic reply from Smart Expense Tracker to the e-receipt you forwarded. Receipts are taken only from your sign-in address and the sender addresses you confirmed.';

const reSubject = (subject: string | null | undefined, fallback: string) =>
  subject?.trim() ? (/^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim()}`) : fallback;

const named = (fileName: string | null) => (fileName ? `"${fileName}"` : 'the message text');

export function refusedReply(sesMessageId: string, context: ReplyContext, reason: string): Reply {
  return {
    id: `refused.${sesMessageId}`,
    subject: reSubject(context.subject, 'Your forwarded receipt was not accepted'),
    text: ['Your message was not accepted, so no receipt was made from it.', '', `Why: ${reason}`, '', FOOTER].join(
      '\n',
    ),
  };
}

export function acceptedReply(
  sesMessageId: string,
  context: ReplyContext,
  accepted: AcceptedPart[],
  skipped: SkippedPart[],
): Reply {
  const lines = accepted.map((part) =>
    part.duplicateOf
      ? `- ${named(part.fileName)}: you already have this receipt (${part.duplicateOf}); nothing new was made.`
      : `- ${named(part.fileName)}: receipt ${part.receiptId}, being read now. Another reply follows when it is done.`,
  );
  return {
    id: `accepted.${sesMessageId}`,
    subject: reSubject(context.subject, 'Your forwarded receipt was accepted'),
    text: [
      `Your message was accepted: ${accepted.length} ${accepted.length === 1 ? 'receipt' : 'receipts'}.`,
      '',
      ...lines,
      ...(skipped.length
        ? ['', 'Skipped:', ...skipped.map((part) => `- ${named(part.fileName)}: ${part.reason}`)]
        : []),
      '',
      FOOTER,
    ].join('\n'),
  };
}

/** The reply once OCR (or the text reader) has finished with an emailed receipt. */
export function processedReply(receipt: ReceiptItem, context: ReplyContext): Reply {
  const extraction = receipt.extraction;
  const currency = extraction?.currency?.value ?? 'USD';
  const facts = [
    ['Merchant', extraction?.merchant?.value],
    ['Date', extraction?.date?.value],
    ['Total', extraction?.total ? formatMoney(extraction.total.amount, currency) : null],
  ].filter((fact): fact is [string, string] => !!fact[1]);
  const name = receipt.fileName ? `"${receipt.fileName}"` : 'The receipt in your message';
  const headline =
    receipt.status === 'FAILED'
      ? `${name} could not be read, so no expense was made: ${receipt.error ?? 'unknown reason'}.`
      : receipt.status === 'NEEDS_REVIEW'
        ? `${name} was read and recorded as an expense, but needs a look: ${(receipt.error ?? '').replace(/^Please check: /, '')}.`
        : `${name} was read and recorded as an expense.`;
  return {
    id: `processed.${receipt.receipt_id}.${receipt.updatedAt}`,
    subject: reSubject(context.subject, 'Your forwarded receipt was processed'),
    text: [
      headline,
      '',
      ...facts.map(([label, value]) => `${`${label}:`.padEnd(10)}${value}`),
      `${'Receipt:'.padEnd(10)}${receipt.receipt_id}`,
      ...(receipt.expenseId ? [`${'Expense:'.padEnd(10)}${receipt.expenseId}`] : []),
      '',
      FOOTER,
    ].join('\n'),
  };
}

export async function replyMessage(reply: Reply, from: string, context: ReplyContext): Promise<Buffer> {
  const domain = from.split('@')[1] || 'expense-tracker.local';
  const mail = new MailComposer({
    from,
    to: context.to,
    subject: reply.subject,
    text: reply.text,
    messageId: `<receipt-reply.${reply.id.replace(/[^A-Za-z0-9.-]/g, '.')}@${domain}>`,
    ...(context.inReplyTo ? { inReplyTo: context.inReplyTo, references: [context.inReplyTo] } : {}),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Receipt-Reply-Id': reply.id },
  });
  return mail.compile().build();
}

/**
 * Sends a reply through SES. A recipient SES will not take (MessageRejected: in the SES
 * sandbox, only verified addresses receive mail) is logged and dropped: retrying cannot help,
 * and the receipt itself is unaffected. Anything else throws, so the caller's retry resends.
 */
export async function sendReply(
  ses: SESv2Client,
  from: string,
  reply: Reply,
  context: ReplyContext,
  log: (message: string, extra: Record<string, unknown>) => void,
): Promise<boolean> {
  const raw = await replyMessage(reply, from, context);
  try {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [context.to] },
        Content: { Raw: { Data: raw } },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name !== 'MessageRejected') throw error;
    log('reply not accepted by SES; dropped', { replyId: reply.id, error: (error as Error).message });
    return false;
  }
}
