import '../sdk-warnings.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readLocalConfig } from '../config.ts';

/**
 * `npm run report -- --email ADDRESS --period monthly [--date YYYY-MM-DD]`: send one user's
 * weekly or monthly report now. It asks the running stack (`npm start`, found through
 * DATA_DIR/amplify_outputs.json) to invoke ReportFn over the Lambda Invoke API, the same call
 * that works against AWS with `--endpoint` unset and real credentials.
 */
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    period: { type: 'string', default: 'monthly' },
    date: { type: 'string' },
    function: { type: 'string', default: 'ReportFn' },
  },
});
const period = values.period?.toUpperCase();
if (!values.email || (period !== 'WEEKLY' && period !== 'MONTHLY')) {
  console.error('usage: npm run report -- --email ADDRESS --period weekly|monthly [--date YYYY-MM-DD]');
  process.exit(2);
}

const config = readLocalConfig(process.env);
let endpoint: string;
try {
  const outputs = JSON.parse(await readFile(path.join(config.dataDir, 'amplify_outputs.json'), 'utf8')) as {
    data: { url: string };
  };
  endpoint = new URL(outputs.data.url).origin;
} catch {
  console.error(`No running stack found in ${config.dataDir}: start it with npm start (or set DATA_DIR).`);
  process.exit(1);
}

const lambda = new LambdaClient({ endpoint, region: config.region, credentials: config.credentials });
try {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: values.function,
      Payload: Buffer.from(JSON.stringify({ action: 'sendReport', email: values.email, period, date: values.date })),
    }),
  );
  const answer = JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8') || 'null');
  if (out.FunctionError || answer?.error) {
    console.error(`Report not sent: ${answer?.error?.message ?? answer?.errorMessage ?? out.FunctionError}`);
    process.exit(1);
  }
  const sent = answer.data;
  console.log(
    `Sent the ${period.toLowerCase()} report ${sent.periodStart} – ${sent.periodEnd} to ${sent.to}. See it at ${endpoint}/outbox`,
  );
} catch (error) {
  console.error(`Could not reach the stack at ${endpoint}: ${(error as Error).message}`);
  process.exit(1);
}
