/**
 * Money as the API carries it: an integer in the currency's minor units next to its ISO 4217
 * code. Shown with the browser's locale; typed amounts are parsed by string arithmetic, so
 * "12.30" is 1230 cents exactly (never 1229.9999).
 */
export function minorUnitDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function formatMoney(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minorUnits / 10 ** digits);
  } catch {
    return `${(minorUnits / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** 1250 EUR → "12.50", for an input's value. */
export function decimalAmount(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(minorUnits);
  const sign = minorUnits < 0 ? '-' : '';
  const text = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * "12.5", "12,50", "1,234.56", "1.234,56" → minor units; null when it is not an amount. The
 * last separator followed by at most the currency's digits is the decimal mark.
 */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const cleaned = text.trim().replace(/[\s\u00a0'’]/g, '');
  if (!/^\d[\d.,]*$/.test(cleaned)) return null;
  const last = Math.max(cleaned.lastIndexOf('.'), cleaned.lastIndexOf(','));
  let whole = cleaned;
  let fraction = '';
  if (last >= 0 && cleaned.length - last - 1 <= digits && cleaned.length - last - 1 > 0) {
    whole = cleaned.slice(0, last);
    fraction = cleaned.slice(last + 1);
  }
  whole = whole.replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** The currencies the API takes, for a <datalist>; the browser knows their names. */
export function currencyName(code: string): string {
  try {
    return new Intl.DisplayNames(undefined, { type: 'currency' }).of(code) ?? code;
  } catch {
    return code;
  }
}
