import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categorizeExpense, entityTextOf } from '../../../../../functions/shared/categorize/core.ts';
import { createComprehendEntityDetector } from '../../../../../functions/shared/categorize/comprehend.ts';
import { PROJECT_ROOT } from '../../../../../local/stack.ts';

describe('categorizeExpense', () => {
  it('given a merchant the user taught, when categorized, then the learned category wins over rules', () => {
    const learned = { category: 'ENTERTAINMENT' as const, customCategoryId: null };
    const choice = categorizeExpense({ merchant: 'Thai Delicious Restaurant' }, { learned });
    expect(choice).toEqual({ category: 'ENTERTAINMENT', source: 'LEARNED', confidence: 1 });
  });

  it('given a merchant the user filed under a custom category, when categorized, then the choice carries it', () => {
    const learned = { category: 'DINING' as const, customCategoryId: 'cat-coffee' };
    const choice = categorizeExpense({ merchant: 'Pharmacy' }, { learned });
    expect(choice).toEqual({ category: 'DINING', customCategoryId: 'cat-coffee', source: 'LEARNED', confidence: 1 });
  });

  it.each([
    ['RESTORAN WAN SHENG', 'DINING'],
    ['MY HAPPY PHARMACY PLT', 'HEALTH'],
    ['SANYU STATIONERY SHOP', 'OFFICE'],
    ['AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD', 'HOUSEHOLD'],
    ['Bäckerei Wunderkorn', 'GROCERIES'],
    ['Stadtbäckerei am Markt', 'GROCERIES'],
    ['Boulangerie du Coin', 'GROCERIES'],
    ['Clínica Dental Aurelia', 'HEALTH'],
    ['Ferretería López', 'HOUSEHOLD'],
    ['Tuincentrum De Groene Vinger', 'HOUSEHOLD'],
    ['Papelaria Central', 'OFFICE'],
    ['Kedai Makan Ali', 'DINING'],
    ['Piekarnia Pod Lipą', 'GROCERIES'],
    ['Lékárna U Zlatého Hada', 'HEALTH'],
    ['Bageriet Solrosen', 'GROCERIES'],
    ['Ravintola Kultainen Kukko', 'DINING'],
    ['Aksoy Eczanesi', 'HEALTH'],
    ['Kovács Cukrászda', 'DINING'],
    ['Farmacie Sfântul Ioan', 'HEALTH'],
  ])('given the merchant %s, when categorized by rules, then it is %s', (merchant, category) => {
    const choice = categorizeExpense({ merchant });
    expect(choice.category).toBe(category);
    expect(choice.source).toBe('RULES');
    expect(choice.confidence).toBeGreaterThan(0);
    expect(choice.confidence).toBeLessThanOrEqual(1);
  });

  it('given a merchant name that says nothing, when line items name groceries, then the items decide', () => {
    const choice = categorizeExpense({ merchant: 'TRI SHAAS SDN BHD', lineItems: ['FRESH MILK 1L', 'WHITE BREAD'] });
    expect(choice.category).toBe('GROCERIES');
  });

  it('given "SMART" in a name, when matched, then "mart" does not match inside the word', () => {
    expect(categorizeExpense({ merchant: 'SMARTECH' }).category).toBe('OTHER');
  });

  it('given nothing recognisable, when categorized, then OTHER with zero confidence', () => {
    expect(categorizeExpense({ merchant: 'UNIHAKKA INTERNATIONAL SDN BHD' })).toEqual({
      category: 'OTHER',
      source: 'RULES',
      confidence: 0,
    });
  });

  it('given Comprehend entities that point elsewhere than the rules, when categorized, then the choice is credited to COMPREHEND', () => {
    const choice = categorizeExpense(
      { merchant: 'NADEJE PLATINUM SDN BHD' },
      { entities: [{ Type: 'COMMERCIAL_ITEM', Text: 'Cappuccino', Score: 0.93 }] },
    );
    expect(choice).toMatchObject({ category: 'DINING', source: 'COMPREHEND' });
  });

  it('given low-score entities, when categorized, then they are ignored', () => {
    const choice = categorizeExpense(
      { merchant: 'NADEJE PLATINUM SDN BHD' },
      { entities: [{ Type: 'COMMERCIAL_ITEM', Text: 'Cappuccino', Score: 0.2 }] },
    );
    expect(choice.category).toBe('OTHER');
  });
});

describe('Comprehend entity detector', () => {
  // A real DetectEntities response: the example in AWS's own documentation of
  // `aws comprehend detect-entities` (aws/aws-cli, awscli/examples/comprehend/detect-entities.rst,
  // published at https://docs.aws.amazon.com/cli/latest/reference/comprehend/detect-entities.html).
  const recorded = readFileSync(
    path.join(PROJECT_ROOT, 'test/fixtures/comprehend/detect-entities.aws-cli-example.json'),
    'utf8',
  );
  const documentedText =
    'Hello Zhang Wei, I am John. Your AnyCompany Financial Services, LLC credit card account 1111-XXXX-1111-XXXX has a minimum payment of $24.53 that is due by July 31st. Based on your autopay settings, we will withdraw your payment on the due date from your bank account number XXXXXX1111 with the routing number XXXXX0000. Customer feedback for Sunshine Spa, 123 Main St, Anywhere. Send comments to Alice at AnySpa@example.com.';
  let server: Server;
  let endpoint: string;
  const received: Array<{ target: string; body: { Text: string; LanguageCode: string } }> = [];

  beforeAll(async () => {
    // Comprehend's JSON 1.1 protocol, answered with the recorded body: the SDK's own request and parsing are what is tested.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({
        target: String(req.headers['x-amz-target']),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'recorded' })
        .end(recorded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('given the documented DetectEntities answer, when the adapter asks, then it sends DetectEntities in English and returns every entity with its type and score', async () => {
    const client = new ComprehendClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const entities = await createComprehendEntityDetector(client).detectEntities(documentedText);
    expect(received.at(-1)).toEqual({
      target: 'Comprehend_20171127.DetectEntities',
      body: { Text: documentedText, LanguageCode: 'en' },
    });
    expect(entities).toHaveLength(12);
    expect(entities[2]).toEqual({
      Type: 'ORGANIZATION',
      Text: 'AnyCompany Financial Services, LLC',
      Score: 0.9986887574195862,
    });
    client.destroy();
  });

  it('given a receipt text longer than the bound, when sent, then only its first 2,000 characters go to Comprehend', async () => {
    const client = new ComprehendClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await createComprehendEntityDetector(client).detectEntities(`Starbucks Coffee\n${'x'.repeat(10_000)}`);
    expect(received.at(-1)!.body.Text.startsWith('Starbucks Coffee')).toBe(true);
    expect(received.at(-1)!.body.Text.length).toBe(2_000);
    client.destroy();
  });

  it("given those entities and a merchant the rules cannot place, when categorized, then the organization's name decides (SERVICES, credited to COMPREHEND) and people, dates and quantities do not", async () => {
    const client = new ComprehendClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const entities = await createComprehendEntityDetector(client).detectEntities(documentedText);
    expect(categorizeExpense({ merchant: 'NADEJE PLATINUM SDN BHD' })).toMatchObject({ category: 'OTHER' });
    expect(categorizeExpense({ merchant: 'NADEJE PLATINUM SDN BHD' }, { entities })).toMatchObject({
      category: 'SERVICES',
      source: 'COMPREHEND',
    });
    const withoutOrganizations = entities.filter((e) => e.Type !== 'ORGANIZATION');
    expect(
      categorizeExpense({ merchant: 'NADEJE PLATINUM SDN BHD' }, { entities: withoutOrganizations }),
    ).toMatchObject({
      category: 'OTHER',
      source: 'RULES',
    });
    client.destroy();
  });
});

describe('what Comprehend is asked about', () => {
  it('given a receipt with its text, then the merchant and the whole text are sent, not just the line items', () => {
    const text = entityTextOf({
      merchant: 'RESTORAN WAN SHENG',
      lineItems: ['Kopi(B)'],
      rawText: 'RESTORAN WAN SHENG\nTax Invoice\nKopi(B) 1x 2.20 2.20 SR\nTake Away',
    });
    expect(text).toBe('RESTORAN WAN SHENG\nRESTORAN WAN SHENG\nTax Invoice\nKopi(B) 1x 2.20 2.20 SR\nTake Away');
  });

  it('given no text (an expense typed in), then the merchant and its line items', () => {
    expect(entityTextOf({ merchant: 'Corner Cafe', lineItems: ['Latte', 'Croissant'], rawText: null })).toBe(
      'Corner Cafe\nLatte\nCroissant',
    );
    expect(entityTextOf({ merchant: 'Corner Cafe' })).toBe('Corner Cafe');
  });
});

describe('merchant names read without spaces', () => {
  it('given "KOPICORNERCAFE SDNBHD", then the cafe is still found', () => {
    expect(categorizeExpense({ merchant: 'KOPICORNERCAFE SDNBHD' })).toMatchObject({
      category: 'DINING',
      source: 'RULES',
    });
  });

  it('given a glued name, then the category is the same as spaced, with less confidence', () => {
    const glued = categorizeExpense({ merchant: 'GOLDENHARDWARETRADING' });
    const spaced = categorizeExpense({ merchant: 'GOLDEN HARDWARE TRADING' });
    expect(glued.category).toBe('HOUSEHOLD');
    expect(spaced.category).toBe('HOUSEHOLD');
    expect(glued.confidence).toBeLessThan(spaced.confidence);
  });

  it('given a short word, then no substring match ("SMARTIES" is not a mart)', () => {
    expect(categorizeExpense({ merchant: 'SMARTIES' }).category).toBe('OTHER');
  });
});
