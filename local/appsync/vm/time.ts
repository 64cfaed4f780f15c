/**
 * `util.time`, whose formats the reference bases on Java's DateTimeFormatter
 * (https://docs.aws.amazon.com/appsync/latest/devguide/time-helpers-in-util-time-js.html,
 * https://docs.oracle.com/javase/8/docs/api/java/time/format/DateTimeFormatter.html).
 *
 * Zones are read as Java's ZoneId.of reads them: "Z", offsets ("+08:00", "-07:00:30", "+8"),
 * offsets after UTC/GMT/UT ("GMT+8") and region ids ("Australia/Perth"). Pattern letters:
 * G u y M L d D E a h K k H m s S n w V z O X x Z, 'quoted text' and [optional sections].
 * Text is English (Locale.US); week numbers (w) start on Sunday with 1 minimal day, as US weeks do.
 * Parsing is strict about the calendar: 2018-02-30 is refused rather than moved to the 28th.
 *
 * Runs inside the resolver's vm realm: Intl and Date are the realm's own.
 */
import { codeError } from './signals.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

type Zone = { offsetSeconds: number; id: string } | { region: string };

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** Java's ZoneId.of. */
function zoneOf(id: string | undefined): Zone {
  if (id === undefined || id === null) return { offsetSeconds: 0, id: 'UTC' };
  const text = String(id);
  if (text === 'Z') return { offsetSeconds: 0, id: 'Z' };
  if (text[0] === '+' || text[0] === '-') return { offsetSeconds: offsetSecondsOf(text, text), id: text };
  const prefixed = /^(UTC|GMT|UT)([+-].*)?$/.exec(text);
  if (prefixed) return { offsetSeconds: prefixed[2] ? offsetSecondsOf(prefixed[2], text) : 0, id: text };
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
  } catch {
    throw codeError(`Unknown time zone "${text}"`);
  }
  return { region: text };
}

/** "+8", "+08", "+08:00", "+0800", "+08:00:30", "+080030" → seconds east of UTC. */
function offsetSecondsOf(text: string, whole: string): number {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  const seconds = m ? Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0) : NaN;
  if (!m || Number(m[2]) > 18 || seconds > 18 * 3600) throw codeError(`Invalid zone offset "${whole}"`);
  return m[1] === '-' ? -seconds : seconds;
}

const formatters: Record<string, Intl.DateTimeFormat> = {};
function regionFormatter(region: string): Intl.DateTimeFormat {
  formatters[region] ??= new Intl.DateTimeFormat('en-US', {
    timeZone: region,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  return formatters[region];
}

/** Seconds east of UTC that `zone` is at the instant `ms`. */
function offsetAt(zone: Zone, ms: number): number {
  if ('offsetSeconds' in zone) return zone.offsetSeconds;
  const parts: Record<string, string> = {};
  for (const p of regionFormatter(zone.region).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const local = Date.UTC(
    year,
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((local - (ms - (((ms % 1000) + 1000) % 1000))) / 1000);
}

function shortZoneName(zone: Zone, ms: number): string {
  if ('offsetSeconds' in zone) return zone.id === 'Z' ? 'Z' : zone.id;
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone.region, timeZoneName: 'short' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName');
  return name ? name.value : zone.region;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number; // 0 = Sunday
  dayOfYear: number;
  offsetSeconds: number;
}

function fieldsAt(ms: number, zone: Zone): Fields {
  const offsetSeconds = offsetAt(zone, ms);
  const d = new Date(ms + offsetSeconds * 1000);
  const year = d.getUTCFullYear();
  const startOfYear = new Date(0);
  startOfYear.setUTCFullYear(year, 0, 1);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    dayOfYear: Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - startOfYear.getTime()) / DAY_MS) + 1,
    offsetSeconds,
  };
}

/** Week of the week-based year for US weeks: Sunday first, and the week holding 1 January is week 1. */
function usWeekOfYear(f: Fields): number {
  const daysInYear = new Date(Date.UTC(f.year, 1, 29)).getUTCDate() === 29 ? 366 : 365;
  if (f.dayOfYear + (6 - f.weekday) > daysInYear) return 1; // this week's Saturday is in next year
  const jan1Weekday = (f.weekday - ((f.dayOfYear - 1) % 7) + 7) % 7;
  return Math.floor((f.dayOfYear - 1 + jan1Weekday) / 7) + 1;
}

/** Java's offset patterns: X/x give "+HH", "+HHMM", "+HH:MM", "+HHMM[SS]", "+HH:MM[:SS]"; X writes Z for zero. */
function offsetPattern(seconds: number, count: number, zeroAsZ: boolean): string {
  if (seconds === 0 && zeroAsZ) return 'Z';
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  const colon = count === 3 || count === 5 ? ':' : '';
  if (count === 1) return `${sign}${pad(h)}${m ? pad(m) : ''}`;
  if (count <= 3) return `${sign}${pad(h)}${colon}${pad(m)}`;
  return `${sign}${pad(h)}${colon}${pad(m)}${s ? `${colon}${pad(s)}` : ''}`;
}

/** "GMT", "GMT+8", "GMT+08:00" (O, OOOO). */
function localizedOffset(seconds: number, full: boolean): string {
  if (seconds === 0) return 'GMT';
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  if (full) return `GMT${sign}${pad(h)}:${pad(m)}${s ? `:${pad(s)}` : ''}`;
  return `GMT${sign}${h}${m || s ? `:${pad(m)}` : ''}${s ? `:${pad(s)}` : ''}`;
}

type Token = { literal: string } | { letter: string; count: number } | { optional: Token[] };

/** Splits a DateTimeFormatter pattern into letters, literals and [optional] sections. */
function tokenize(pattern: string): Token[] {
  const stack: Token[][] = [[]];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    const top = stack[stack.length - 1];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw codeError(`Pattern ends with an incomplete string literal: ${pattern}`);
      top.push({ literal: end === i + 1 ? "'" : pattern.slice(i + 1, end).replace(/''/g, "'") });
      i = end + 1;
    } else if (c === '[') {
      const section: Token[] = [];
      top.push({ optional: section });
      stack.push(section);
      i += 1;
    } else if (c === ']') {
      if (stack.length === 1) throw codeError(`Pattern has an unmatched ]: ${pattern}`);
      stack.pop();
      i += 1;
    } else if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n += 1;
      if (!/[GuyMLdDEahKkHmsSnwVzOXxZ]/.test(c)) throw codeError(`Unsupported pattern letter ${c} in ${pattern}`);
      top.push({ letter: c, count: n });
      i += n;
    } else {
      top.push({ literal: c });
      i += 1;
    }
  }
  return stack[0];
}

function formatTokens(tokens: Token[], f: Fields, zone: Zone, ms: number): string {
  return tokens
    .map((t) => {
      if ('literal' in t) return t.literal;
      if ('optional' in t) return formatTokens(t.optional, f, zone, ms);
      const n = t.count;
      switch (t.letter) {
        case 'G':
          return n === 4
            ? f.year > 0
              ? 'Anno Domini'
              : 'Before Christ'
            : n === 5
              ? f.year > 0
                ? 'A'
                : 'B'
              : f.year > 0
                ? 'AD'
                : 'BC';
        case 'u':
        case 'y': {
          const year = t.letter === 'y' && f.year <= 0 ? 1 - f.year : f.year;
          return n === 2 ? pad(year % 100) : `${year < 0 ? '-' : ''}${pad(year, n)}`;
        }
        case 'M':
        case 'L':
          return n >= 4 ? MONTHS[f.month - 1] : n === 3 ? MONTHS[f.month - 1].slice(0, 3) : pad(f.month, n);
        case 'd':
          return pad(f.day, n);
        case 'D':
          return pad(f.dayOfYear, n);
        case 'E':
          return n >= 4 ? DAYS[f.weekday] : DAYS[f.weekday].slice(0, 3);
        case 'a':
          return f.hour < 12 ? 'AM' : 'PM';
        case 'h':
          return pad(f.hour % 12 || 12, n);
        case 'K':
          return pad(f.hour % 12, n);
        case 'k':
          return pad(f.hour || 24, n);
        case 'H':
          return pad(f.hour, n);
        case 'm':
          return pad(f.minute, n);
        case 's':
          return pad(f.second, n);
        case 'S':
          return pad(f.millis, 3).padEnd(n, '0').slice(0, n);
        case 'n':
          return String(f.millis * 1_000_000);
        case 'w':
          return pad(usWeekOfYear(f), n);
        case 'V':
          return 'region' in zone ? zone.region : zone.id;
        case 'z':
          return n === 4 && 'region' in zone ? zone.region : shortZoneName(zone, ms);
        case 'O':
          return localizedOffset(f.offsetSeconds, n === 4);
        case 'X':
          return offsetPattern(f.offsetSeconds, n, true);
        case 'x':
          return offsetPattern(f.offsetSeconds, n, false);
        default: // Z: +HHMM; ZZZZ: GMT+HH:MM; ZZZZZ: +HH:MM or Z
          return n <= 3
            ? offsetPattern(f.offsetSeconds, 2, false)
            : n === 4
              ? localizedOffset(f.offsetSeconds, true)
              : offsetPattern(f.offsetSeconds, 5, true);
      }
    })
    .join('');
}

export function formatEpoch(ms: number, pattern: string, timezone?: string): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw codeError(`Not an epoch time in milliseconds: ${String(ms)}`);
  const zone = zoneOf(timezone);
  return formatTokens(tokenize(String(pattern)), fieldsAt(ms, zone), zone, ms);
}

// ---------------------------------------------------------------- parsing

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MONTH_ALTERNATIVES = (full: boolean) => MONTHS.map((m) => (full ? m : m.slice(0, 3))).join('|');
const DAY_ALTERNATIVES = (full: boolean) => DAYS.map((d) => (full ? d : d.slice(0, 3))).join('|');

function tokenRegex(tokens: Token[], fields: Array<{ letter: string; count: number }>): string {
  return tokens
    .map((t) => {
      if ('literal' in t) return escapeRegex(t.literal);
      if ('optional' in t) return `(?:${tokenRegex(t.optional, fields)})?`;
      fields.push(t);
      const n = t.count;
      switch (t.letter) {
        case 'M':
        case 'L':
          return n >= 4
            ? `(${MONTH_ALTERNATIVES(true)})`
            : n === 3
              ? `(${MONTH_ALTERNATIVES(false)})`
              : n === 2
                ? '(\\d{2})'
                : '(\\d{1,2})';
        case 'E':
          return n >= 4 ? `(${DAY_ALTERNATIVES(true)})` : `(${DAY_ALTERNATIVES(false)})`;
        case 'a':
          return '(AM|PM)';
        case 'G':
          return '(AD|BC|Anno Domini|Before Christ)';
        case 'X':
        case 'x':
        case 'Z':
          return '(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)';
        case 'O':
          return '(GMT(?:[+-]\\d{1,2}(?::\\d{2}(?::\\d{2})?)?)?)';
        case 'V':
        case 'z':
          return '([A-Za-z_]+(?:/[A-Za-z_+-]+)*|[+-]\\d{2}:\\d{2})';
        case 'y':
        case 'u':
          return n === 2 ? '(\\d{2})' : n >= 4 ? `([+-]?\\d{${n},9})` : '([+-]?\\d{1,9})';
        case 'S':
          return `(\\d{${n}})`;
        default:
          return n >= 2 ? `(\\d{${n}})` : '(\\d{1,2})';
      }
    })
    .join('');
}

function offsetFromText(raw: string): number {
  if (raw === 'Z' || raw === 'GMT') return 0;
  return offsetSecondsOf(raw.startsWith('GMT') ? raw.slice(3) : raw, raw);
}

/** A timestamp in a pattern → epoch ms; the zone of the text wins, else `timezone`, else UTC. */
export function parseFormatted(text: string, pattern: string, timezone?: string): number {
  const fields: Array<{ letter: string; count: number }> = [];
  const match = new RegExp(`^${tokenRegex(tokenize(String(pattern)), fields)}$`).exec(String(text));
  const fail = () => codeError(`Text '${text}' could not be parsed with pattern '${pattern}'`);
  if (!match) throw fail();
  const v = {
    year: 1970,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millis: 0,
    pm: null as boolean | null,
    twelveHour: false,
    offset: null as number | null,
    zone: null as Zone | null,
    bc: false,
  };
  fields.forEach((field, i) => {
    const raw = match[i + 1];
    if (raw === undefined) return;
    switch (field.letter) {
      case 'y':
      case 'u':
        v.year = field.count === 2 ? 2000 + Number(raw) : Number(raw);
        break;
      case 'M':
      case 'L':
        v.month = /\d/.test(raw) ? Number(raw) : MONTHS.findIndex((m) => m.startsWith(raw)) + 1;
        break;
      case 'd':
        v.day = Number(raw);
        break;
      case 'H':
        v.hour = Number(raw);
        break;
      case 'k':
        v.hour = Number(raw) % 24;
        break;
      case 'h':
      case 'K':
        v.hour = Number(raw) % 12;
        v.twelveHour = true;
        break;
      case 'a':
        v.pm = raw === 'PM';
        break;
      case 'm':
        v.minute = Number(raw);
        break;
      case 's':
        v.second = Number(raw);
        break;
      case 'S':
        v.millis = Number(raw.padEnd(3, '0').slice(0, 3));
        break;
      case 'G':
        v.bc = raw === 'BC' || raw === 'Before Christ';
        break;
      case 'X':
      case 'x':
      case 'Z':
      case 'O':
        v.offset = offsetFromText(raw);
        break;
      case 'V':
      case 'z':
        v.zone = zoneOf(raw);
        break;
    }
  });
  if (v.twelveHour && v.pm) v.hour += 12;
  if (v.bc) v.year = 1 - v.year;
  if (v.month < 1 || v.month > 12 || v.day < 1 || v.hour > 23 || v.minute > 59 || v.second > 59) throw fail();
  const probe = new Date(0);
  probe.setUTCFullYear(v.year, v.month - 1, v.day);
  if (probe.getUTCMonth() !== v.month - 1 || probe.getUTCDate() !== v.day) throw fail();
  const asUtc = probe.getTime() + ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + v.millis;
  if (v.offset !== null) return asUtc - v.offset * 1000;
  const zone = v.zone ?? zoneOf(timezone);
  // The local time's offset: the offset at the guess, corrected once for a DST change in between.
  const first = offsetAt(zone, asUtc);
  return asUtc - offsetAt(zone, asUtc - first * 1000) * 1000;
}

// ISO 8601 as Java's ISO_OFFSET_DATE_TIME reads it: date, 'T', time to at least minutes, an offset.
const ISO_8601 =
  /^([+-]?\d{4,9})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)$/;

export function parseIso8601(text: string): number {
  const m = ISO_8601.exec(String(text));
  if (!m) throw codeError(`Text '${text}' could not be parsed as an ISO 8601 date-time`);
  const [, y, mo, d, h, mi, s, fraction, offset] = m;
  const pattern = `yyyy-MM-dd HH:mm:ss.SSS`;
  const normalized = `${y.replace(/^\+/, '').padStart(4, '0')}-${mo}-${d} ${h}:${mi}:${s ?? '00'}.${(fraction ?? '0').padEnd(3, '0').slice(0, 3)}`;
  return parseFormatted(normalized, pattern, offset === 'Z' ? 'Z' : offset);
}

export const timeUtils = {
  nowISO8601: () => new Date().toISOString(),
  nowEpochSeconds: () => Math.floor(Date.now() / 1000),
  nowEpochMilliSeconds: () => Date.now(),
  nowFormatted: (pattern: string, timezone?: string) => formatEpoch(Date.now(), pattern, timezone),
  parseFormattedToEpochMilliSeconds: (text: string, pattern: string, timezone?: string) =>
    parseFormatted(text, pattern, timezone),
  parseISO8601ToEpochMilliSeconds: (text: string) => parseIso8601(text),
  epochMilliSecondsToSeconds: (ms: number) => Math.floor(ms / 1000),
  epochMilliSecondsToISO8601: (ms: number) => new Date(ms).toISOString(),
  epochMilliSecondsToFormatted: (ms: number, pattern: string, timezone?: string) => formatEpoch(ms, pattern, timezone),
};
