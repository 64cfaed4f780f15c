import { describe, expect, it } from 'vitest';
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { categorizeExpense } from '../../../functions/categorize/core.ts';
import { createComprehendEntityDetector } from '../../../functions/categorize/comprehend.ts';

describe('categorizeExpense', () => {
  it('given a merchant the user taught, when categorized, then the learned category wins over rules', () => {
    const choice = categorizeExpense({ merchant: 'Thai Delicious Restaurant' }, { learned: 'ENTERTAINMENT' });
    expect(choice).toEqual({ category: 'ENTERTAINMENT', source: 'LEARNED', confidence: 1 });
  });

  it.each([
    ['RESTORAN WAN SHENG', 'DINING'],
    ['99 SPEED MART S/B', 'GROCERIES'],
    ['MY HAPPY PHARMACY PLT', 'HEALTH'],
    ['SANYU STATIONERY SHOP', 'OFFICE'],
    ['AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD', 'HOUSEHOLD'],
    ['POPULAR BOOK CO. (M) SDN BHD', 'EDUCATION'],
    ['Shell Service Station', 'FUEL'],
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
  it('given a DetectEntities response in the documented shape, when asked, then it returns the entities and sends a bounded text', async () => {
    // Response shape from the Comprehend API reference (Entity: Score, Type, Text, BeginOffset, EndOffset).
    const recorded = {
      Entities: [
        { Score: 0.9981022477149963, Type: 'ORGANIZATION', Text: 'Starbucks Coffee', BeginOffset: 0, EndOffset: 16 },
        { Score: 0.87, Type: 'COMMERCIAL_ITEM', Text: 'Caffe Latte', BeginOffset: 30, EndOffset: 41 },
      ],
    };
    const sent: any[] = [];
    const client = new ComprehendClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    client.send = (async (command: any) => {
      sent.push(command.input);
      return recorded;
    }) as any;
    const detector = createComprehendEntityDetector(client);
    const entities = await detector.detectEntities(`Starbucks Coffee\n${'x'.repeat(10_000)}`);
    expect(entities.map((e) => e.Text)).toEqual(['Starbucks Coffee', 'Caffe Latte']);
    expect(sent[0].LanguageCode).toBe('en');
    expect(sent[0].Text.length).toBeLessThanOrEqual(2_000);
    expect(categorizeExpense({ merchant: 'Store #1234' }, { entities }).category).toBe('DINING');
  });
});

describe('merchant names read without spaces', () => {
  it('given "KOPICORNERCAFE SDNBHD", then the cafe is still found', () => {
    expect(categorizeExpense({ merchant: 'KOPICORNERCAFE SDNBHD' })).toMatchObject({ category: 'DINING', source: 'RULES' });
  });

  it('given a glued name, then the category is the same as spaced, with less confidence', () => {
    const glued = categorizeExpense({ merchant: 'GOLDENHARDWARETRADING' });
    const spaced = categorizeExpense({ merchant: 'GOLDEN HARDWARE TRADING' });
    expect(glued.category).toBe('HOUSEHOLD');
    expect(spaced.category).toBe('HOUSEHOLD');
    expect(glued.confidence).toBeLessThan(spaced.confidence);
  });

  it('given a short word, then no substring match ("SMART" is not a mart)', () => {
    expect(categorizeExpense({ merchant: 'SMART' }).category).toBe('OTHER');
  });
});
