import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { formatMoney } from '../shared/money.ts';
import { publishBudgetAlert } from '../shared/publish.ts';
import type { AlertDeliveryDeps, BudgetAlert } from './alert-delivery.ts';
import type { OwnerProfile } from './dynamo-adapters.ts';

/**
 * The two channels of a budget alert: a push to the owner's onBudgetAlert subscribers (the
 * IAM-signed publish mutation) and an email (HTML and text) through SES.
 */
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function alertEmail(alert: BudgetAlert, name: string | null) {
  const spent = formatMoney(alert.spent, alert.currency);
  const limit = formatMoney(alert.limit, alert.currency);
  const over = alert.spent > alert.limit;
  const subject = `${alert.budgetName}: ${alert.threshold} % of your budget used`;
  const headline = over ? `You are over your ${alert.budgetName} budget` : `You have used ${alert.threshold} % of your ${alert.budgetName} budget`;
  const detail = `${spent} spent of ${limit} between ${alert.periodStart} and ${alert.periodEnd}.`;
  const text = `${name ? `Hello ${name},\n\n` : ''}${headline}.\n${detail}\n\nYou get one alert per threshold per period; change thresholds in the budget's settings.`;
  const percent = Math.min(100, Math.round((alert.spent / Math.max(1, alert.limit)) * 100));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px 12px;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px"><tr><td style="padding:24px">
<div style="font-size:13px;letter-spacing:.05em;text-transform:uppercase;color:#6b7280">Smart Expense Tracker · budget alert</div>
<h1 style="font-size:20px;color:${over ? '#b91c1c' : '#111827'};margin:8px 0">${escapeHtml(headline)}</h1>
<p style="font-size:15px;color:#374151">${escapeHtml(detail)}</p>
<div style="background:#e5e7eb;border-radius:6px;height:14px;overflow:hidden"><div style="width:${percent}%;height:14px;background:${over ? '#dc2626' : alert.threshold >= 80 ? '#ea580c' : '#2563eb'}"></div></div>
<p style="font-size:12px;color:#9ca3af;margin-top:16px">One alert per threshold per period; change thresholds in the budget's settings.</p>
</td></tr></table></body></html>`;
  return { subject, text, html };
}

/**
 * The alert's Message-ID: the same for every (re)delivery of one alert, so a resend after a
 * crash between SES accepting it and the mark is recognisably the same message. SES replaces
 * a Message-ID it is given with its own (https://docs.aws.amazon.com/ses/latest/dg/header-fields.html),
 * so on AWS the X-Budget-Alert-Id header, which it keeps, is what carries the identity.
 */
export function alertMessageId(alert: BudgetAlert, sender: string): string {
  const domain = sender.split('@')[1] || 'expense-tracker.local';
  return `<budget-alert.${alert.owner}.${alert.id.replace(/[^A-Za-z0-9-]/g, '.')}@${domain}>`;
}

export async function alertMessage(alert: BudgetAlert, envelope: { from: string; to: string; name: string | null }): Promise<Buffer> {
  const email = alertEmail(alert, envelope.name);
  const mail = new MailComposer({
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: alertMessageId(alert, envelope.from),
    headers: { 'X-Budget-Alert-Id': alert.id },
  });
  return mail.compile().build();
}

export function createAlertChannels(ses: SESv2Client, sender: string, profile: (owner: string) => Promise<OwnerProfile | null>): Pick<AlertDeliveryDeps, 'push' | 'email'> {
  return {
    async push(alert) {
      await publishBudgetAlert(alert);
    },
    async email(alert) {
      const owner = await profile(alert.owner);
      if (!owner?.email) return;
      const raw = await alertMessage(alert, { from: sender, to: owner.email, name: owner.name ?? null });
      await ses.send(new SendEmailCommand({ FromEmailAddress: sender, Destination: { ToAddresses: [owner.email] }, Content: { Raw: { Data: raw } } }));
    },
  };
}
