import type { DateOrder } from '../../../generated/graphql.ts';

/** Calendar days as the API has them (YYYY-MM-DD), shown in the user's date order. */
export function todayIn(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function formatDay(isoDate: string, order: DateOrder = 'YMD'): string {
  const [y, m, d] = isoDate.split('-');
  if (!d) return isoDate;
  if (order === 'DMY') return `${d}/${m}/${y}`;
  if (order === 'MDY') return `${m}/${d}/${y}`;
  return isoDate;
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** What the browser says about where the person is: the profile's defaults at sign-up. */
export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function browserLocale(): string {
  return navigator.language || 'en-US';
}
