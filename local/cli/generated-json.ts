/**
 * The text of a data file a CLI here generates and the repository commits (the brand index, the
 * English word list, the towns' countries): one entry per line, so a rebuild shows as a readable diff,
 * and what each file's freshness test compares byte for byte.
 */
export function generatedJsonText(data: unknown): string {
  return `${JSON.stringify(data, null, 1)}\n`;
}
