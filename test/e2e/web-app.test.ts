import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { drawReceiptJpeg } from '../support/drawn-receipts.ts';
import { launchHeadlessChromium, screenshotOf } from '../support/headless-chromium.ts';
import { createSavedTextract, type SavedTextract } from '../support/saved-textract.ts';
import { totpCode } from '../../local/cognito/totp.ts';
import { givenRunningStack, givenSignedInUser, graphql, PASSWORD, verificationCodeFor } from './steps.ts';

/**
 * The web app as a person uses it, in headless Chromium at a phone's width and a desktop's:
 * sign up, confirm with the emailed code (from the outbox), upload receipts (one while offline,
 * which waits and resumes), watch them processed live, fix the one the reader was unsure of,
 * create a budget and see its alert arrive, open the month's report and download its CSV. Every
 * page is checked with axe-core (no serious or critical violation, light and dark), and the
 * browser console stays free of errors (CSP violations included). Textract answers from a saved
 * real response (the second receipt's merchant read with low confidence), so OCR is instant.
 *
 * WEB_SCREENSHOTS=DIR keeps a screenshot of each main screen (docs/screenshots is made so).
 */
const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = process.env.WEB_SCREENSHOTS;

let stack: LocalStack;
let stopStack: () => Promise<void>;
let browser: Browser;
let textract: SavedTextract;

const VIEWPORTS = {
  phone: { viewport: { width: 360, height: 740 }, locale: 'en-GB', timezoneId: 'Europe/London', isMobile: true },
  desktop: { viewport: { width: 1280, height: 860 }, locale: 'de-DE', timezoneId: 'Europe/Berlin', isMobile: false },
} as const;
/** Amounts as each browser's locale writes them: one receipt, and the two together. */
const AMOUNTS = { phone: ['1,810.46', '3,620.92'], desktop: ['1.810,46', '3.620,92'] } as const;

beforeAll(async () => {
  // Every second AnalyzeExpense answer reads the merchant with low confidence: that receipt needs review.
  textract = createSavedTextract({
    timezone: 'Europe/London',
    rewrite: (response, call) =>
      call % 2 === 0
        ? response.replaceAll('99.97384643554688', '40.0').replaceAll('99.68257904052734', '38.0')
        : response,
  });
  ({ stack, stop: stopStack } = await givenRunningStack('web', { extraRoutes: async () => [textract.route] }));
  await stack.webApp;
  ({ browser } = await launchHeadlessChromium());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopStack?.();
});

interface Visit {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  graphqlOperations: string[];
}

async function openApp(kind: keyof typeof VIEWPORTS): Promise<Visit> {
  // The local API's wss:// certificate is from the stack's own CA: this test browser takes it.
  const context = await browser.newContext({ ...VIEWPORTS[kind], ignoreHTTPSErrors: true, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const graphqlOperations: string[] = [];
  // With where it came from: for a failed request, the URL the browser names. Chromium's own line for a request
  // cut by the journey's deliberate offline spell is left out (the app queues and retries).
  page.on('console', (message) => {
    if (message.type() !== 'error' || message.text().includes('net::ERR_INTERNET_DISCONNECTED')) return;
    consoleErrors.push(`${message.text()}${message.location().url ? ` @ ${message.location().url}` : ''}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST')
      graphqlOperations.push(
        /^\s*(?:query|mutation)\s+(\w+)/.exec(JSON.parse(request.postData() ?? '{}').query)?.[1] ?? '?',
      );
  });
  await page.goto(stack.urls.app);
  return { page, context, consoleErrors, graphqlOperations };
}

/** Then, within 10 s: what `read` gives passes `check` (the page updates asynchronously). */
const soon = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });
const textOf = (locator: Locator) => () => locator.innerText();

/** axe-core on the page as it is: no serious or critical violation. */
async function expectAccessible(page: Page, where: string) {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const browser = globalThis as unknown as { axe: { run(context: unknown): Promise<any> }; document: unknown };
    const result = await browser.axe.run(browser.document);
    return (result.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>)
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `accessibility of ${where}`).toEqual([]);
}

async function screenshot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  const png = await screenshotOf(page, { fullPage: false });
  // Committed small: a 64-colour palette keeps each screen a few tens of KB.
  await sharp(png)
    .png({ palette: true, colours: 64, compressionLevel: 9 })
    .toFile(path.join(SCREENSHOTS, `${name}.png`));
}

async function signUpAndConfirm(page: Page, email: string) {
  await page.waitForURL('**/sign-in');
  await expectAccessible(page, 'sign in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  // Screens load as their own chunks: the one before stays shown until the new one is there.
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await expectAccessible(page, 'sign up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Confirm your email' }).waitFor();
  expect(await page.getByRole('link', { name: 'outbox' }).getAttribute('href')).toBe(stack.urls.outbox);
  await page.getByLabel('Code').fill(await verificationCodeFor(stack, email));
  await expectAccessible(page, 'confirm');
  await page.getByRole('button', { name: 'Confirm' }).click();
  // Signed in straight away (Amplify's autoSignIn), on the receipts screen.
  await page.getByRole('heading', { level: 1, name: 'Receipts' }).waitFor();
}

/** A receipt the tests draw, different per name so no upload is a duplicate of another. */
async function receiptFile(name: string) {
  const buffer = await drawReceiptJpeg({ lines: ['MEGA MARKET PLUS', name, 'TOTAL  $1810.46'] }, { scale: 1 });
  return { name: `${name}.jpg`, mimeType: 'image/jpeg', buffer };
}

const journey = (kind: keyof typeof VIEWPORTS) => inBrowser(kind, (visit) => steps(kind, visit));

/** Runs `run` in a new browser context; when it fails, the error shows the page and the console. */
async function inBrowser(kind: keyof typeof VIEWPORTS, run: (visit: Visit) => Promise<void>) {
  const visit = await openApp(kind);
  try {
    await run(visit);
  } catch (error) {
    // What the person would have seen when it went wrong.
    const seen = await visit.page
      .locator('body')
      .innerText()
      .catch(() => '');
    throw new Error(
      `${(error as Error).message}\n--- page at ${visit.page.url()} ---\n${seen}\n--- console errors ---\n${visit.consoleErrors.join('\n')}`,
      { cause: error },
    );
  } finally {
    await visit.context.close();
  }
}

async function steps(kind: keyof typeof VIEWPORTS, visit: Visit) {
  const { page } = visit;
  const email = `${kind}-${Date.now()}@example.com`;

  // Account: sign up, confirm with the emailed code; the profile starts from the browser's locale and zone.
  await signUpAndConfirm(page, email);
  await expectAccessible(page, 'receipts');
  await screenshot(page, `${kind}-receipts-empty`);

  // Capture: a photo from the camera input on the phone, a file picked on the desktop; processed live.
  const firstName = `${kind}-first`;
  await page.locator(kind === 'phone' ? '#camera' : '#files').setInputFiles(await receiptFile(firstName));
  const first = page.locator('li.receipt').filter({ hasText: 'MEGA MARKET PLUS' }).first();
  await expect.poll(() => first.locator('.status').textContent(), { timeout: 30_000 }).toBe('Done');
  await soon(textOf(first)).toContain(AMOUNTS[kind][0]);

  // Offline: the second receipt waits in the queue, then uploads by itself when the network is back.
  await visit.context.setOffline(true);
  await page.locator('#files').setInputFiles(await receiptFile(`${kind}-second`));
  await soon(textOf(page.locator('.queue-item'))).toContain('Waiting for a connection');
  await visit.context.setOffline(false);
  const needsReview = page.locator('li.receipt.needs_review');
  await needsReview.waitFor({ timeout: 30_000 });
  await soon(() => page.locator('.queue-item').count()).toBe(0);
  // Live means pushed: the list was read once, the receipts' new states came by onReceiptProcessed.
  expect(visit.graphqlOperations.filter((op) => op === 'ListReceipts')).toHaveLength(1);
  await page.getByRole('link', { name: /Review\s*1\s*to review/ }).waitFor();
  await expectAccessible(page, 'receipts with uploads');
  await screenshot(page, `${kind}-receipts`);

  // Review: the doubtful merchant has the focus and its confidence shown; fix, Enter confirms.
  await needsReview.getByRole('link', { name: 'Review' }).click();
  await page.getByRole('heading', { level: 1, name: 'Review' }).waitFor();
  const merchant = page.getByLabel(/^Merchant/);
  await soon(() => merchant.evaluate((input) => input === (globalThis as any).document.activeElement)).toBe(true);
  await soon(textOf(page.locator('label', { hasText: 'Merchant' }).locator('.confidence.low'))).toMatch(/^\d+% sure$/);
  await page.locator('.review-image img').waitFor();
  await expectAccessible(page, 'review');
  await screenshot(page, `${kind}-review`);
  await merchant.fill('Mega Market');
  await merchant.press('Enter');
  await page.getByText('Nothing to review').waitFor();

  // Expenses: both, the fixed one under its new name; its receipt image on demand.
  await page.getByRole('link', { name: 'Expenses' }).click();
  await page.getByRole('heading', { level: 1, name: 'Expenses' }).waitFor();
  const fixed = page.locator('li.expense').filter({ hasText: 'Mega Market' }).filter({ hasNotText: 'PLUS' });
  await fixed.waitFor();
  await soon(() => page.locator('li.expense').count()).toBe(2);
  await fixed.getByRole('button', { name: 'Receipt' }).click();
  await fixed.locator('img').waitFor();
  await expectAccessible(page, 'expenses');
  await screenshot(page, `${kind}-expenses`);

  // Budgets: 100 USD for all spending this month; 1,810.46 USD is past every threshold, so alerts arrive at once.
  await page.getByRole('link', { name: 'Budgets' }).click();
  await page.getByRole('heading', { level: 1, name: 'Budgets' }).waitFor();
  await page.getByRole('button', { name: 'New budget' }).click();
  await page.getByLabel('Limit', { exact: true }).fill('100');
  await page.getByLabel('Currency', { exact: true }).fill('USD');
  await expectAccessible(page, 'new budget dialog');
  await page.getByRole('button', { name: 'Save budget' }).click();
  const toasts = page.locator('.toast');
  await toasts.filter({ hasText: '100% of the budget used' }).waitFor({ timeout: 15_000 });
  const ids = await toasts.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-toast-id')));
  expect(new Set(ids).size).toBe(ids.length);
  await soon(textOf(page.locator('li.budget .state'))).toBe('Over budget');
  await expectAccessible(page, 'budgets with alerts');
  await screenshot(page, `${kind}-budgets`);
  const dismiss = page.getByRole('button', { name: /^Dismiss/ });
  while ((await dismiss.count()) > 0) await dismiss.first().click();

  // Reports: this month's, with its charts; the CSV downloads.
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.locator('.chart svg').first().waitFor();
  await soon(textOf(page.locator('.figures'))).toContain(AMOUNTS[kind][1]);
  await expectAccessible(page, 'reports');
  await screenshot(page, `${kind}-reports`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const csv = await readFile((await download.path())!, 'utf8');
  expect(csv.split(/\r?\n/)[0]).toMatch(/^date,merchant,category,amount,currency/);
  expect(csv).toContain('Mega Market,');
  expect(csv).toContain('1810.46,USD');
  // The report by email, then listed among the reports sent (its email file a link away).
  await page.getByRole('button', { name: 'Email me this report' }).click();
  await soon(textOf(page.locator('.report-actions'))).toContain(`on its way to ${email}`);
  await page.locator('.past-reports li a').first().waitFor();

  // Settings: the profile came from the browser (de-DE in Berlin → EUR, Europe/Berlin, day first).
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const expected = kind === 'phone' ? ['GBP', 'Europe/London'] : ['EUR', 'Europe/Berlin'];
  await soon(() => page.getByLabel('Home currency').inputValue()).toBe(expected[0]);
  await soon(() => page.getByLabel('Timezone').inputValue()).toBe(expected[1]);
  await soon(() => page.getByLabel('Dates on your receipts').inputValue()).toBe('DMY');
  await expectAccessible(page, 'settings');

  // Dark mode: the same checks (contrast above all) on the busiest screens.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'settings, dark');
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.locator('.chart svg').first().waitFor();
  await expectAccessible(page, 'reports, dark');
  await screenshot(page, `${kind}-reports-dark`);

  // Signed out, then back in with the password: the receipts are there.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('li.receipt').first().waitFor();
  expect(await page.locator('li.receipt').count()).toBe(2);
  expect(visit.consoleErrors).toEqual([]);
}

/** The access token the app keeps (Amplify's localStorage), to act as the same user on "another device". */
async function accessTokenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const storage = (globalThis as any).localStorage as { getItem(key: string): string | null };
    const key = Object.keys(storage).find((k) => k.endsWith('.accessToken'))!;
    return storage.getItem(key)!;
  });
}

async function accountAndEditing() {
  const visit = await openApp('desktop');
  const { page } = visit;
  const email = `account-${Date.now()}@example.com`;
  try {
    await signUpAndConfirm(page, email);

    // An expense typed in, then edited while another device changes it: the conflict is explained,
    // the edit kept, and saving again keeps both changes.
    await page.getByRole('link', { name: 'Expenses' }).click();
    await page.getByRole('heading', { level: 1, name: 'Expenses' }).waitFor();
    await page.getByRole('button', { name: 'Add expense' }).click();
    await page.getByLabel('Merchant').fill('Corner Café');
    await page.getByLabel('Amount', { exact: true }).fill('12,50');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('li.expense').filter({ hasText: 'Corner Café' });
    await soon(textOf(row)).toContain('12,50');
    const id = (await row.getAttribute('data-expense-id'))!;

    await row.getByRole('button', { name: 'Edit Corner Café' }).click();
    await page.getByLabel('Amount', { exact: true }).fill('13,80');
    const elsewhere = await graphql(
      stack.urls.graphql,
      'mutation($input: UpdateExpenseInput!) { updateExpense(input: $input) { version } }',
      { input: { id, expectedVersion: 1, note: 'from the phone' } },
      await accessTokenOf(page),
    );
    expect(elsewhere.body.errors).toBeUndefined();
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog');
    await soon(textOf(dialog)).toContain('was changed somewhere else');
    await soon(textOf(dialog)).toContain('note: from the phone');
    expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('13,80');
    await expectAccessible(page, 'expense conflict');
    await page.getByRole('button', { name: 'Save' }).click();
    await soon(textOf(row)).toContain('13,80');
    await soon(textOf(row)).toContain('from the phone');

    // Deleted after a confirmation.
    await row.getByRole('button', { name: 'Delete Corner Café' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await soon(() => row.count()).toBe(0);

    // Two-step sign-in: the key shown goes into an authenticator (here, the RFC 6238 code of it).
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    const secret = (await page.getByLabel('Secret key').innerText()).replace(/\s+/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(secret, Date.now()));
    await expectAccessible(page, 'two-step setup');
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByText('It is on.').waitFor();

    // Forgot password: a code by email, a new password; then sign-in asks for the app's code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const codesBefore = await verificationCodeFor(stack, email);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByLabel('New password').waitFor();
    await soon(() => verificationCodeFor(stack, email)).not.toBe(codesBefore);
    await page.getByLabel('Code', { exact: true }).fill(await verificationCodeFor(stack, email));
    await page.getByLabel('New password').fill(`${PASSWORD}2`);
    await expectAccessible(page, 'reset password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password was changed').waitFor();
    await page.getByLabel('Password').fill(`${PASSWORD}2`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The next step's code: each code is taken once.
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, Date.now() + 30_000));
    await expectAccessible(page, 'sign in, authenticator code');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Receipts' }).waitFor();
    expect(visit.consoleErrors).toEqual([]);
  } finally {
    await visit.context.close();
  }
}

/** A small bank export: two card payments and a salary (money in), one memo column the mapping leaves out. */
const STATEMENT_CSV = [
  'Date,Payee,Memo,Amount',
  '2026-11-02,Corner Bakery,Card 4411,-12.40',
  '2026-11-03,Acme Payroll,Salary November,2500.00',
  '2026-11-04,City Books,Card 4411,-23.99',
  '',
].join('\n');

/**
 * The data screens: a CSV statement uploaded, previewed, its columns mapped and imported, the
 * report read and the expenses it made listed; an expense's change history; the forwarding
 * address and a confirmed extra sender; the retention of receipt images; the archive of all data.
 */
function dataJourney(kind: keyof typeof VIEWPORTS) {
  return inBrowser(kind, async (visit) => {
    const { page } = visit;
    const email = `data-${kind}-${Date.now()}@example.com`;
    await signUpAndConfirm(page, email);

    // Import: upload, preview with the proposed mapping, the description narrowed to the payee, imported.
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import a statement' }).waitFor();
    await expectAccessible(page, 'import');
    await page.getByLabel('Statement file').setInputFiles({
      name: 'everyday.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(STATEMENT_CSV),
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    const preview = page.getByRole('table', { name: /as they would be imported/ });
    await preview.waitFor();
    expect(await page.getByLabel('Date', { exact: true }).inputValue()).toBe('Date');
    expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('Amount');
    await page.getByLabel('Description', { exact: true }).selectOption('Payee');
    await page.getByLabel('More description').selectOption('');
    await page.getByRole('button', { name: 'Update preview' }).click();
    const firstDescription = preview.locator('tbody tr').first().locator('td').nth(1);
    await soon(textOf(firstDescription)).toBe('Corner Bakery');
    await soon(textOf(preview.locator('tbody tr').first())).toMatch(/12[.,]40/);
    await page.getByLabel('Account').fill('Everyday account');
    await expectAccessible(page, 'import preview');
    await preview.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, `${kind}-import-preview`);
    await page.getByRole('button', { name: 'Import 3 lines' }).click();
    const report = page.locator('.import-report');
    await expect.poll(textOf(report), { timeout: 30_000 }).toContain('2 new expenses, 0 matched to receipts');
    const outcomes = page.getByRole('table', { name: 'Every line of the statement' }).locator('tbody tr');
    expect(await outcomes.count()).toBe(3);
    await soon(textOf(outcomes.nth(1))).toContain('Money in, skipped');
    // The list of imports says the same once it is done.
    await soon(textOf(page.locator('.past-imports li').first())).toContain('2 new');
    await expectAccessible(page, 'import report');
    await report.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, `${kind}-import-report`);
    await report.getByRole('link', { name: 'See your expenses' }).click();
    await page.getByRole('heading', { level: 1, name: 'Expenses' }).waitFor();
    const bakery = page.locator('li.expense').filter({ hasText: 'Corner Bakery' });
    await bakery.waitFor();
    await soon(textOf(page.locator('li.expense').filter({ hasText: 'City Books' }))).toMatch(/23[.,]99/);
    await soon(() => page.locator('li.expense').count()).toBe(2);

    // History: the imported expense, then a note added; its edit view lists both changes.
    await bakery.getByRole('button', { name: 'Edit Corner Bakery' }).click();
    await page.getByLabel('Note').fill('birthday cake');
    await page.getByRole('button', { name: 'Save' }).click();
    await soon(textOf(bakery)).toContain('birthday cake');
    await bakery.getByRole('button', { name: 'Edit Corner Bakery' }).click();
    await page.getByText('Change history').click();
    const history = page.getByRole('list', { name: 'Changes, oldest first' });
    await history.waitFor();
    await soon(() => history.locator(':scope > li').count()).toBe(2);
    expect(await history.locator(':scope > li').first().innerText()).toContain('Created by a statement import');
    expect(await history.locator(':scope > li').nth(1).innerText()).toMatch(/Changed by you[\s\S]*birthday cake/);
    await expectAccessible(page, 'expense history');
    await history.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await screenshot(page, `${kind}-expense-history`);
    await page.keyboard.press('Escape');

    // Settings: the forwarding address, made on request; a second sender confirmed with its emailed code.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: 'Create my forwarding address' }).click();
    const address = page.getByLabel('Your forwarding address');
    await soon(textOf(address)).toMatch(/^[^@\s]+@receipts\.expense-tracker\.local$/);
    // A new address replaces it, after a confirmation that says the old one stops at once.
    const first = await address.innerText();
    await page.getByRole('button', { name: 'Make a new address…' }).click();
    const rotate = page.getByRole('dialog', { name: 'Make a new address?' });
    await soon(textOf(rotate)).toContain(`Mail to ${first} is refused from now on.`);
    await expectAccessible(page, 'new forwarding address dialog');
    await rotate.getByRole('button', { name: 'Make a new address' }).click();
    await soon(textOf(address)).not.toBe(first);
    await soon(textOf(address)).toMatch(/^[^@\s]+@receipts\.expense-tracker\.local$/);
    const partner = `partner-${kind}-${Date.now()}@example.com`;
    await page.getByLabel("Sender's email").fill(partner);
    await page.getByRole('button', { name: 'Add sender' }).click();
    await page.getByLabel(`Code sent to ${partner}`).fill(await verificationCodeFor(stack, partner));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await soon(textOf(page.locator('li.sender').filter({ hasText: partner }))).toContain('Confirmed');

    // Retention: 30 days, applied to the receipts stored, kept in the profile.
    const retention = page.getByLabel('Keep receipt images for (days)');
    await soon(() => retention.inputValue()).toBe('2557');
    await retention.fill('30');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await soon(textOf(page.locator('form[aria-labelledby="retention-title"]'))).toContain(
      'Receipt images are now kept 30 days.',
    );
    expect(
      (await graphql(stack.urls.graphql, 'query { me { receiptRetentionDays } }', {}, await accessTokenOf(page))).body
        .data.me.receiptRetentionDays,
    ).toBe(30);

    // Export: the archive of everything, a zip behind the link.
    await page.getByRole('button', { name: 'Export all my data' }).click();
    const link = page.getByRole('link', { name: 'Download your data' });
    await link.waitFor({ timeout: 60_000 });
    const zip = await page.request.get((await link.getAttribute('href'))!);
    expect(zip.status()).toBe(200);
    expect((await zip.body()).subarray(0, 2).toString('latin1')).toBe('PK');
    await expectAccessible(page, 'settings with data sections');
    await page.locator('#forwarding-title').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, `${kind}-settings-data`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'settings with data sections, dark');
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import a statement' }).waitFor();
    await page.getByRole('button', { name: /^Show report/ }).click();
    await page.getByRole('table', { name: 'Every line of the statement' }).waitFor();
    await expectAccessible(page, 'import report, dark');
    expect(visit.consoleErrors).toEqual([]);
  });
}

/** Deleting an account: refused with a wrong password, done with the right one; signing in is refused after. */
function accountDeletion() {
  return inBrowser('desktop', async (visit) => {
    const { page } = visit;
    const email = `leaving-${Date.now()}@example.com`;
    await signUpAndConfirm(page, email);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await soon(textOf(dialog)).toContain('This cannot be undone.');
    await dialog.getByLabel('Your password').fill(`${PASSWORD}-wrong`);
    await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
    await soon(textOf(dialog)).toContain('That password is not right. Nothing was deleted.');
    await expectAccessible(page, 'delete account dialog');
    await screenshot(page, 'desktop-delete-account');
    await dialog.getByLabel('Your password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: 60_000 });
    await soon(textOf(page.locator('main'))).toContain('Your account and everything in it were deleted.');
    await expectAccessible(page, 'signed out after deletion');
    // The app reads the job until the account is gone: the API then refuses the ended session (401).
    const refusals = (errors: string[], status: number, url: string) =>
      errors.filter((e) => !(e.includes(`status of ${status}`) && e.endsWith(url)));
    expect(refusals(visit.consoleErrors, 401, stack.urls.graphql)).toEqual([]);

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await soon(textOf(page.locator('main'))).toContain('The email or password is not right.');
    // The refused sign-in is Cognito's 400, which the browser logs as a failed request, and nothing else.
    expect(refusals(refusals(visit.consoleErrors, 401, stack.urls.graphql), 400, stack.urls.cognito)).toEqual([]);
  });
}

/** `count` days `step` apart (in days, or months when `step` is 'month'), the last `daysAgo` days before today (UTC). */
function seriesDates(count: number, step: number | 'month', daysAgo: number): string[] {
  const last = new Date();
  last.setUTCDate(last.getUTCDate() - daysAgo);
  // A day every month has, so a monthly series is due on the same day each month.
  if (step === 'month') last.setUTCDate(Math.min(last.getUTCDate(), 28));
  return Array.from({ length: count }, (_, i) => {
    const date =
      step === 'month'
        ? new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - i, last.getUTCDate()))
        : new Date(last.getTime() - i * step * 86_400_000);
    return date.toISOString().slice(0, 10);
  }).reverse();
}

/** A day as the app shows it in the profile's date order. */
function shownDay(isoDate: string, order: 'DMY' | 'MDY' | 'YMD'): string {
  const [y, m, d] = isoDate.split('-');
  return order === 'DMY' ? `${d}/${m}/${y}` : order === 'MDY' ? `${m}/${d}/${y}` : isoDate;
}

/**
 * Search and tags on the expenses screen, and the subscriptions screen: expenses seeded through
 * the API (two with notes and tags, a monthly and a weekly series), found by a word of a note, by
 * a tag chip pressed on a row, by a tag and by an amount range and not otherwise; a tag added and
 * one removed in the edit dialog; the monthly series confirmed as a subscription in its dialog
 * (renamed, another amount, a tolerance the API refuses shown at its field) with its upcoming
 * charge, then deleted; the weekly one dismissed for good.
 */
function searchAndSubscriptions(kind: keyof typeof VIEWPORTS) {
  return inBrowser(kind, async (visit) => {
    const { page } = visit;
    // The phone case at 390 px, the width of today's common phones (the other phone cases keep 360).
    if (kind === 'phone') await page.setViewportSize({ width: 390, height: 844 });
    await signUpAndConfirm(page, `search-${kind}-${Date.now()}@example.com`);
    const token = await accessTokenOf(page);
    const monthly = seriesDates(4, 'month', 5);
    const weekly = seriesDates(4, 7, 2);
    const inputs = [
      { merchant: 'Hardware Haven', amount: 2350, date: monthly[3], note: 'hose and nozzle', tags: ['outdoor'] },
      { merchant: 'Corner Bakery', amount: 1240, date: monthly[3], note: 'birthday cake', tags: ['party'] },
      ...monthly.map((date) => ({ merchant: 'StreamFlix', amount: 1299, date })),
      ...weekly.map((date) => ({ merchant: 'Gym Club', amount: 2500, date })),
    ];
    for (const input of inputs) {
      const created = await graphql(
        stack.urls.graphql,
        'mutation($input: CreateExpenseInput!) { createExpense(input: $input) { id } }',
        { input },
        token,
      );
      expect(created.body.errors, JSON.stringify(input)).toBeUndefined();
    }
    const me = await graphql(stack.urls.graphql, 'query { me { dateOrder homeCurrency } }', {}, token);
    const { dateOrder, homeCurrency } = me.body.data.me;

    await page.getByRole('link', { name: 'Expenses' }).click();
    await page.getByRole('heading', { level: 1, name: 'Expenses' }).waitFor();
    await soon(() => page.locator('li.expense').count()).toBe(inputs.length);
    const search = page.getByRole('search', { name: 'Search expenses' });
    const results = page.getByRole('list', { name: 'Search results' });
    const merchantsFound = () => results.locator('li.expense .merchant').allInnerTexts();
    async function searchFor(text: string, min = '', max = '') {
      await search.getByLabel('Search', { exact: true }).fill(text);
      await search.getByLabel('Min amount').fill(min);
      await search.getByLabel('Max amount').fill(max);
      await search.getByRole('button', { name: 'Search', exact: true }).click();
    }

    // A tag chip on a row of the whole list searches for its tag, as if typed in the box.
    await page
      .locator('li.expense')
      .filter({ hasText: 'Corner Bakery' })
      .getByRole('button', { name: 'Search for tag party' })
      .click();
    await soon(merchantsFound).toEqual(['Corner Bakery']);
    expect(await search.getByLabel('Search', { exact: true }).inputValue()).toBe('party');
    await soon(textOf(page.locator('.search-status'))).toBe('1 expense matching “party”');
    // Its row is in the results, so the focus is where it was.
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Search for tag party');

    // A word of a note: that expense, with its tag as a chip, and not the other.
    await searchFor('hose');
    await soon(merchantsFound).toEqual(['Hardware Haven']);
    const haven = results.locator('li.expense').filter({ hasText: 'Hardware Haven' });
    expect(await haven.getByRole('list', { name: 'Tags of Hardware Haven' }).innerText()).toBe('outdoor');
    await soon(textOf(page.locator('.search-status'))).toBe('1 expense matching “hose”');
    await expectAccessible(page, 'expenses search');
    await screenshot(page, `${kind}-expenses-search`);
    // A tag: the other one.
    await searchFor('party');
    await soon(merchantsFound).toEqual(['Corner Bakery']);
    // An amount range alone (smallest first): 23.50 and the gym's four 25.00, not the bakery's 12.40.
    await searchFor('', '20', '30');
    await soon(merchantsFound).toEqual(['Hardware Haven', 'Gym Club', 'Gym Club', 'Gym Club', 'Gym Club']);
    // A word no expense has a word starting with.
    await searchFor('hosepipe');
    await soon(textOf(page.locator('main'))).toContain('Nothing matches.');
    expect(await results.locator('li.expense').count()).toBe(0);
    // Nothing to search for is said at the field, and nothing is sent.
    const searches = visit.graphqlOperations.length;
    await searchFor('');
    await soon(textOf(search)).toContain('Type a word to find, an amount, or both.');
    expect(visit.graphqlOperations.length).toBe(searches);

    // Tags edited where the expense is edited: one added with Enter, one removed; the row and the search follow.
    await searchFor('hose');
    await soon(merchantsFound).toEqual(['Hardware Haven']);
    await haven.getByRole('button', { name: 'Edit Hardware Haven' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit expense' });
    await dialog.getByLabel('Tags', { exact: true }).fill('Tools');
    await dialog.getByLabel('Tags', { exact: true }).press('Enter');
    const editedTags = dialog.getByRole('list', { name: 'Tags of this expense' });
    const chips = async () => (await editedTags.locator('li').allInnerTexts()).map((t) => t.replace(/[×\s]/g, ''));
    await soon(chips).toEqual(['outdoor', 'tools']);
    await dialog.getByRole('button', { name: 'Remove tag outdoor' }).click();
    await soon(chips).toEqual(['tools']);
    await expectAccessible(page, 'expense tags');
    await screenshot(page, `${kind}-expense-tags`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await soon(textOf(haven.getByRole('list', { name: 'Tags of Hardware Haven' }))).toBe('tools');
    await searchFor('tools');
    await soon(merchantsFound).toEqual(['Hardware Haven']);
    await searchFor('outdoor');
    await soon(textOf(page.locator('main'))).toContain('Nothing matches.');
    // Clearing the search brings back the list and its filters.
    await search.getByRole('button', { name: 'Clear search' }).click();
    await soon(() => page.locator('li.expense').count()).toBe(inputs.length);
    await page.getByLabel('Category').waitFor();

    // Subscriptions: both series found; nothing confirmed or upcoming yet.
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Subscriptions' }).waitFor();
    const candidates = page.getByRole('list', { name: 'Found in your expenses' });
    const rules = page.getByRole('list', { name: 'Your subscriptions' });
    const upcoming = page.getByRole('list', { name: 'Upcoming charges' });
    const streamFlix = candidates.locator('li').filter({ hasText: 'StreamFlix' });
    await soon(textOf(streamFlix)).toContain('Monthly · 4 charges');
    await soon(textOf(candidates.locator('li').filter({ hasText: 'Gym Club' }))).toContain('Weekly · 4 charges');
    expect(await rules.count()).toBe(0);
    expect(await upcoming.count()).toBe(0);
    await expectAccessible(page, 'subscriptions with candidates');
    await page.locator('#candidates-title').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, `${kind}-subscriptions-candidates`);

    // Confirmed in a dialog that starts from the merchant and its typical amount: a tolerance past 100 is
    // refused by the API at its field; renamed, with another amount, it moves to the rules and its next
    // charge (a month after the last) is upcoming.
    await page.getByRole('button', { name: 'Confirm StreamFlix' }).click();
    const confirmDialog = page.getByRole('dialog', { name: 'Confirm subscription' });
    expect(await confirmDialog.getByLabel('Name').inputValue()).toBe('StreamFlix');
    expect(await confirmDialog.getByLabel(`Amount (${homeCurrency})`).inputValue()).toBe('12.99');
    expect(await confirmDialog.getByLabel('Tolerance (%)').inputValue()).toBe('10');
    await confirmDialog.getByLabel('Name').fill('StreamFlix Premium');
    await confirmDialog.getByLabel(`Amount (${homeCurrency})`).fill('14.99');
    await confirmDialog.getByLabel('Tolerance (%)').fill('150');
    await confirmDialog.getByRole('button', { name: 'Save' }).click();
    const toleranceError = confirmDialog.locator('.field-error');
    await soon(textOf(toleranceError)).toBe('tolerancePercent must be 0..100');
    expect(await confirmDialog.getByLabel('Tolerance (%)').getAttribute('aria-invalid')).toBe('true');
    expect(await rules.count()).toBe(0);
    await expectAccessible(page, 'subscription confirm dialog');
    await confirmDialog.getByLabel('Tolerance (%)').fill('5');
    await confirmDialog.getByRole('button', { name: 'Save' }).click();
    await confirmDialog.waitFor({ state: 'hidden' });
    await soon(textOf(page.locator('.status-region'))).toContain(
      'StreamFlix Premium is now one of your subscriptions.',
    );
    const rule = rules.locator('li').filter({ hasText: 'StreamFlix Premium' });
    const premiumAmount = await page.evaluate(
      (currency) => new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(14.99),
      homeCurrency,
    );
    await soon(textOf(rule.locator('.amount'))).toBe(premiumAmount);
    const [y, m, d] = monthly[3].split('-').map(Number);
    const next = new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
    await soon(textOf(rule)).toContain(
      `Monthly · next ${shownDay(next, dateOrder)} · last ${shownDay(monthly[3], dateOrder)}`,
    );
    await soon(textOf(upcoming)).toContain(shownDay(next, dateOrder));
    expect(await upcoming.locator('li').allInnerTexts()).toEqual([expect.stringContaining('StreamFlix Premium')]);
    expect(await streamFlix.count()).toBe(0);

    // Dismissed: gone, and still gone when the screen is read again.
    await page.getByRole('button', { name: 'Dismiss Gym Club' }).click();
    await soon(textOf(page.locator('.status-region'))).toContain('Gym Club will not be suggested again.');
    await soon(textOf(page.locator('main'))).toContain('Nothing new found.');
    await expectAccessible(page, 'subscriptions with a rule');
    await page.locator('#upcoming-title').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, `${kind}-subscriptions`);
    await page.reload();
    await rule.waitFor();
    expect(await candidates.count()).toBe(0);

    // Deleted: no rule and nothing upcoming (the series may be proposed again).
    await page.getByRole('button', { name: 'Delete StreamFlix Premium' }).click();
    await soon(textOf(page.locator('.status-region'))).toContain('StreamFlix Premium is no longer tracked.');
    await soon(() => rules.count()).toBe(0);
    expect(await upcoming.count()).toBe(0);
    await soon(textOf(page.locator('main'))).toContain('Nothing expected.');
    expect(visit.consoleErrors).toEqual([]);
  });
}

/**
 * Your own categories, at a desktop width (and the section seen at 390 px): "Coffee" (in Dining)
 * made in Settings, an expense filed under it, the row following its rename to "Café" and its
 * merge into "Tea" (seeded through the API), a name already taken refused at the Name field, and
 * the 101st category refused with the API's LimitExceeded sentence.
 */
function ownCategories() {
  return inBrowser('desktop', async (visit) => {
    const { page } = visit;
    await signUpAndConfirm(page, `categories-${Date.now()}@example.com`);
    const token = await accessTokenOf(page);
    const tea = await graphql(
      stack.urls.graphql,
      'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
      { input: { name: 'Tea', colour: '#2E7D32', parent: 'DINING' } },
      token,
    );
    expect(tea.body.errors).toBeUndefined();

    // Settings: Tea listed; Coffee added with its colour, icon and default category.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const section = page.getByRole('region', { name: 'Categories' });
    const list = section.getByRole('list', { name: 'Your categories' });
    await soon(textOf(list)).toContain('Tea');
    const form = section.getByRole('form', { name: 'New category' });
    await form.getByLabel('Name').fill('Coffee');
    await form.getByLabel('Colour').fill('#6f4e37');
    await form.getByLabel('Icon').fill('☕');
    await form.getByLabel('Within').selectOption({ label: 'Dining' });
    await form.getByRole('button', { name: 'Add category' }).click();
    await soon(textOf(section.getByRole('status'))).toBe('Coffee added.');
    const row = (name: string) => list.locator('li').filter({ hasText: name });
    await soon(textOf(row('Coffee'))).toMatch(/☕\s*Coffee\s+in Dining/);
    expect(
      await row('Coffee')
        .locator('.swatch')
        .evaluate((e) => (globalThis as any).getComputedStyle(e).backgroundColor),
    ).toBe('rgb(111, 78, 55)');
    expect(await form.getByLabel('Name').inputValue()).toBe('');
    await expectAccessible(page, 'settings categories');
    await page.locator('#categories-title').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'desktop-settings-categories');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#categories-title').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await expectAccessible(page, 'settings categories at 390 px');
    await screenshot(page, 'phone-settings-categories');
    await page.setViewportSize(VIEWPORTS.desktop.viewport);

    // An expense filed under Coffee: the picker groups it under Dining; the row shows it, the API files it in Dining.
    await page.getByRole('link', { name: 'Expenses' }).click();
    await page.getByRole('heading', { level: 1, name: 'Expenses' }).waitFor();
    await page.getByRole('button', { name: 'Add expense' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add expense' });
    await dialog.getByLabel('Merchant').fill('Espresso Bar');
    await dialog.getByLabel('Amount').fill('3.50');
    const picker = dialog.getByLabel('Category');
    await soon(() => picker.locator('optgroup[label="Dining"] option').allInnerTexts()).toEqual([
      'Dining',
      '☕ Coffee',
      'Tea',
    ]);
    await picker.selectOption({ label: '☕ Coffee' });
    await expectAccessible(page, 'add expense with own categories');
    await screenshot(page, 'desktop-expense-own-category-picker');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const expense = page.locator('li.expense').filter({ hasText: 'Espresso Bar' });
    await soon(textOf(expense.locator('.category'))).toBe('☕ Coffee');
    await screenshot(page, 'desktop-expenses-own-category');
    const stored = await graphql(
      stack.urls.graphql,
      'query { listExpenses { items { category customCategory { name } } } }',
      {},
      token,
    );
    expect(stored.body.data.listExpenses.items).toEqual([{ category: 'DINING', customCategory: { name: 'Coffee' } }]);

    // Renamed in Settings: the row shows the new name.
    async function toSettings() {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    }
    async function toExpenses() {
      await page.getByRole('link', { name: 'Expenses' }).click();
      await page.getByRole('heading', { level: 1, name: 'Expenses' }).waitFor();
    }
    await toSettings();
    await section.getByRole('button', { name: 'Edit Coffee' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit category' });
    expect(await edit.getByLabel('Colour').inputValue()).toBe('#6f4e37');
    await edit.getByLabel('Name').fill('Café');
    await edit.getByRole('button', { name: 'Save category' }).click();
    await edit.waitFor({ state: 'hidden' });
    await soon(textOf(row('Café'))).toMatch(/☕\s*Café\s+in Dining/);
    await toExpenses();
    await soon(textOf(expense.locator('.category'))).toBe('☕ Café');

    // Merged into Tea: Café is gone from the list, and the row shows Tea.
    await toSettings();
    await section.getByRole('button', { name: 'Merge Café' }).click();
    const merge = page.getByRole('dialog', { name: 'Merge Café' });
    await merge.getByLabel('Merge into').selectOption({ label: 'Tea (in Dining)' });
    await expectAccessible(page, 'merge category dialog');
    await merge.getByRole('button', { name: 'Merge' }).click();
    await merge.waitFor({ state: 'hidden' });
    await soon(textOf(section.getByRole('status'))).toBe('Café merged into Tea.');
    await soon(() => list.locator('li').allInnerTexts()).toEqual([expect.stringMatching(/^Tea\s+in Dining/)]);
    await toExpenses();
    await soon(textOf(expense.locator('.category'))).toBe('Tea');
    // The list's filter offers Tea under Dining, as the form does; filtered by Tea, the list is the
    // expense filed under Café (merged into Tea) and not the bookshop's.
    const bookshop = await graphql(
      stack.urls.graphql,
      'mutation($input: CreateExpenseInput!) { createExpense(input: $input) { id } }',
      {
        input: {
          merchant: 'Kinokuniya Books',
          amount: 1200,
          date: new Date().toISOString().slice(0, 10),
          category: 'EDUCATION',
        },
      },
      token,
    );
    expect(bookshop.body.errors).toBeUndefined();
    await toSettings();
    await toExpenses();
    const merchants = () => page.locator('li.expense .merchant').allInnerTexts();
    await soon(merchants).toEqual(expect.arrayContaining(['Espresso Bar', 'Kinokuniya Books']));
    const filter = page.getByRole('form', { name: 'Filter expenses' }).getByLabel('Category');
    await soon(() => filter.locator('optgroup[label="Dining"] option').allInnerTexts()).toEqual(['Dining', 'Tea']);
    await filter.selectOption({ label: 'Tea' });
    await soon(merchants).toEqual(['Espresso Bar']);
    await expectAccessible(page, 'expenses filtered by an own category');
    await screenshot(page, 'desktop-expenses-filtered-own-category');
    await filter.selectOption({ label: 'All categories' });
    await soon(merchants).toEqual(expect.arrayContaining(['Espresso Bar', 'Kinokuniya Books']));
    // Edited, the expense opens on Tea; choosing a default category takes it out of Tea.
    await expense.getByRole('button', { name: 'Edit Espresso Bar' }).click();
    const editExpense = page.getByRole('dialog', { name: 'Edit expense' });
    const editPicker = editExpense.getByLabel('Category');
    await soon(() => editPicker.evaluate((select: any) => select.selectedOptions[0]?.textContent)).toBe('Tea');
    await editPicker.selectOption({ label: 'Dining' });
    await editExpense.getByRole('button', { name: 'Save' }).click();
    await editExpense.waitFor({ state: 'hidden' });
    await soon(textOf(expense.locator('.category'))).toBe('Dining');
    expect(await expense.locator('.swatch').count()).toBe(0);

    // Split across Dining and Tea in the dialog: what is left to place shows as amounts (or
    // percentages) are typed, and the split is saved only when the parts sum to the expense exactly.
    await expense.getByRole('button', { name: 'Edit Espresso Bar' }).click();
    const splitDialog = page.getByRole('dialog', { name: 'Edit expense' });
    await splitDialog.getByRole('button', { name: 'Split', exact: true }).click();
    const splitControl = splitDialog.getByRole('region', { name: 'Split' });
    await splitControl.getByLabel('Part 2 category').selectOption({ label: 'Tea' });
    await splitControl.getByRole('button', { name: 'Split evenly' }).click();
    expect(await splitControl.getByLabel('Part 1 amount').inputValue()).toBe('1.75');
    expect(await splitControl.getByLabel('Part 2 amount').inputValue()).toBe('1.75');
    await soon(textOf(splitControl.getByRole('status'))).toBe('Every part placed.');
    await splitControl.getByLabel('Part 1 amount').fill('2.00');
    await splitControl.getByLabel('Part 2 amount').fill('1.00');
    await soon(textOf(splitControl.getByRole('status'))).toMatch(/^0,50\s€ left to place\.$/);
    expect(await splitControl.getByRole('button', { name: 'Save split' }).isDisabled()).toBe(true);
    await splitControl.getByLabel('Part 2 amount').fill('1.50');
    await soon(textOf(splitControl.getByRole('status'))).toBe('Every part placed.');
    await expectAccessible(page, 'split an expense');
    await screenshot(page, 'desktop-expense-split');
    // The same split by percentages: the amounts each comes to show once they add up to 100 %, and
    // it is saved as shares (57.14 % of 3.50 is 2.00 by the API's largest-remainder rounding).
    await splitControl.getByLabel('Divide by').selectOption('PERCENTAGES');
    await splitControl.getByLabel('Part 1 percent').fill('57.14');
    await splitControl.getByLabel('Part 2 percent').fill('40');
    await soon(textOf(splitControl.getByRole('status'))).toBe('2.86 % left to place.');
    expect(await splitControl.getByRole('button', { name: 'Save split' }).isDisabled()).toBe(true);
    await splitControl.getByLabel('Part 2 percent').fill('42.86');
    await soon(textOf(splitControl.getByRole('status'))).toBe('Every part placed.');
    expect(await splitControl.locator('.hint').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^2,00\s€$/), expect.stringMatching(/^1,50\s€$/)]),
    );
    await expectAccessible(page, 'split an expense by percentages');
    await splitControl.getByRole('button', { name: 'Save split' }).click();
    await splitDialog.waitFor({ state: 'hidden' });
    await soon(textOf(expense.locator('.split'))).toMatch(/^Split: Dining 2,00\s€ · Tea 1,50\s€$/);
    // The split is in the expense's change history.
    await expense.getByRole('button', { name: 'Edit Espresso Bar' }).click();
    await splitDialog.getByText('Change history').click();
    const changes = splitDialog.getByRole('list', { name: 'Changes, oldest first' });
    await soon(() => changes.locator(':scope > li').last().innerText()).toMatch(
      /Changed by you[\s\S]*Split: —[\s\S]*changed to\s+Dining 2,00\s€ · Dining 1,50\s€/,
    );
    await splitDialog.getByRole('button', { name: 'Close' }).click();
    await splitDialog.waitFor({ state: 'hidden' });
    const split = await graphql(
      stack.urls.graphql,
      'query { listExpenses(category: DINING) { items { amount splits { amount category customCategoryId } } } }',
      {},
      token,
    );
    expect(split.body.data.listExpenses.items).toEqual([
      {
        amount: 350,
        splits: [
          { amount: 200, category: 'DINING', customCategoryId: null },
          { amount: 150, category: 'DINING', customCategoryId: tea.body.data.createCategory.id },
        ],
      },
    ]);

    // A name already taken (ignoring case): the API's Conflict, said at the Name field; nothing added.
    await toSettings();
    await soon(textOf(list)).toContain('Tea');
    await form.getByLabel('Name').fill('tea');
    await form.getByRole('button', { name: 'Add category' }).click();
    const name = form.getByLabel('Name');
    await soon(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('.field-error').innerText()).toBe(
      'You already have a category named “tea”. Choose another name.',
    );
    expect(await list.locator('li').count()).toBe(1);
    await expectAccessible(page, 'category name conflict');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'category name conflict, dark');

    // At 100 categories (99 more seeded, one at a time: they are one item), the API's LimitExceeded is said in the form.
    for (let i = 1; i <= 99; i++) {
      const made = await graphql(
        stack.urls.graphql,
        'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
        { input: { name: `Seeded ${i}`, colour: '#555555', parent: 'OTHER' } },
        token,
      );
      expect(made.body.errors, `category ${i}`).toBeUndefined();
    }
    await name.fill('Herbal');
    await form.getByRole('button', { name: 'Add category' }).click();
    await soon(textOf(form.getByRole('alert'))).toBe('At most 100 categories: merge or delete one first.');
    expect(await name.getAttribute('aria-invalid')).toBeNull();

    // Budgets for a tag and for Tea (made through the API) say what they count, not "All spending".
    for (const input of [
      { tag: 'Holiday', period: 'MONTHLY', amount: 50000, currency: 'EUR' },
      { customCategoryId: tea.body.data.createCategory.id, period: 'MONTHLY', amount: 3000, currency: 'EUR' },
    ]) {
      const made = await graphql(
        stack.urls.graphql,
        'mutation($input: CreateBudgetInput!) { createBudget(input: $input) { id } }',
        { input },
        token,
      );
      expect(made.body.errors).toBeUndefined();
    }
    await page.getByRole('link', { name: 'Budgets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Budgets' }).waitFor();
    const scopes = page.locator('li.budget .hint');
    await soon(() => scopes.allInnerTexts()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^#holiday · monthly/),
        expect.stringMatching(/^Dining: own category · monthly/),
      ]),
    );
    expect(visit.consoleErrors).toEqual([]);
  });
}

/**
 * Sharing: an expense seeded through the API shared from its row on the expenses screen (the
 * caller's own email refused at the field; then by amounts, too much and nothing refused at the
 * friend's field, then a third of it shared with the friend, who has an account), the
 * Shared screen's balance and shared expense, the friend's side through the API, and two
 * payments (part, then the rest; more than the balance refused at the field) bringing it to zero,
 * then the share withdrawn from the friend (what they paid is then owed back).
 */
async function sharing() {
  await inBrowser('desktop', async (visit) => {
    const { page } = visit;
    const stamp = Date.now();
    const email = `sharer-${stamp}@example.com`;
    const friend = await givenSignedInUser(stack, `friend-${stamp}@example.com`);
    await signUpAndConfirm(page, email);
    const token = await accessTokenOf(page);
    const created = await graphql(
      stack.urls.graphql,
      'mutation($input: CreateExpenseInput!) { createExpense(input: $input) { id } }',
      { input: { merchant: 'Pizza Place', amount: 3000, currency: 'EUR', date: '2026-11-28', category: 'DINING' } },
      token,
    );
    expect(created.body.errors).toBeUndefined();
    const money = (minor: number) =>
      page.evaluate(
        (value) => new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(value),
        minor / 100,
      );

    await page.getByRole('link', { name: 'Expenses' }).click();
    await page.getByRole('heading', { level: 1, name: 'Expenses' }).waitFor();
    await page.getByRole('button', { name: 'Share Pizza Place' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share expense' });
    await dialog.getByLabel('Share with').fill(`${friend.email}, ${email}`);
    await dialog.getByRole('button', { name: 'Share' }).click();
    await soon(textOf(dialog.locator('.field-error'))).toBe(`${email}: You cannot share an expense with yourself`);
    expect(await dialog.getByLabel('Share with').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'share dialog');
    // By amounts: a field for the friend's part; more than the expense is refused, 10.00 of 30.00 is theirs.
    await dialog.getByLabel('Share with').fill(friend.email);
    await dialog.getByLabel('Split').selectOption('AMOUNTS');
    const part = dialog.getByLabel(`${friend.email} (EUR)`);
    await part.fill('40');
    await dialog.getByRole('button', { name: 'Share' }).click();
    await soon(textOf(dialog.locator('.field-error'))).toBe('The shares add up to more than the expense');
    await part.fill('');
    await dialog.getByRole('button', { name: 'Share' }).click();
    await soon(textOf(dialog.locator('.field-error'))).toBe('Enter an amount, e.g. 12.50.');
    expect(await part.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'share dialog by amounts');
    await part.fill('10');
    await dialog.getByRole('button', { name: 'Share' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await soon(textOf(page.locator('.status-region'))).toBe(
      `Pizza Place is shared: your share is ${await money(2000)}.`,
    );

    await page.getByRole('link', { name: 'Shared' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shared' }).waitFor();
    const balances = page.getByRole('list', { name: 'Balances' });
    await soon(textOf(balances)).toContain(`${friend.email} owes you`);
    expect(await balances.locator('.amount').innerText()).toBe(await money(1000));
    const sharedList = page.getByRole('list', { name: 'Shared expenses' });
    await soon(textOf(sharedList)).toContain('Pizza Place');
    expect(await sharedList.innerText()).toContain(`you paid · your share ${await money(2000)} · with ${friend.email}`);
    await expectAccessible(page, 'shared with a balance');
    await screenshot(page, 'desktop-shared');
    // The friend sees it too, and owes the same.
    const theirs = await graphql(stack.urls.graphql, '{ shareBalances { email amount } }', {}, friend.accessToken);
    expect(theirs.body.data.shareBalances).toEqual([{ email, amount: -1000 }]);

    // Settled in two payments: more than the balance is refused at the field, then 4.00, then the rest.
    const settle = page.getByRole('button', { name: `Settle with ${friend.email} in EUR` });
    const settleDialog = page.getByRole('dialog', { name: 'Settle up' });
    const paid = settleDialog.getByLabel('Amount paid (EUR)');
    await settle.click();
    expect(await paid.inputValue()).toBe('10.00');
    await paid.fill('12');
    await settleDialog.getByRole('button', { name: 'Record payment' }).click();
    await soon(textOf(settleDialog.locator('.field-error'))).toBe(`Enter an amount up to ${await money(1000)}.`);
    await expectAccessible(page, 'settle dialog');
    await paid.fill('4');
    await settleDialog.getByRole('button', { name: 'Record payment' }).click();
    await settleDialog.waitFor({ state: 'hidden' });
    await soon(textOf(page.locator('.status-region'))).toBe(`${friend.email} paid you ${await money(400)}.`);
    await soon(textOf(balances.locator('.amount'))).toBe(await money(600));
    await settle.click();
    expect(await paid.inputValue()).toBe('6.00');
    await settleDialog.getByRole('button', { name: 'Record payment' }).click();
    await settleDialog.waitFor({ state: 'hidden' });
    await soon(textOf(page.locator('.status-region'))).toBe(`${friend.email} paid you ${await money(600)}.`);
    await soon(textOf(page.locator('main'))).toContain('All settled up.');
    const after = await graphql(stack.urls.graphql, '{ shareBalances { email amount } }', {}, friend.accessToken);
    expect(after.body.data.shareBalances).toEqual([]);

    // Withdrawn from the friend, who had paid their 10.00: gone from both lists, and that payment is owed back.
    await page.getByRole('button', { name: /^Withdraw Pizza Place/ }).click();
    const withdrawDialog = page.getByRole('dialog', { name: 'Withdraw shared expense' });
    await withdrawDialog.getByLabel('Withdraw from').selectOption(friend.email);
    await expectAccessible(page, 'withdraw dialog');
    await withdrawDialog.getByRole('button', { name: 'Withdraw' }).click();
    await withdrawDialog.waitFor({ state: 'hidden' });
    await soon(textOf(page.locator('.status-region'))).toBe(`Pizza Place is withdrawn from ${friend.email}.`);
    await soon(textOf(page.locator('main'))).toContain('Nothing shared yet.');
    expect(await balances.innerText()).toContain(`You owe ${friend.email}`);
    expect(await balances.locator('.amount').innerText()).toBe(await money(1000));
    const left = await graphql(stack.urls.graphql, '{ listSharedExpenses { items { id } } }', {}, friend.accessToken);
    expect(left.body.data.listSharedExpenses.items).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
  });
}

describe('the web app, as a person uses it', () => {
  it('at a desktop width: an expense edited on two devices, delete, two-step sign-in, forgot password', async () => {
    await accountAndEditing();
  }, 120_000);

  it('at a desktop width: sign up, upload (one offline), live processing, review, budget alert, report and CSV', async () => {
    await journey('desktop');
  }, 180_000);

  it('at a phone width (360 px): the same journey, the photo taken with the camera input', async () => {
    await journey('phone');
  }, 180_000);

  it('at a desktop width: a CSV statement imported, an expense history, forwarding address, retention, data export', async () => {
    await dataJourney('desktop');
  }, 180_000);

  it('at a phone width (360 px): the same data screens', async () => {
    await dataJourney('phone');
  }, 180_000);

  it('at a desktop width: search and tags on the expenses, subscriptions confirmed, dismissed and deleted', async () => {
    await searchAndSubscriptions('desktop');
  }, 120_000);

  it('at a phone width (390 px): the same search, tags and subscriptions', async () => {
    await searchAndSubscriptions('phone');
  }, 120_000);

  it('at a desktop width: own categories made, an expense filed under one, renamed, merged; a taken name and the limit refused', async () => {
    await ownCategories();
  }, 120_000);

  it('at a desktop width: an expense shared by email from its row (by amounts), the balance on the Shared screen, settled in two payments', async () => {
    await sharing();
  }, 120_000);

  it('at a desktop width: the account deleted after its password, and signing in refused afterwards', async () => {
    await accountDeletion();
  }, 120_000);
});
