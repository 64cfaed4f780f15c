import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { evaluateCode } from './evaluate.ts';

/**
 * `npm run -s evaluate -- REQUESTS.jsonl` (or `-` for stdin): one EvaluateCode request per
 * line in, one EvaluateCode response per line out, in order.
 */
const source = process.argv[2];
if (!source) {
  process.stderr.write(
    'usage: npm run -s evaluate -- REQUESTS.jsonl   (one {"code","context","function","runtime"} per line; - reads stdin)\n',
  );
  process.exit(2);
}
const lines = createInterface({
  input: source === '-' ? process.stdin : createReadStream(source),
  crlfDelay: Infinity,
});
let failed = false;
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    answer = await evaluateCode(JSON.parse(line));
  } catch (error) {
    answer = { error: { message: `Invalid request line: ${(error as Error).message}` }, logs: [] };
  }
  if (answer.error) failed = true;
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
process.exitCode = failed ? 1 : 0;
