import { describe, expect, it } from 'vitest';
import { alertEmail, alertMessage, alertMessageId } from '../../../../../functions/shared/budgets/notify.ts';
import { readMimeMessage } from '../../../../../local/ses-outbox.ts';
import type { BudgetAlert } from '../../../../../model/budgets.ts';

const alert = (over: Partial<BudgetAlert> = {}): BudgetAlert => ({
  id: 'DINING-MONTHLY:2026-11-01:80',
  owner: 'user-1',
  budgetId: 'DINING-MONTHLY',
  budgetName: 'Eating out',
  category: 'DINING',
  period: 'MONTHLY',
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  threshold: 80,
  spent: 8250,
  limit: 10000,
  currency: 'EUR',
  firedAt: '2026-11-24T10:00:00.000Z',
  ...over,
});
/** The HTML as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
const visibleText = (html: string) =>
  html
    .replace(/<title>.*?<\/title>/s, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

describe('alert email', () => {
  it('given an 80 % alert, then the HTML and the text both say the budget, threshold, spent, limit, what is left and the period, in euros', () => {
    const email = alertEmail(alert(), 'Ada');
    expect(email.subject).toBe('Eating out: 80 % of your budget used');
    const expected = [
      'Hello Ada,',
      'You have reached 80 % of your Eating out budget',
      '€82.50 spent of €100.00 in November 2026.',
      '€82.50 (82.5 %)',
      '€17.50',
      '1 Nov 2026 – 30 Nov 2026',
      'Dining',
    ];
    for (const body of [email.text, visibleText(email.html)]) for (const part of expected) expect(body).toContain(part);
    expect(email.text).toContain('Left:     €17.50');
    expect(email.text).toContain('Limit:    €100.00');
  });

  it('given spending over the limit, then both bodies say by how much, in the budget currency with its own minor unit', () => {
    const email = alertEmail(
      alert({
        id: 'ALL-WEEKLY:2026-12-28:100',
        budgetName: 'Everything',
        category: null,
        period: 'WEEKLY',
        periodStart: '2026-12-28',
        periodEnd: '2027-01-03',
        threshold: 100,
        spent: 12500,
        limit: 10000,
        currency: 'JPY',
      }),
      null,
    );
    for (const body of [email.text, visibleText(email.html)]) {
      for (const part of [
        'You are over your Everything budget',
        '¥12,500 spent of ¥10,000 in the week of 28 Dec 2026.',
        '¥2,500',
        '28 Dec 2026 – 3 Jan 2027',
        'All spending',
      ])
        expect(body).toContain(part);
      expect(body).not.toContain('Hello');
    }
    expect(email.text).toContain('Over by:  ¥2,500');
  });

  it('given a budget name with markup, then the HTML shows it as text', () => {
    const email = alertEmail(alert({ budgetName: '<b>Food & "fun"</b>' }), '<Ada>');
    expect(email.html).not.toContain('<b>Food');
    expect(visibleText(email.html)).toContain('You have reached 80 % of your <b>Food & "fun"</b> budget');
    expect(visibleText(email.html)).toContain('Hello <Ada>,');
  });

  it('given the same alert twice, then the MIME message has the same Message-ID and alert id header, with both bodies', async () => {
    const envelope = { from: 'alerts@example.org', to: 'ada@example.com', name: 'Ada' };
    const [first, again] = await Promise.all([alertMessage(alert(), envelope), alertMessage(alert(), envelope)]);
    const [a, b] = [readMimeMessage(first.toString('utf8')), readMimeMessage(again.toString('utf8'))];
    expect(a.headers['message-id']).toBe('<budget-alert.user-1.DINING-MONTHLY.2026-11-01.80@example.org>');
    expect(b.headers['message-id']).toBe(a.headers['message-id']);
    expect(a.headers['x-budget-alert-id']).toBe('DINING-MONTHLY:2026-11-01:80');
    expect(a.text).toContain('€82.50 spent of €100.00 in November 2026.');
    expect(a.html).toContain('Eating out');
    expect(alertMessageId(alert({ owner: 'user-2' }), envelope.from)).not.toBe(a.headers['message-id']);
  });
});
