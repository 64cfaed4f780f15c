import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { formatMoney } from '../shared/money.ts';
import { publishBudgetAlert } from '../shared/publish.ts';
import type { BudgetAlert } from './core.ts';

/**
 * A budget alert, delivered twice: pushed to the owner's onBudgetAlert subscribers (the
 * IAM-signed publish mutation) and emailed (HTML and text) through SES.
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

export function createAlertNotifier(ses: SESv2Client, sender: string, profile: (owner: string) => Promise<{ email?: string; name?: string } | null>) {
  return async (alert: BudgetAlert): Promise<void> => {
    const owner = await profile(alert.owner);
    await publishBudgetAlert(alert);
    if (!owner?.email) return;
    const email = alertEmail(alert, owner.name ?? null);
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: sender,
        Destination: { ToAddresses: [owner.email] },
        Content: { Simple: { Subject: { Data: email.subject }, Body: { Text: { Data: email.text }, Html: { Data: email.html } } } },
      }),
    );
  };
}
