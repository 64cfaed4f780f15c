import { mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS, type FunctionDefinition } from '../functions/catalog.ts';
import { RECEIPT_KEY_PREFIX } from '../functions/receipts/receipt-item.ts';
import { TABLES } from '../infra/tables.ts';
import { readLocalConfig, type LocalConfig, type LocalConfigOverrides } from './config.ts';
import { createLocalDynamoDbTables, startLocalDynamoDb } from './dynamodb.ts';
import { createLambdaInvokeHandler, isLambdaInvokeRequest } from './lambda-api.ts';
import { startLocalScheduler } from './scheduler.ts';
import { createLocalLambda, type Handler, type LocalLambda } from './lambda.ts';
import { createConsoleRoute } from './console/console.ts';
import { createRealtimeServer, type RealtimeServer } from './realtime/server.ts';
import { startLocalS3 } from './s3.ts';
import { amplifyOutputs, type AmplifyOutputs } from './server/amplify-outputs.ts';
import { createAuthenticator, createIamVerifier, signedRequestOf, type CognitoTokenVerifier } from './server/auth.ts';
import { loadOrCreateCertificate } from './server/certificate.ts';
import { listenDual } from './server/dual-port.ts';
import { createGraphQLExecutor, type ResolverRunner } from './server/graphql.ts';
import { createGraphQLRoute, createRequestListener, type Route } from './server/http.ts';
import { loadApiSchema } from './server/schema.ts';
import { createOutbox, type Outbox, type OutgoingEmail } from './ses-outbox.ts';

/**
 * The whole local system in this process: stand-ins for DynamoDB, S3, SES, Lambda and
 * Cognito, the AppSync runtime (HTTP + real-time) and the console, on one port. `npm start`
 * runs it (local/main.ts); tests start it in-process on a free port.
 */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Cognito stand-in as the stack uses it. */
export interface CognitoStandIn {
  userPoolId: string;
  userPoolClientId: string;
  passwordPolicy?: Record<string, unknown>;
  /** Serves the Cognito JSON protocol (and JWKS) under `/cognito`. */
  route: Route;
  verify: CognitoTokenVerifier;
  stop?(): Promise<void>;
}

export interface CognitoFactoryInput {
  dataDir: string;
  region: string;
  /** Base URL the stand-in is reachable at (issuer host), e.g. http://127.0.0.1:4000/cognito */
  endpoint: string;
  sendEmail(email: OutgoingEmail): Promise<void>;
  /** Runs the post-confirmation trigger function with Cognito's event. */
  onPostConfirmation(event: unknown): Promise<void>;
}

export interface ResolverFactoryInput {
  projectRoot: string;
  /** Where the stack keeps its state (DATA_DIR). */
  dataDir: string;
  dynamoDbEndpoint: string;
  region: string;
  credentials: LocalConfig['credentials'];
  lambda: LocalLambda;
}

export interface LocalStackOptions extends LocalConfigOverrides {
  /** Environment to read configuration from (default process.env). */
  env?: NodeJS.ProcessEnv;
  createResolvers: (input: ResolverFactoryInput) => Promise<ResolverRunner>;
  createCognito: (input: CognitoFactoryInput) => Promise<CognitoStandIn>;
  /** Extra routes served on the API port (e.g. the Textract stand-in), before the built-in ones. */
  extraRoutes?: (input: { lambda: LocalLambda; outbox: Outbox; config: LocalConfig }) => Promise<Route[]>;
  /** Delay between retries of failed async (Event) invocations. */
  lambdaRetryDelaysMs?: number[];
  /** The functions and how their handlers load (default: functions/catalog.ts, imported). */
  functions?: readonly FunctionDefinition[];
  loadHandler?: (fn: FunctionDefinition) => Promise<Handler>;
  /** Where schema.graphql, appsync.graphql and resolvers/ are read from (default: this project). */
  apiRoot?: string;
  /** Interval of the real-time `ka` messages (default 60 s). */
  keepAliveMs?: number;
  log?: (line: string) => void;
}

export interface LocalStack {
  config: LocalConfig;
  urls: {
    graphql: string;
    realtime: string;
    console: string;
    outbox: string;
    cognito: string;
    amplifyOutputs: string;
    dynamodb: string;
    s3: string;
  };
  amplifyOutputs: AmplifyOutputs;
  amplifyOutputsFile: string;
  certificateFile: string;
  outbox: Outbox;
  lambda: LocalLambda;
  realtime: RealtimeServer;
  cognito: CognitoStandIn;
  stop(): Promise<void>;
}

/** Environment the in-process functions read, set the way infra sets it on AWS. */
function functionEnvironment(config: LocalConfig, urls: { api: string; dynamodb: string; s3: string }): Record<string, string> {
  const overrides = Object.fromEntries(Object.entries(config.endpointOverrides).map(([service, url]) => [`AWS_ENDPOINT_URL_${service}`, url]));
  const env: Record<string, string> = {
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_S3: urls.s3,
    AWS_ENDPOINT_URL_SESV2: urls.api,
    AWS_ENDPOINT_URL_LAMBDA: urls.api,
    AWS_ENDPOINT_URL_TEXTRACT: urls.api,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `${urls.api}/cognito`,
    RECEIPTS_BUCKET: config.receiptsBucket,
    S3_FORCE_PATH_STYLE: 'true',
    GRAPHQL_URL: `${urls.api}/graphql`,
    // As Lambda sets them: the first invocation of each function is its cold start; invocations
    // overlap in this process (local/lambda.ts), so Powertools keeps state per invocation (no limit is enforced).
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_MAX_CONCURRENCY: '1000',
    // Every function runs in this process, so a receipt lease taken before it started was held
    // by a run that died with the previous one (kill -9): the start-up sweep takes it over at once.
    PROCESSING_LEASES_VOID_BEFORE: new Date().toISOString(),
    // dynalite updates its indexes with the table, so budgets need no second look after a change.
    INDEX_SETTLE_MS: '0',
    // An endpoint given in the environment wins over the stand-in's.
    ...overrides,
  };
  for (const table of TABLES) env[table.envVar] = table.logicalName;
  return env;
}

function staticRoute(pathname: string, contentType: string, body: () => string): Route {
  return {
    matches: (req: IncomingMessage) => req.method === 'GET' && (req.url ?? '').split('?')[0] === pathname,
    handle: (_req, res) => {
      res.writeHead(200, { 'content-type': contentType, 'access-control-allow-origin': '*' });
      res.end(body());
    },
  };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const config = readLocalConfig(options.env ?? process.env, options);
  const log = options.log ?? ((line: string) => (config.quiet ? undefined : console.log(line)));
  const stops: Array<() => Promise<void>> = [];
  const savedEnv: Record<string, string | undefined> = {};
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error: unknown) => log(`shutdown step failed: ${String(error)}`));
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  try {
    await mkdir(config.dataDir, { recursive: true });
    const certificate = await loadOrCreateCertificate(config.dataDir);
    const routes: Route[] = [];
    const dual = await listenDual({ host: config.host, port: config.port, key: certificate.key, cert: certificate.cert }, createRequestListener(routes, log));
    stops.push(() => dual.close());
    const api = `http://${config.host}:${dual.port}`;

    const dynamodb = config.endpointOverrides.DYNAMODB ? { endpoint: config.endpointOverrides.DYNAMODB } : await startLocalDynamoDb(config.dataDir, config.host);
    if ('stop' in dynamodb) stops.push(dynamodb.stop);
    await createLocalDynamoDbTables(dynamodb.endpoint, config.region, config.credentials);

    const lambda = createLocalLambda({
      functions: options.functions ?? FUNCTIONS,
      projectRoot: PROJECT_ROOT,
      region: config.region,
      retryDelaysMs: options.lambdaRetryDelaysMs,
      loadHandler: options.loadHandler,
      log: (m, d) => log(`${m}${d ? ` ${d instanceof Error ? d.stack : JSON.stringify(d)}` : ''}`) });
    stops.push(() => lambda.stop());

    const s3 = config.endpointOverrides.S3
      ? { endpoint: config.endpointOverrides.S3 }
      : await startLocalS3({
          dataDir: config.dataDir,
          bucket: config.receiptsBucket,
          region: config.region,
          credentials: config.credentials,
          host: config.host,
          onObjectCreated: (event) => {
            // As the bucket's notification is filtered (infra/constructs/processing.ts): receipt images only.
            if (!event.Records.every((r) => decodeURIComponent(r.s3.object.key).startsWith(RECEIPT_KEY_PREFIX))) return;
            for (const fn of lambda.triggered('s3-object-created')) void lambda.invoke(fn.name, event, 'Event');
          },
        });
    if ('stop' in s3) stops.push(s3.stop);

    // One process: the functions read this process's environment, so set it as infra would.
    for (const [name, value] of Object.entries(functionEnvironment(config, { api, dynamodb: dynamodb.endpoint, s3: s3.endpoint }))) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    // Every handler loads while the rest starts; a broken one fails the start (awaited below).
    const functionsLoaded = lambda.loadAll();
    functionsLoaded.catch(() => {});

    // SendEmail is SigV4-signed for service ses, as SES requires; in-process senders (Cognito) write directly.
    const verifySesCaller = createIamVerifier(config.credentials, config.region, 'ses');
    const outbox = createOutbox(config.dataDir, { authorize: async (req, body) => void (await verifySesCaller(signedRequestOf(req, body))) });
    const cognito = await options.createCognito({
      dataDir: config.dataDir,
      region: config.region,
      endpoint: `${api}/cognito`,
      sendEmail: async (email) => {
        await outbox.send(email);
      },
      onPostConfirmation: async (event) => {
        for (const fn of lambda.triggered('cognito-post-confirmation')) await lambda.invoke(fn.name, event, 'RequestResponse');
      },
    });
    if (cognito.stop) stops.push(cognito.stop);

    const apiRoot = options.apiRoot ?? PROJECT_ROOT;
    const resolvers = await options.createResolvers({ projectRoot: apiRoot, dataDir: config.dataDir, dynamoDbEndpoint: dynamodb.endpoint, region: config.region, credentials: config.credentials, lambda });
    const apiSchema = loadApiSchema(apiRoot);
    const executor = createGraphQLExecutor(apiSchema, resolvers);
    const authenticator = createAuthenticator({ verifyCognito: cognito.verify, verifyIam: createIamVerifier(config.credentials, config.region) });
    const realtime = createRealtimeServer({ api: apiSchema, executor, resolvers, authenticator, keepAliveMs: options.keepAliveMs, log });
    stops.push(() => realtime.close());
    for (const server of [dual.http, dual.https]) {
      server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
        if (realtime.matches(req)) realtime.handleUpgrade(req, socket, head);
        else socket.destroy();
      });
    }

    const outputs = amplifyOutputs({
      region: config.region,
      userPoolId: cognito.userPoolId,
      userPoolClientId: cognito.userPoolClientId,
      userPoolEndpoint: `${api}/cognito`,
      graphqlUrl: `${api}/graphql`,
      passwordPolicy: cognito.passwordPolicy,
    });
    const amplifyOutputsFile = path.join(config.dataDir, 'amplify_outputs.json');
    await writeFile(amplifyOutputsFile, JSON.stringify(outputs, null, 2));

    const verifyLambdaCaller = createIamVerifier(config.credentials, config.region, 'lambda');
    const invokeLambda = createLambdaInvokeHandler(
      (name, payload, type) => lambda.invoke(name, payload, type),
      () => lambda.names(),
      async (req, body) => void (await verifyLambdaCaller(signedRequestOf(req, body))),
    );
    routes.push(
      ...(options.extraRoutes ? await options.extraRoutes({ lambda, outbox, config }) : []),
      cognito.route,
      { matches: (req) => outbox.isSesRequest(req), handle: (req, res) => outbox.handleSes(req, res) },
      { matches: isLambdaInvokeRequest, handle: invokeLambda },
      createGraphQLRoute({ executor, authenticator, onPublished: (published) => realtime.publish(published), log: config.quiet ? undefined : log }),
      { matches: (req) => outbox.isOutboxRequest(req), handle: (req, res) => outbox.handleOutbox(req, res) },
      staticRoute('/amplify_outputs.json', 'application/json', () => JSON.stringify(outputs, null, 2)),
      createConsoleRoute(apiSchema.schema),
    );

    await functionsLoaded;

    // Last, so a sweep at start finds every route (the OCR function calls the API and Textract).
    const scheduler = startLocalScheduler(lambda, log, { dataDir: config.dataDir });
    stops.push(async () => scheduler.stop());

    return {
      config: { ...config, port: dual.port },
      urls: {
        graphql: `${api}/graphql`,
        realtime: `wss://${config.host}:${dual.port}/graphql/realtime`,
        console: `${api}/`,
        outbox: `${api}/outbox`,
        cognito: `${api}/cognito`,
        amplifyOutputs: `${api}/amplify_outputs.json`,
        dynamodb: dynamodb.endpoint,
        s3: s3.endpoint,
      },
      amplifyOutputs: outputs,
      amplifyOutputsFile,
      certificateFile: certificate.certFile,
      outbox,
      lambda,
      realtime,
      cognito,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
