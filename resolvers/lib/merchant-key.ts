/**
 * The key under which a user's merchant is remembered (Merchants table): lower case, letters
 * and digits only, so "STARBUCKS #1234", "Starbucks 1234" and "starbucks-1234" are one
 * merchant. APPSYNC_JS has no regular expressions, so characters are tested one by one
 * (a letter is a character whose upper and lower case differ). Shared by the resolvers and
 * the functions so both always agree.
 */
const DIGITS = '0123456789';

export function merchantKeyOf(merchant: string): string {
  return merchant
    .toLowerCase()
    .split('')
    .filter((c) => c.toUpperCase() !== c.toLowerCase() || DIGITS.indexOf(c) >= 0)
    .join('');
}
