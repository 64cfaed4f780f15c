import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { SESEvent, SESEventRecord } from 'aws-lambda';
import { INBOUND_KEY_PREFIX, inboundObjectKey, MAX_INBOUND_MESSAGE_BYTES } from '../../model/inbound-email.ts';
import { dynamoDocumentClient, s3Client, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { derivedUlid } from '../shared/derived-ids.ts';
import { sendReply } from '../shared/email-replies.ts';
import { wasmImageConverter } from '../shared/image-conversion.ts';
import { retentionDaysReader } from '../shared/image-retention.ts';
import { functionObservability } from '../shared/observability.ts';
import { storeReceiptFile } from '../shared/receipt-intake.ts';
import { createS3ReceiptObjects } from '../shared/receipt-objects.ts';
import { createDynamoReceiptRepository } from '../shared/receipt-repository.ts';
import { receiveEmail, type InboundEmailDeps, type InboundMessage, type VerdictStatus } from './core.ts';
import { createForwardingOwners, createMessageRecords } from './dynamo-adapters.ts';
import { parseMessage } from './mime.ts';

const { logger, count, instrument } = functionObservability('inbound-email');

let deps: InboundEmailDeps | undefined;
function inboundDeps(): InboundEmailDeps {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  const bucket = config.receiptsBucket;
  const repository = createDynamoReceiptRepository(db, {
    receipts: tableName('Receipts'),
    expenses: tableName('Expenses'),
    history: tableName('History'),
  });
  const intake = {
    repository,
    objects: createS3ReceiptObjects(s3Client(), bucket),
    images: wasmImageConverter(),
    now: () => new Date(),
    maxBytes: config.maxReceiptBytes,
    retentionDaysOf: retentionDaysReader(dynamoDocumentClient(), tableName('Users')),
  };
  deps = {
    objects: {
      async get(key) {
        try {
          const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return await out.Body!.transformToByteArray();
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchKey') return null;
          throw error;
        }
      },
      // The bucket is versioned: every version goes, or the message would stay behind its delete marker.
      delete: (key) => intake.objects.deleteAllVersions(key),
    },
    parse: parseMessage,
    owners: createForwardingOwners(db, tableName('Users')),
    messages: createMessageRecords(db, tableName('Receipts')),
    storeReceipt: (owner, receiptId, file, extras) => storeReceiptFile(intake, owner, receiptId, file, extras),
    async reply(reply, context) {
      if (await sendReply(sesClient(), config.senderEmail, reply, context, (m, e) => logger.warn(m, e)))
        count('inboundRepliesSent');
    },
    receiptId: (receivedAt, seed) => derivedUlid(Date.parse(receivedAt), seed),
    log: { info: (m, e) => logger.info(m, e ?? {}), warn: (m, e) => logger.warn(m, e ?? {}) },
    requireSenderAuthentication: config.inboundRequireSenderAuth,
    maxMessageBytes: MAX_INBOUND_MESSAGE_BYTES,
    maxReceiptBytes: config.maxReceiptBytes,
  };
  return deps;
}

const status = (verdict: { status?: string } | undefined): VerdictStatus =>
  (verdict?.status as VerdictStatus | undefined) ?? 'DISABLED';

/** An SES receipt event record as intake reads it: where SES's S3 action stored the message, and its verdicts. */
export function inboundMessageOf(record: SESEventRecord): InboundMessage {
  const { mail, receipt } = record.ses;
  return {
    sesMessageId: mail.messageId,
    objectKey: inboundObjectKey(mail.messageId),
    receivedAt: new Date(Date.parse(mail.timestamp) || Date.now()).toISOString(),
    recipients: receipt.recipients.map((r) => r.toLowerCase()),
    verdicts: {
      spam: status(receipt.spamVerdict),
      virus: status(receipt.virusVerdict),
      spf: status(receipt.spfVerdict),
      dkim: status(receipt.dkimVerdict),
      dmarc: status(receipt.dmarcVerdict),
    },
  };
}

/**
 * InboundEmailFn: SES's receipt rule stores the message under inbound/ (its S3 action), then
 * invokes this with the receipt event (its Lambda action, asynchronously). A failure throws, so
 * Lambda retries the event; receiveEmail resumes where it stopped.
 */
async function handleInboundEmail(event: SESEvent): Promise<{ handled: number }> {
  const records = (event?.Records ?? []).filter((r) => r?.eventSource === 'aws:ses' && r.ses?.mail?.messageId);
  for (const record of records) {
    const message = inboundMessageOf(record);
    logger.appendKeys({ sesMessageId: message.sesMessageId });
    if (!message.objectKey.startsWith(INBOUND_KEY_PREFIX)) continue;
    const outcome = await receiveEmail(inboundDeps(), message);
    count(outcome.kind === 'accepted' ? 'inboundMessagesAccepted' : 'inboundMessagesRefused');
    logger.info('inbound message handled', { outcome: outcome.kind });
  }
  return { handled: records.length };
}

export const handler = instrument(handleInboundEmail, (event) => event?.Records?.[0]?.ses?.mail?.messageId);
