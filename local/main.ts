import './sdk-warnings.ts';
import path from 'node:path';
import { readLocalConfig } from './config.ts';
import { createServerLog, functionLogText, rewriteFunctionLines } from './log-format.ts';
import { startLocalStack } from './stack.ts';
import { createCognito, createResolvers, createExtraRoutes } from './wiring.ts';

/**
 * `npm start`: the whole Smart Expense Tracker in this one process. Configuration by env
 * (see local/config.ts); Ctrl-C (SIGINT) or SIGTERM shuts down cleanly, and data in DATA_DIR
 * survives even a kill -9.
 */
let config: ReturnType<typeof readLocalConfig>;
try {
  config = readLocalConfig();
} catch (error) {
  console.error(`Could not start: ${(error as Error).message}`);
  process.exit(1);
}
// The functions print Powertools JSON (log entries, EMF metrics) as on Lambda: one readable line each unless LOG_FORMAT=json.
if (config.logFormat === 'text')
  for (const stream of [process.stdout, process.stderr]) rewriteFunctionLines(stream, functionLogText);
const log = createServerLog(config.logFormat, (line) => console.log(line));
// Read before the stack starts: it sets AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for the in-process functions.
const ownCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);

const stack = await startLocalStack({
  ...config,
  createResolvers,
  createCognito,
  extraRoutes: createExtraRoutes,
}).catch((error: Error) => {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
});

const { urls } = stack;
if (config.logFormat === 'json')
  console.log(
    JSON.stringify({
      level: 'INFO',
      message: 'ready',
      timestamp: new Date().toISOString(),
      service: 'local-stack',
      readySeconds: Number(process.uptime().toFixed(1)),
      urls,
      dataDir: stack.config.dataDir,
      certificateAuthority: stack.certificateFile,
    }),
  );
else
  console.log(`
Smart Expense Tracker is running (ready ${process.uptime().toFixed(1)} s after launch)

  Web app           ${urls.app}
  GraphQL API       ${urls.graphql}
  Real-time         ${urls.realtime}
  Receipts by email ${urls.smtp}   (SMTP; forwarding addresses @${stack.config.inboundEmailDomain})
  Console           ${urls.console}
  Outbox            ${urls.outbox}
  Cognito endpoint  ${urls.cognito}   (user pool ${stack.amplifyOutputs.auth.user_pool_id}, client ${stack.amplifyOutputs.auth.user_pool_client_id})
  Client config     ${urls.amplifyOutputs}   (also ${stack.amplifyOutputsFile})
  DynamoDB          ${urls.dynamodb}
  S3                ${urls.s3}   (bucket ${stack.config.receiptsBucket})

  Data directory    ${stack.config.dataDir}
  IAM credentials   ${stack.config.credentials.accessKeyId}   (SigV4; ${ownCredentials ? 'your AWS_SECRET_ACCESS_KEY' : `the secret is in ${path.join(stack.config.dataDir, 'iam-credentials')}`})
  TLS (wss://)      trust the local CA ${stack.certificateFile}
                    Node: NODE_EXTRA_CA_CERTS=${stack.certificateFile}; browsers: see README, or open https://${stack.config.host}:${stack.config.port}/ once
`);
if (stack.newCertificateAuthority) {
  const notice = `Made a local certificate authority (for localhost only, valid a year): trust ${stack.certificateFile} (again, where you trusted an earlier one).`;
  // Under LOG_FORMAT=json every line stays JSON.
  if (config.logFormat === 'json') log(notice);
  else console.log(`  ${notice}\n`);
}

// Ready before the functions' modules are imported (an invocation waits for its own); one that fails to load ends the start.
stack.functionsLoaded.catch(async (error: Error) => {
  console.error(`Could not start: ${error.message}`);
  await stack.stop();
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: shutting down…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
