import { mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS, type FunctionDefinition } from '../model/functions.ts';
import { RECEIPT_KEY_PREFIX } from '../model/receipts.ts';
import { TABLES } from '../model/tables.ts';
import { createServerLog } from './log-format.ts';
import { readLocalConfig, type LocalConfig, type LocalConfigOverrides } from './config.ts';
import { createLocalDynamoDbTables, startLocalDynamoDb, type LocalDynamoDb } from './dynamodb.ts';
import { createLambdaInvokeHandler, isLambdaInvokeRequest } from './lambda-api.ts';
import { startLocalScheduler } from './scheduler.ts';
import { createLocalLambda, type Handler, type LocalLambda } from './lambda.ts';
import { openEventQueue } from './lambda-queue.ts';
import { createConsoleRoute } from './console/console.ts';
import { createRealtimeServer, type RealtimeServer } from './realtime/server.ts';
import { S3_PATH, startLocalS3 } from './s3/stand-in.ts';
import { startLocalSmtpInbound } from './smtp-inbound.ts';
import { amplifyOutputs, type AmplifyOutputs } from '../model/amplify-outputs.ts';
import { createAuthenticator, createIamVerifier, signedRequestOf, type CognitoTokenVerifier } from './server/auth.ts';
import { loadOrCreateCertificate } from './server/certificate.ts';
import { listenDual } from './server/dual-port.ts';
import { createGraphQLExecutor, type ResolverRunner } from './server/graphql.ts';
import { createGraphQLRoute, createRequestListener, type Route } from './server/http.ts';
import { loadApiSchema } from './server/schema.ts';
import { createOutbox, type Outbox, type OutgoingEmail } from './ses-outbox.ts';
import { createWebAppRoute } from './web-app.ts';
import { buildWebApp, type WebBuild } from '../web/build.ts';

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
  /** Calls `listener` after sign-in sessions end (RevokeToken, GlobalSignOut, a password reset); returns the unsubscribe. */
  onSessionsEnded?(listener: () => void): () => void;
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
  /** Where unexpected failures are reported (clients only learn that one happened). */
  log?: (line: string) => void;
  /** Checks an admin operation's SigV4 signature (service `cognito-idp`): the functions' IAM key pair only. */
  authorizeAdmin?: (req: IncomingMessage, body: string) => Promise<void>;
}

export interface ResolverFactoryInput {
  projectRoot: string;
  /** Where the stack keeps its state (DATA_DIR). */
  dataDir: string;
  dynamoDbEndpoint: string;
  /** The embedded DynamoDB stand-in (absent when DynamoDB is another endpoint): resolvers call it without HTTP. */
  dynamoDbInProcess?: LocalDynamoDb['call'];
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
  /** The functions and how their handlers load (default: model/functions.ts, imported). */
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
    /** The web app. */
    app: string;
    graphql: string;
    realtime: string;
    /** The SMTP listener forwarded receipts are sent to (SES receiving). */
    smtp: string;
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
  /** The web app's build (made or read from the cache while the stack starts; requests wait for it). */
  webApp: Promise<WebBuild>;
  /** Every function's module imported (rejects naming the ones that failed); the stack is ready before. */
  functionsLoaded: Promise<void>;
  /** True when this start made the local certificate authority: it must be trusted (again). */
  newCertificateAuthority: boolean;
  outbox: Outbox;
  lambda: LocalLambda;
  realtime: RealtimeServer;
  cognito: CognitoStandIn;
  /** Connections open on the API port now (for the soak test: none may be left behind). */
  openConnections(): number;
  stop(): Promise<void>;
}

/** Environment the in-process functions read, set the way infra sets it on AWS. */
function functionEnvironment(
  config: LocalConfig,
  urls: { api: string; dynamodb: string; s3: string },
): Record<string, string> {
  const overrides = Object.fromEntries(
    Object.entries(config.endpointOverrides).map(([service, url]) => [`AWS_ENDPOINT_URL_${service}`, url]),
  );
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
    INBOUND_EMAIL_DOMAIN: config.inboundEmailDomain,
    // The SMTP listener has no DNS, so no SPF/DKIM/DMARC verdicts: the From is taken as given (local/smtp-inbound.ts).
    INBOUND_REQUIRE_SENDER_AUTH: 'false',
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
  const log = createServerLog(
    config.logFormat,
    options.log ?? ((line: string) => (config.quiet ? undefined : console.log(line))),
  );
  const stops: Array<() => Promise<void>> = [];
  const savedEnv: Record<string, string | undefined> = {};
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error: unknown) => log(`shutdown step failed: ${String(error)}`));
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  // Bundled (or read from the cache) while everything else starts.
  const webApp = buildWebApp();
  webApp.catch((error: Error) => log(`The web app could not be built: ${error.message}`));
  try {
    await mkdir(config.dataDir, { recursive: true });
    const certificate = await loadOrCreateCertificate(config.dataDir);
    const routes: Route[] = [];
    const dual = await listenDual(
      { host: config.host, port: config.port, key: certificate.key, cert: certificate.cert },
      createRequestListener(routes, log),
    );
    stops.push(() => dual.close());
    const api = `http://${config.host}:${dual.port}`;

    // DynamoDB and S3 answer on this port from the start: the tables are created through it.
    let dynamoDbEndpoint = config.endpointOverrides.DYNAMODB;
    let dynamoDbInProcess: LocalDynamoDb['call'] | undefined;
    if (!dynamoDbEndpoint) {
      const dynamodb = await startLocalDynamoDb({
        dataDir: config.dataDir,
        region: config.region,
        credentials: config.credentials,
      });
      stops.push(dynamodb.stop);
      routes.push(dynamodb);
      dynamoDbEndpoint = api;
      dynamoDbInProcess = dynamodb.call;
    }
    // An existing data folder is brought up to model/tables.ts (indexes added, items kept).
    const tableChanges = await createLocalDynamoDbTables(dynamoDbEndpoint, config.region, config.credentials, {
      strategy: dynamoDbInProcess ? 'rewrite' : 'update-table',
      location: dynamoDbInProcess ? path.join(path.resolve(config.dataDir), 'dynamodb') : dynamoDbEndpoint,
    });
    for (const change of tableChanges) if (!/: created$/.test(change)) log(`DynamoDB upgrade: ${change}`);

    const lambda = createLocalLambda({
      functions: options.functions ?? FUNCTIONS,
      projectRoot: PROJECT_ROOT,
      region: config.region,
      retryDelaysMs: options.lambdaRetryDelaysMs,
      loadHandler: options.loadHandler,
      queue: openEventQueue(path.join(config.dataDir, 'lambda-events')),
      log: (m, d) => log(`${m}${d ? ` ${d instanceof Error ? d.stack : JSON.stringify(d)}` : ''}`),
    });
    stops.push(() => lambda.stop());

    let s3Endpoint = config.endpointOverrides.S3;
    if (!s3Endpoint) {
      const s3 = await startLocalS3({
        dataDir: config.dataDir,
        bucket: config.receiptsBucket,
        region: config.region,
        credentials: config.credentials,
        log,
        onObjectCreated: (event) => {
          // As the bucket's notification is filtered (infra/constructs/processing.ts): receipt images only.
          if (!event.Records.every((r) => decodeURIComponent(r.s3.object.key).startsWith(RECEIPT_KEY_PREFIX))) return;
          for (const fn of lambda.triggered('s3-object-created')) void lambda.invoke(fn.name, event, 'Event');
        },
      });
      stops.push(s3.stop);
      routes.push(s3);
      s3Endpoint = `${api}${S3_PATH}`;
    }

    // One process: the functions read this process's environment, so set it as infra would.
    for (const [name, value] of Object.entries(
      functionEnvironment(config, { api, dynamodb: dynamoDbEndpoint, s3: s3Endpoint }),
    )) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }

    // SendEmail is SigV4-signed for service ses, as SES requires; in-process senders (Cognito) write directly.
    const verifySesCaller = createIamVerifier(config.credentials, config.region, 'ses');
    const verifyCognitoAdmin = createIamVerifier(config.credentials, config.region, 'cognito-idp');
    const outbox = createOutbox(config.dataDir, {
      authorize: async (req, body) => void (await verifySesCaller(signedRequestOf(req, body))),
    });
    const cognito = await options.createCognito({
      dataDir: config.dataDir,
      region: config.region,
      endpoint: `${api}/cognito`,
      sendEmail: async (email) => {
        await outbox.send(email);
      },
      onPostConfirmation: async (event) => {
        for (const fn of lambda.triggered('cognito-post-confirmation'))
          await lambda.invoke(fn.name, event, 'RequestResponse');
      },
      log,
      authorizeAdmin: async (req, body) => void (await verifyCognitoAdmin(signedRequestOf(req, body))),
    });
    if (cognito.stop) stops.push(cognito.stop);
    // The pool's ids, as infra sets them on the functions that act on sign-in accounts.
    for (const [name, value] of Object.entries({
      USER_POOL_ID: cognito.userPoolId,
      USER_POOL_CLIENT_ID: cognito.userPoolClientId,
    })) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }

    const apiRoot = options.apiRoot ?? PROJECT_ROOT;
    const resolvers = await options.createResolvers({
      projectRoot: apiRoot,
      dataDir: config.dataDir,
      dynamoDbEndpoint,
      dynamoDbInProcess,
      region: config.region,
      credentials: config.credentials,
      lambda,
    });
    const apiSchema = loadApiSchema(apiRoot);
    const executor = createGraphQLExecutor(apiSchema, resolvers);
    const authenticator = createAuthenticator({
      verifyCognito: cognito.verify,
      verifyIam: createIamVerifier(config.credentials, config.region),
    });
    const realtime = createRealtimeServer({
      api: apiSchema,
      executor,
      resolvers,
      authenticator,
      keepAliveMs: options.keepAliveMs,
      onSessionsEnded: cognito.onSessionsEnded,
      log,
    });
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
      createGraphQLRoute({
        executor,
        authenticator,
        onPublished: (published) => realtime.publish(published),
        logRequest: config.quiet ? undefined : log.request,
      }),
      { matches: (req) => outbox.isOutboxRequest(req), handle: (req, res) => outbox.handleOutbox(req, res) },
      staticRoute('/amplify_outputs.json', 'application/json', () => JSON.stringify(outputs, null, 2)),
      createConsoleRoute(apiSchema.schema),
      createWebAppRoute({
        build: webApp,
        origins: () => ({
          // The API, its real-time socket and Cognito are this origin; receipts come from the local S3
          // (under this origin too, unless an S3 endpoint is configured).
          connect: [`wss://${config.host}:${dual.port}`, new URL(s3Endpoint).origin],
          images: [new URL(s3Endpoint).origin],
        }),
      }),
    );

    // As SES's receipt rule: store under inbound/, then invoke the functions it names, asynchronously.
    const smtp = await startLocalSmtpInbound({
      host: config.host,
      port: config.smtpPort,
      domain: config.inboundEmailDomain,
      bucket: config.receiptsBucket,
      s3: { endpoint: s3Endpoint, region: config.region, credentials: config.credentials },
      region: config.region,
      deliver: async (event) => {
        for (const fn of lambda.triggered('ses-inbound-email')) await lambda.invoke(fn.name, event, 'Event');
      },
      log,
    });
    stops.push(() => smtp.stop());

    // Last, so what runs at start finds every route (the OCR function calls the API and Textract):
    // the invocations a killed process left queued, then the schedules (the sweep runs at every start).
    await lambda.resumeLeftOver();
    const scheduler = startLocalScheduler(lambda, log, { dataDir: config.dataDir });
    stops.push(async () => scheduler.stop());

    // Every handler loads once the rest has started: readiness does not wait for them (an
    // invocation waits for its own function's module, as a Lambda cold start does); npm start
    // fails when one does not load (local/main.ts).
    const functionsLoaded = lambda.loadAll();
    functionsLoaded.catch(() => {});

    return {
      config: { ...config, port: dual.port, smtpPort: smtp.port },
      urls: {
        app: `${api}/`,
        graphql: `${api}/graphql`,
        realtime: `wss://${config.host}:${dual.port}/graphql/realtime`,
        smtp: smtp.url,
        console: `${api}/console`,
        outbox: `${api}/outbox`,
        cognito: `${api}/cognito`,
        amplifyOutputs: `${api}/amplify_outputs.json`,
        dynamodb: dynamoDbEndpoint,
        s3: s3Endpoint,
      },
      amplifyOutputs: outputs,
      amplifyOutputsFile,
      certificateFile: certificate.certFile,
      webApp,
      functionsLoaded,
      newCertificateAuthority: certificate.newAuthority,
      outbox,
      lambda,
      realtime,
      cognito,
      openConnections: () => dual.openConnections(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
