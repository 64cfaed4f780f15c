import type { PostConfirmationConfirmSignUpTriggerEvent } from 'aws-lambda';

/** A Users table item (infra/tables.ts `Users`, key `user_id` = Cognito sub). */
export interface UserProfileItem {
  user_id: string;
  email: string;
  name?: string;
  homeCurrency: string;
  timezone: string;
  dateOrder: 'DMY' | 'MDY';
  reportSchedule: { weekly: boolean; monthly: boolean };
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * Defaults for a new profile, chosen so nothing surprises before the user edits them:
 * UTC, so period boundaries match the stored UTC timestamps until a timezone is set; USD,
 * the most widely used currency (the user changes it once); DMY, the order most of the world
 * writes dates in (MDY is mostly the US) and the order the SROIE test receipts use; reports
 * off until asked for, so a new account never receives unsolicited email.
 */
export const PROFILE_DEFAULTS = {
  homeCurrency: 'USD',
  timezone: 'UTC',
  dateOrder: 'DMY',
  reportSchedule: { weekly: false, monthly: false },
} as const;

/** The Users row for a newly confirmed user, from Cognito's PostConfirmation event. */
export function userProfileFromConfirmation(event: Pick<PostConfirmationConfirmSignUpTriggerEvent, 'request' | 'userName'>, now: Date): UserProfileItem {
  const attributes = event.request.userAttributes;
  const sub = attributes.sub ?? event.userName;
  if (!sub) throw new Error('PostConfirmation event carries no sub');
  if (!attributes.email) throw new Error('PostConfirmation event carries no email');
  const at = now.toISOString();
  return {
    user_id: sub,
    email: attributes.email.toLowerCase(),
    ...(attributes.name ? { name: attributes.name } : {}),
    homeCurrency: PROFILE_DEFAULTS.homeCurrency,
    timezone: PROFILE_DEFAULTS.timezone,
    dateOrder: PROFILE_DEFAULTS.dateOrder,
    reportSchedule: { ...PROFILE_DEFAULTS.reportSchedule },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}
