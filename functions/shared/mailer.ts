import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/** A plain-text email with our own Message-ID. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string; messageId: string }): Promise<void>;
}

/** Plain-text emails through SES, with our own Message-ID (a resend carries the same one; SES may replace it, X-Account-Message-Id keeps it). */
export function createMailer(ses: SESv2Client, sender: string): Mailer {
  return {
    async send({ to, subject, text, messageId }) {
      const raw = await new MailComposer({
        from: sender,
        to,
        subject,
        text,
        messageId,
        headers: { 'X-Account-Message-Id': messageId },
      })
        .compile()
        .build();
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: sender,
          Destination: { ToAddresses: [to] },
          Content: { Raw: { Data: raw } },
        }),
      );
    },
  };
}
