/**
 * Active ISO 4217 currency codes (list one), space-separated: the currencies CLDR/ICU knows,
 * less those withdrawn (HRK 2023, SLL, ZWL 2024, ANG 2025, BGN 2026, CUC), plus VED. Fund, unit
 * and metal codes (XAU, XDR, CHE, USN…) are not money anyone is paid in and are left out.
 */
export const ISO_4217_CODES =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD ' +
  'CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
  'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD ' +
  'KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO ' +
  'NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE ' +
  'SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND ' +
  'VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG';

/**
 * ISO 4217 minor units (list one) of the codes above that are not 2: how many decimal digits
 * an amount's minor units carry (JPY 0, BHD 3). MGA and MRU divide into fifths, which ISO lists as 2.
 */
const MINOR_UNITS_NOT_TWO: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** An active ISO 4217 code (ISO_4217_CODES): what every path that takes a currency checks. */
export function isCurrencyCode(value: string | null | undefined): value is string {
  return !!value && value.length === 3 && ` ${ISO_4217_CODES} `.indexOf(` ${value} `) >= 0;
}

/** Decimal digits of a currency's minor unit (ISO 4217): EUR 2, JPY 0, BHD 3; 2 for a code not listed. */
export function minorUnitDigitsOf(currency: string): number {
  return Object.hasOwn(MINOR_UNITS_NOT_TWO, currency) ? MINOR_UNITS_NOT_TWO[currency] : 2;
}
