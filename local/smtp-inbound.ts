import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { FORWARDING_LOCAL_PART_PREFIX, inboundObjectKey, MAX_INBOUND_MESSAGE_BYTES } from '../model/inbound-email.ts';

/**
 * SES email receiving, locally: an SMTP listener (npm smtp-server) for the forwarding domain.
 * Like SES with a receipt rule whose actions are "store in S3 under inbound/, then invoke the
 * function", it writes each message whole to the local S3 under the same prefix and invokes
 * InboundEmailFn (asynchronously) with an SES receipt event naming it: the same function
 * handles it, from the same bytes, as on AWS.
 *
 * What SES refuses during the SMTP conversation is refused here with SMTP codes: recipients
 * outside the forwarding domain (550 5.1.1), messages over the size limit (552 5.3.4), mail an
 * upstream filter marked as spam (`X-Spam-Flag: YES`, 550 5.7.1; SES's own scanner is not
 * emulated, so its verdicts are DISABLED) and messages without a header section or a From
 * (554 5.6.0). There is no DNS here, so SPF, DKIM and DMARC are DISABLED too and the function
 * runs with INBOUND_REQUIRE_SENDER_AUTH=false: it takes the From as given. No TLS, no AUTH:
 * it listens on the loopback address for this machine's own clients.
 */
export interface LocalSmtpInbound {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface LocalSmtpInboundOptions {
  host: string;
  port: number;
  domain: string;
  bucket: string;
  s3: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  region: string;
  /** Hands the receipt event to the function (an asynchronous invocation). */
  deliver(event: SESEvent): Promise<void>;
  maxMessageBytes?: number;
  log?: (line: string) => void;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An SES message id: 40 lower-case letters and digits, as SES's are. */
function sesMessageId(): string {
  return randomBytes(20).toString('hex');
}

/** The receipt event SES gives a Lambda action (docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html). */
export function sesReceiptEvent(input: {
  messageId: string;
  timestamp: Date;
  source: string;
  recipients: string[];
  headers: Array<{ name: string; value: string }>;
  commonHeaders: SESEvent['Records'][number]['ses']['mail']['commonHeaders'];
  functionArn: string;
}): SESEvent {
  const disabled = { status: 'DISABLED' as const };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: input.timestamp.toISOString(),
            source: input.source,
            messageId: input.messageId,
            destination: input.recipients,
            headersTruncated: false,
            headers: input.headers,
            commonHeaders: input.commonHeaders,
          },
          receipt: {
            timestamp: input.timestamp.toISOString(),
            processingTimeMillis: 0,
            recipients: input.recipients,
            spamVerdict: disabled,
            virusVerdict: disabled,
            spfVerdict: disabled,
            dkimVerdict: disabled,
            dmarcVerdict: disabled,
            action: { type: 'Lambda', functionArn: input.functionArn, invocationType: 'Event' },
          },
        },
      },
    ],
  } as unknown as SESEvent;
}

export async function startLocalSmtpInbound(options: LocalSmtpInboundOptions): Promise<LocalSmtpInbound> {
  const domain = options.domain.toLowerCase();
  const maxBytes = options.maxMessageBytes ?? MAX_INBOUND_MESSAGE_BYTES;
  // The parser and the S3 client load with the first message, not before npm start is ready (~2 s of imports).
  let storage: Promise<{ s3: S3Client; PutObjectCommand: typeof PutObjectCommand }> | undefined;
  const s3Storage = () =>
    (storage ??= import('@aws-sdk/client-s3').then(({ S3Client, PutObjectCommand }) => ({
      s3: new S3Client({
        endpoint: options.s3.endpoint,
        region: options.s3.region,
        credentials: options.s3.credentials,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
      }),
      PutObjectCommand,
    })));

  async function accept(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const raw = await readAll(stream);
    if (stream.sizeExceeded)
      throw smtpError(552, `5.3.4 Message size exceeds the fixed maximum message size (${maxBytes} bytes)`);
    const headerEnd = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
    if (headerEnd <= 0) throw smtpError(554, '5.6.0 Malformed message: no header section');
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw.subarray(0, headerEnd + 2), { skipHtmlToText: true, skipTextToHtml: true });
    const from = parsed.from?.value.find((a) => a.address)?.address;
    if (!from) throw smtpError(554, '5.6.0 Malformed message: no From address');
    const spamFlag = String(parsed.headers.get('x-spam-flag') ?? parsed.headers.get('x-spam-status') ?? '');
    if (/^\s*yes\b/i.test(spamFlag)) throw smtpError(550, '5.7.1 Message rejected as spam');

    const id = sesMessageId();
    const timestamp = new Date();
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
    // As SES stores it: its own trace headers first, then the message as received.
    const stored = Buffer.concat([
      Buffer.from(
        `Return-Path: <${envelopeFrom}>\r\nReceived: from ${session.clientHostname} (${session.remoteAddress}) by local-smtp-inbound with SMTP id ${id} for ${recipients.join(', ')}; ${timestamp.toUTCString()}\r\nX-SES-Spam-Verdict: DISABLED\r\nX-SES-Virus-Verdict: DISABLED\r\n`,
      ),
      raw,
    ]);
    const { s3, PutObjectCommand } = await s3Storage();
    await s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: inboundObjectKey(id),
        Body: stored,
        ContentType: 'message/rfc822',
      }),
    );
    const headers = parsed.headerLines.map((line) => ({
      name: line.key,
      value: line.line.slice(line.line.indexOf(':') + 1).trim(),
    }));
    await options.deliver(
      sesReceiptEvent({
        messageId: id,
        timestamp,
        source: envelopeFrom,
        recipients,
        headers,
        commonHeaders: {
          returnPath: envelopeFrom,
          from: [String(parsed.headers.get('from') ? (parsed.from?.text ?? from) : from)],
          to: parsed.to ? [Array.isArray(parsed.to) ? parsed.to.map((t) => t.text).join(', ') : parsed.to.text] : [],
          date: parsed.date?.toUTCString() ?? timestamp.toUTCString(),
          messageId: parsed.messageId ?? '',
          subject: parsed.subject ?? '',
        },
        functionArn: `arn:aws:lambda:${options.region}:000000000000:function:InboundEmailFn`,
      }),
    );
    return id;
  }

  const server = new SMTPServer({
    name: 'local-smtp-inbound',
    banner: 'Smart Expense Tracker receipts (local SES receiving)',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      const [local, host] = address.address.toLowerCase().split('@');
      if (host !== domain || !local?.startsWith(FORWARDING_LOCAL_PART_PREFIX))
        return callback(
          smtpError(550, `5.1.1 Recipient address rejected: ${address.address} is not a forwarding address here`),
        );
      callback();
    },
    onData(stream, session, callback) {
      accept(stream, session).then(
        (id) => callback(null, `Ok ${id}`),
        (error: Error & { responseCode?: number }) => {
          if (!error.responseCode) options.log?.(`[smtp] message not stored: ${error.message}`);
          callback(error.responseCode ? error : smtpError(451, '4.3.0 Temporary failure; try again later'));
        },
      );
    },
  });
  server.on('error', (error) => options.log?.(`[smtp] ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${options.host}:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
