/** Free tags on expenses: at most this many per expense... */
export const MAX_TAGS = 20;
/** ...of at most this many characters each. */
export const MAX_TAG_LENGTH = 40;

/** Tags as stored: trimmed, lower case, distinct, in the order given (valid APPSYNC_JS: the resolvers run it). */
export function normalisedTags(tags: string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const value = tag.trim().toLowerCase();
    if (value.length > 0 && out.indexOf(value) < 0) out.push(value);
  }
  return out;
}
