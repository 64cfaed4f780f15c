import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { formatMoney, percentOf } from '../money.ts';
import { publishBudgetAlert } from '../publish.ts';
import type { AlertDeliveryDeps } from './alert-delivery.ts';
import type { OwnerProfile } from './dynamo-adapters.ts';
import type { BudgetAlert } from '../../../model/budgets.ts';

/**
 * The two channels of a budget alert: a push to the owner's onBudgetAlert subscribers (the
 * IAM-signed publish mutation) and an email (HTML and text) through SES.
 */
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const titleCase = (category: string) => category.charAt(0) + category.slice(1).toLowerCase();

const day = (date: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options }).format(new Date(`${date}T00:00:00Z`));

const SHORT_DAY = { day: 'numeric', month: 'short', year: 'numeric' } as const;

/** How the sentence names the period: "November 2026", "the week of 28 Dec 2026", "2026". */
export function periodLabel(alert: Pick<BudgetAlert, 'period' | 'periodStart'>): string {
  if (alert.period === 'MONTHLY') return day(alert.periodStart, { month: 'long', year: 'numeric' });
  if (alert.period === 'YEARLY') return alert.periodStart.slice(0, 4);
  return `the week of ${day(alert.periodStart, SHORT_DAY)}`;
}

export function alertEmail(alert: BudgetAlert, name: string | null) {
  const money = (minor: number) => formatMoney(minor, alert.currency);
  const over = alert.spent > alert.limit;
  const percentUsed = alert.limit > 0 ? percentOf(alert.spent, alert.limit) : null;
  const subject = `${alert.budgetName}: ${alert.threshold} % of your budget used`;
  const headline = over
    ? `You are over your ${alert.budgetName} budget`
    : `You have reached ${alert.threshold} % of your ${alert.budgetName} budget`;
  const period = periodLabel(alert);
  const facts: Array<[string, string]> = [
    ['Spent', `${money(alert.spent)}${percentUsed === null ? '' : ` (${percentUsed} %)`}`],
    ['Limit', money(alert.limit)],
    over ? ['Over by', money(alert.spent - alert.limit)] : ['Left', money(alert.limit - alert.spent)],
    ['Period', `${day(alert.periodStart, SHORT_DAY)} – ${day(alert.periodEnd, SHORT_DAY)}`],
    ['Category', alert.category ? titleCase(alert.category) : 'All spending'],
  ];
  const footer = `You get one alert per threshold per period; change thresholds in the budget's settings.`;
  const text = [
    ...(name ? [`Hello ${name},`, ''] : []),
    `${headline}: ${money(alert.spent)} spent of ${money(alert.limit)} in ${period}.`,
    '',
    ...facts.map(([label, value]) => `${`${label}:`.padEnd(10)}${value}`),
    '',
    footer,
  ].join('\n');

  const barPercent = Math.min(100, percentUsed ?? 100);
  const barColor = over ? '#dc2626' : alert.threshold >= 80 ? '#ea580c' : '#2563eb';
  const row = ([label, value]: [string, string]) =>
    `<tr><td style="padding:6px 0;color:#6b7280;font-size:14px;width:96px;vertical-align:top">${escapeHtml(label)}</td><td style="padding:6px 0;color:#111827;font-size:14px;font-weight:600">${escapeHtml(value)}</td></tr>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px 12px;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px">
<tr><td style="background:#1e3a8a;color:#ffffff;padding:16px 24px;border-radius:8px 8px 0 0;font-size:13px;line-height:1.5;letter-spacing:.05em;text-transform:uppercase">Smart Expense Tracker · budget alert</td></tr>
<tr><td style="padding:24px">
${name ? `<p style="margin:0 0 8px;font-size:15px;color:#374151">Hello ${escapeHtml(name)},</p>` : ''}
<h1 style="font-size:20px;line-height:1.3;color:${over ? '#b91c1c' : '#111827'};margin:0 0 16px">${escapeHtml(headline)}</h1>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin-bottom:12px;border-radius:6px;background:#e5e7eb"><tr>
<td width="${barPercent}%" style="height:14px;background:${barColor};border-radius:6px;font-size:0;line-height:0">&nbsp;</td>${barPercent < 100 ? '<td style="font-size:0;line-height:0">&nbsp;</td>' : ''}
</tr></table>
<p style="margin:0 0 16px;font-size:15px;color:#374151">${escapeHtml(`${money(alert.spent)} spent of ${money(alert.limit)} in ${period}.`)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" style="border-top:1px solid #e5e7eb;width:100%">${facts.map(row).join('')}</table>
<p style="font-size:12px;color:#9ca3af;margin:16px 0 0">${escapeHtml(footer)}</p>
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

export async function alertMessage(
  alert: BudgetAlert,
  envelope: { from: string; to: string; name: string | null },
): Promise<Buffer> {
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

export function createAlertChannels(
  ses: SESv2Client,
  sender: string,
  profile: (owner: string) => Promise<OwnerProfile | null>,
): Pick<AlertDeliveryDeps, 'push' | 'email'> {
  return {
    async push(alert) {
      await publishBudgetAlert(alert);
    },
    async email(alert) {
      const owner = await profile(alert.owner);
      if (!owner?.email) return;
      const raw = await alertMessage(alert, { from: sender, to: owner.email, name: owner.name ?? null });
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: sender,
          Destination: { ToAddresses: [owner.email] },
          Content: { Raw: { Data: raw } },
        }),
      );
    },
  };
}
