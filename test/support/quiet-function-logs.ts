import { functionLogText, logFormatOf, rewriteFunctionLines } from '../../local/log-format.ts';

/**
 * Tests run the functions in-process, and Powertools prints every log entry and metrics flush
 * as a JSON line: dozens per test file, drowning vitest's report. They are dropped here unless
 * LOG_FORMAT asks for them (`text`: one readable line each, `json`: as printed). A test that
 * captures the lines (observability) replaces process.stdout.write itself while it does.
 */
const format = process.env.LOG_FORMAT ? logFormatOf(process.env.LOG_FORMAT) : null;
if (format !== 'json') {
  const rewrite = format === 'text' ? functionLogText : (line: string) => (functionLogText(line) ? null : undefined);
  for (const stream of [process.stdout, process.stderr]) rewriteFunctionLines(stream, rewrite);
}
