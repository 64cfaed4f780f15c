/**
 * Money: an integer number of a currency's minor units (cents, sen, yen, fils) next to an
 * ISO 4217 code, never a float of major units. GraphQL's Int is 32-bit and AppSync has no
 * 64-bit integer scalar, so the API carries amounts and sums as `Float` holding a whole number:
 * an IEEE 754 double represents every integer up to 2^53 − 1 exactly (JSON numbers, JavaScript
 * numbers and DynamoDB numbers all keep it). Inputs are checked to be such integers; sums that
 * would pass it fail loudly (functions/shared/money.ts) rather than round.
 */

/** Largest amount, and largest sum, kept exact: 2^53 − 1 minor units (Number.MAX_SAFE_INTEGER). */
export const MAX_MINOR_UNITS = 9007199254740991;

/** A whole number of minor units between `min` and MAX_MINOR_UNITS (a safe integer, so exact everywhere). */
export function isMinorUnits(value: unknown, min: number): boolean {
  return typeof value === 'number' && Math.floor(value) === value && value >= min && value <= MAX_MINOR_UNITS;
}
