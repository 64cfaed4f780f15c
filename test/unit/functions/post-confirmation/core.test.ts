import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import dynalite from 'dynalite';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileDefaultsFrom, userProfileFromConfirmation } from '../../../../functions/post-confirmation/core.ts';
import { createLocalDynamoDbTables } from '../../../../local/dynamodb.ts';

const confirmationEvent = (attributes: Record<string, string>): PostConfirmationTriggerEvent => ({
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_LocalPool1',
  userName: attributes.sub,
  triggerSource: 'PostConfirmation_ConfirmSignUp',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client1' },
  request: { userAttributes: { 'cognito:user_status': 'CONFIRMED', email_verified: 'true', ...attributes } },
  response: {},
});

describe('userProfileFromConfirmation', () => {
  it('given a confirmed user with a name, when the profile is built, then it is keyed on the sub with the defaults', () => {
    const now = new Date('2026-03-01T10:00:00.000Z');
    const item = userProfileFromConfirmation(
      confirmationEvent({ sub: 'sub-1', email: 'Ann@Example.com', name: 'Ann' }),
      now,
    );
    expect(item).toEqual({
      user_id: 'sub-1',
      email: 'ann@example.com',
      name: 'Ann',
      homeCurrency: 'USD',
      timezone: 'UTC',
      dateOrder: 'DMY',
      reportSchedule: { weekly: false, monthly: false },
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    });
  });

  it('given no name, when the profile is built, then it has no name attribute', () => {
    expect(
      userProfileFromConfirmation(confirmationEvent({ sub: 'sub-2', email: 'b@example.com' }), new Date()),
    ).not.toHaveProperty('name');
  });

  it("given the browser's locale and timezone at sign-up (locale, zoneinfo), then the profile starts in that currency, zone and date order", () => {
    const item = userProfileFromConfirmation(
      confirmationEvent({ sub: 'sub-4', email: 'c@example.com', locale: 'de-DE', zoneinfo: 'Europe/Berlin' }),
      new Date(),
    );
    expect(item).toMatchObject({ homeCurrency: 'EUR', timezone: 'Europe/Berlin', dateOrder: 'DMY' });
  });

  it('given no email, when the profile is built, then it fails', () => {
    expect(() => userProfileFromConfirmation(confirmationEvent({ sub: 'sub-3' }), new Date())).toThrow(/email/);
  });
});

describe('post-confirmation handler against dynalite', () => {
  let server: Server;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 }) as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      USERS_TABLE: 'Users',
    });
    await createLocalDynamoDbTables(endpoint, 'us-east-1', credentials);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('given a confirmation, when the trigger runs twice, then one row exists, the first write kept, and the event is returned', async () => {
    const { handler } = await import('../../../../functions/post-confirmation/handler.ts');
    const { dynamoDocumentClient } = await import('../../../../functions/shared/aws-clients.ts');
    const event = confirmationEvent({ sub: 'sub-9', email: 'c@example.com', name: 'Cy' });

    expect(await handler(event)).toBe(event);
    const first = (await dynamoDocumentClient().send(new GetCommand({ TableName: 'Users', Key: { user_id: 'sub-9' } })))
      .Item;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(handler(event)).resolves.toBe(event);
    const second = (
      await dynamoDocumentClient().send(new GetCommand({ TableName: 'Users', Key: { user_id: 'sub-9' } }))
    ).Item;

    expect(first).toMatchObject({
      user_id: 'sub-9',
      email: 'c@example.com',
      name: 'Cy',
      version: 1,
      reportSchedule: { weekly: false, monthly: false },
    });
    expect(second).toEqual(first);
  });
});

describe('profileDefaultsFrom', () => {
  it.each([
    ['en-US', 'America/New_York', { homeCurrency: 'USD', timezone: 'America/New_York', dateOrder: 'MDY' }],
    ['en-GB', 'Europe/London', { homeCurrency: 'GBP', timezone: 'Europe/London', dateOrder: 'DMY' }],
    ['ja-JP', 'Asia/Tokyo', { homeCurrency: 'JPY', timezone: 'Asia/Tokyo', dateOrder: 'YMD' }],
    ['ms-MY', 'Asia/Kuala_Lumpur', { homeCurrency: 'MYR', timezone: 'Asia/Kuala_Lumpur', dateOrder: 'DMY' }],
    ['en-IN', 'Asia/Kolkata', { homeCurrency: 'INR', timezone: 'Asia/Kolkata', dateOrder: 'DMY' }],
    // A language alone: its likeliest country (fr → FR).
    ['fr', 'Europe/Paris', { homeCurrency: 'EUR', timezone: 'Europe/Paris', dateOrder: 'DMY' }],
  ])('given locale %s and zone %s, then %j', (locale, zoneinfo, expected) => {
    expect(profileDefaultsFrom({ locale, zoneinfo })).toEqual(expected);
  });

  it('given an unknown zone, a tag that is no locale, or a region without a country, then the defaults stay', () => {
    expect(profileDefaultsFrom({ locale: 'not a locale!', zoneinfo: 'Mars/Olympus_Mons' })).toEqual({
      homeCurrency: 'USD',
      timezone: 'UTC',
      dateOrder: 'DMY',
    });
    expect(profileDefaultsFrom({ locale: 'es-419' }).homeCurrency).toBe('USD');
    expect(profileDefaultsFrom({})).toEqual({ homeCurrency: 'USD', timezone: 'UTC', dateOrder: 'DMY' });
  });
});
