import './sdk-warnings.ts';
import { LOCAL_SECRET_ACCESS_KEY, readLocalConfig } from './config.ts';
import { startLocalStack } from './stack.ts';
import { createCognito, createResolvers, createExtraRoutes } from './wiring.ts';

/**
 * `npm start`: the whole Smart Expense Tracker in this one process. Configuration by env
 * (see local/config.ts); Ctrl-C (SIGINT) or SIGTERM shuts down cleanly, and data in DATA_DIR
 * survives even a kill -9.
 */
const config = readLocalConfig();
const stack = await startLocalStack({ ...config, createResolvers, createCognito, extraRoutes: createExtraRoutes }).catch((error: Error) => {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
});

const { urls } = stack;
console.log(`
Smart Expense Tracker is running (ready ${(process.uptime()).toFixed(1)} s after launch)

  GraphQL API       ${urls.graphql}
  Real-time         ${urls.realtime}
  Console           ${urls.console}
  Outbox            ${urls.outbox}
  Cognito endpoint  ${urls.cognito}   (user pool ${stack.amplifyOutputs.auth.user_pool_id}, client ${stack.amplifyOutputs.auth.user_pool_client_id})
  Client config     ${urls.amplifyOutputs}   (also ${stack.amplifyOutputsFile})
  DynamoDB          ${urls.dynamodb}
  S3                ${urls.s3}   (bucket ${stack.config.receiptsBucket})

  Data directory    ${stack.config.dataDir}
  IAM credentials   ${stack.config.credentials.accessKeyId} / ${stack.config.credentials.secretAccessKey === LOCAL_SECRET_ACCESS_KEY ? LOCAL_SECRET_ACCESS_KEY : '(your AWS_SECRET_ACCESS_KEY)'}   (SigV4, service appsync)
  TLS (wss://)      trust the local CA ${stack.certificateFile}
                    Node: NODE_EXTRA_CA_CERTS=${stack.certificateFile}; browsers: see README, or open https://${stack.config.host}:${stack.config.port}/ once
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: shutting down…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
