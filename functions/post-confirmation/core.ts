import type { PostConfirmationConfirmSignUpTriggerEvent } from 'aws-lambda';
import countryToCurrency from 'country-to-currency';
import { isCurrencyCode } from '../../model/currencies.ts';
import type { UserItem } from '../../model/users.ts';
import type { DateOrder } from '../../generated/graphql.ts';

/**
 * Defaults for a new profile when the sign-up gives no locale or timezone (see
 * profileDefaultsFrom), chosen so nothing surprises before the user edits them:
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

/**
 * What the sign-up said about where the person is: Cognito's standard `zoneinfo` (an IANA time
 * zone) and `locale` (a BCP 47 tag), which the web app fills from the browser. The timezone is
 * taken when Intl knows it; the locale's country gives the home currency (country-to-currency,
 * kept only when it is an active ISO 4217 code) and its date format the date order. Anything
 * missing or unknown keeps its default.
 */
export function profileDefaultsFrom(attributes: { locale?: string; zoneinfo?: string }): {
  homeCurrency: string;
  timezone: string;
  dateOrder: DateOrder;
} {
  const defaults = {
    homeCurrency: PROFILE_DEFAULTS.homeCurrency as string,
    timezone: PROFILE_DEFAULTS.timezone as string,
    dateOrder: PROFILE_DEFAULTS.dateOrder as DateOrder,
  };
  if (attributes.zoneinfo) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: attributes.zoneinfo });
      defaults.timezone = attributes.zoneinfo;
    } catch {
      // Not a zone this runtime knows: stay on UTC.
    }
  }
  if (attributes.locale) {
    try {
      const locale = new Intl.Locale(attributes.locale.replace(/_/g, '-'));
      const region = locale.maximize().region;
      const currency = region ? (countryToCurrency as Record<string, string>)[region] : undefined;
      if (isCurrencyCode(currency)) defaults.homeCurrency = currency;
      defaults.dateOrder = dateOrderOf(locale.toString());
    } catch {
      // Not a locale tag: keep the defaults.
    }
  }
  return defaults;
}

/** The order day, month and year take in the locale's numeric dates (en-US MDY, de-DE DMY, ja-JP YMD). */
function dateOrderOf(locale: string): DateOrder {
  const parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(Date.UTC(2026, 11, 31)))
    .map((p) => p.type)
    .filter((t) => t === 'year' || t === 'month' || t === 'day')
    .map((t) => t[0].toUpperCase())
    .join('');
  return parts === 'MDY' || parts === 'YMD' ? parts : 'DMY';
}

/** The Users row for a newly confirmed user, from Cognito's PostConfirmation event. */
export function userProfileFromConfirmation(
  event: Pick<PostConfirmationConfirmSignUpTriggerEvent, 'request' | 'userName'>,
  now: Date,
): UserItem {
  const attributes = event.request.userAttributes;
  const sub = attributes.sub ?? event.userName;
  if (!sub) throw new Error('PostConfirmation event carries no sub');
  if (!attributes.email) throw new Error('PostConfirmation event carries no email');
  const at = now.toISOString();
  const defaults = profileDefaultsFrom(attributes);
  return {
    user_id: sub,
    email: attributes.email.toLowerCase(),
    ...(attributes.name ? { name: attributes.name } : {}),
    homeCurrency: defaults.homeCurrency,
    timezone: defaults.timezone,
    dateOrder: defaults.dateOrder,
    reportSchedule: { ...PROFILE_DEFAULTS.reportSchedule },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}
