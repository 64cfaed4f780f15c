/**
 * Receipts by email. Each user may have one private forwarding address, `r-<token>@<domain>`
 * (the token 128 random bits: unguessable, replaced by a new one on rotation, removed on
 * revocation), kept on the Users item as `forwardingAddress` and found again through the
 * sparse `forwarding-address-index`. Mail is accepted only from the user's sign-in email and
 * the extra senders they confirmed with a code (at most MAX_FORWARDING_SENDERS).
 *
 * SES (on AWS) and the local SMTP listener (local/smtp-inbound.ts) store each message whole
 * under INBOUND_KEY_PREFIX in the receipts bucket and hand InboundEmailFn an SES receipt
 * event naming it; the function turns its attachments (or its HTML/text body) into receipts.
 */

/** Where raw inbound messages are written (SES S3 action `objectKeyPrefix`; the local listener too). */
export const INBOUND_KEY_PREFIX = 'inbound/';

/** Local part prefix of forwarding addresses: tells them apart from any other address at the domain. */
export const FORWARDING_LOCAL_PART_PREFIX = 'r-';

/** Extra sender addresses a user may confirm beside the sign-in email. */
export const MAX_FORWARDING_SENDERS = 5;

/** A sender confirmation code is valid this long, and this many wrong tries end it. */
export const SENDER_CODE_TTL_MINUTES = 30;
export const SENDER_CODE_MAX_ATTEMPTS = 5;

/** Largest message taken (SES receives up to 40 MB; attachments are then held to the receipt limit one by one). */
export const MAX_INBOUND_MESSAGE_BYTES = 25 * 1024 * 1024;

/** Receipts one message may create; more attachments are skipped (and said so in the reply). */
export const MAX_RECEIPTS_PER_MESSAGE = 10;

/** The object key SES's S3 action writes a message under: the prefix, then SES's message id. */
export function inboundObjectKey(sesMessageId: string): string {
  return `${INBOUND_KEY_PREFIX}${sesMessageId}`;
}

/** An extra sender address the user added: confirmed once `confirmedAt` is set. */
export interface ForwardingSender {
  email: string;
  addedAt: string;
  confirmedAt?: string | null;
  /** Hex SHA-256 of the pending code (never the code itself); removed once confirmed. */
  codeSha256?: string | null;
  codeExpiresAt?: string | null;
  codeAttempts?: number;
}

/** The `User.forwardingSenders` of a Users item: the stored senders without their codes. */
export function forwardingSendersOf(
  senders: ForwardingSender[] | null | undefined,
): Array<{ email: string; confirmed: boolean; addedAt: string }> {
  return (senders ?? []).map((sender) => ({
    email: sender.email,
    confirmed: !!sender.confirmedAt,
    addedAt: sender.addedAt,
  }));
}
