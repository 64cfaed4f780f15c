/** Digits after the decimal point of a currency's minor unit (EUR 2, JPY 0, BHD 3), from the ICU data in Node. */
export function minorUnitDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 1250 EUR → "12.50"; 500 JPY → "500". Exact: integer arithmetic, no float rounding. */
export function decimalAmount(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(minorUnits);
  const sign = minorUnits < 0 ? '-' : '';
  const text = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** "€12.50", "$1,234.00": for people (emails); CSV and the API keep decimals or minor units. */
export function formatMoney(minorUnits: number, currency: string, locale = 'en'): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minorUnits / 10 ** digits);
}
