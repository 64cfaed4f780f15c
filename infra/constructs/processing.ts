import path from 'node:path';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionDefinition } from '../../model/functions.ts';
import { METRICS_NAMESPACE, SCHEDULE_RUN_ID_FIELD } from '../../model/telemetry.ts';
import { functionEnvVar, type FunctionAccess } from '../function-access.ts';
import { SCHEDULES } from '../schedules.ts';
import { TABLES } from '../../model/tables.ts';
import type { Api } from './api.ts';
import { RECEIPT_KEY_PREFIX } from '../../model/receipts.ts';
import { userObjectPrefixes } from '../../model/data-lifecycle.ts';
import type { Notifications } from './notifications.ts';

/**
 * The Powertools service of a function: the folder of its handler (`functions/<service>/handler.ts`),
 * the name its handler gives itself locally, so logs and metrics name it the same everywhere.
 */
export function serviceNameOf(definition: FunctionDefinition): string {
  return path.basename(path.dirname(definition.entry));
}

export interface ProcessingProps {
  projectRoot: string;
  /** model/functions.ts FUNCTIONS. */
  functions: readonly FunctionDefinition[];
  /** infra/function-access.ts FUNCTION_ACCESS. */
  access: Readonly<Record<string, FunctionAccess>>;
  tables: ReadonlyMap<string, dynamodb.ITable>;
  receiptsBucket: s3.Bucket;
  userPool: cognito.UserPool;
  userPoolClient: cognito.UserPoolClient;
  api: Api;
  notifications: Notifications;
  logLevel: string;
  /** The domain forwarding addresses are made at and SES receives for (infra/constructs/inbound-mail.ts). */
  inboundEmailDomain?: string;
}

export interface DeployedFunction {
  definition: FunctionDefinition;
  fn: NodejsFunction;
  /** Where its failed asynchronous invocations land. */
  deadLetterQueue: sqs.Queue;
}

/**
 * Every function of model/functions.ts as a NodejsFunction with the same defaults
 * (Node.js 22 on arm64, active tracing, 30-day logs, Powertools env, a dead-letter queue),
 * the grants its catalog entry and infra/function-access.ts name and nothing more, and the
 * triggers it lists: Cognito post-confirmation, S3 object created, schedules.
 */
export class Processing extends Construct {
  /** By catalog name. */
  readonly functions = new Map<string, DeployedFunction>();
  private readonly access: Readonly<Record<string, FunctionAccess>>;

  constructor(scope: Construct, id: string, props: ProcessingProps) {
    super(scope, id);
    this.access = props.access;

    for (const definition of props.functions)
      this.functions.set(definition.name, this.createFunction(definition, props));
    for (const deployed of this.functions.values()) {
      this.grant(deployed, props);
      this.wireTriggers(deployed, props);
    }
  }

  /** What the function may do beyond its tables (nothing when function-access.ts does not name it). */
  accessOf(name: string): FunctionAccess {
    return this.access[name] ?? {};
  }

  /** Lambda functions by catalog name (for AppSync data sources). */
  lambdaFunctions(): Map<string, lambda.IFunction> {
    return new Map([...this.functions].map(([name, deployed]) => [name, deployed.fn]));
  }

  private createFunction(definition: FunctionDefinition, props: ProcessingProps): DeployedFunction {
    const access = this.accessOf(definition.name);
    const deadLetterQueue = new sqs.Queue(this, `${definition.name}DeadLetters`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const logGroup = new logs.LogGroup(this, `${definition.name}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: serviceNameOf(definition),
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: props.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
      RECEIPTS_BUCKET: props.receiptsBucket.bucketName,
      SENDER_EMAIL: props.notifications.senderEmail,
      COMPREHEND_ENABLED: String(access.comprehend === true),
    };
    if (props.inboundEmailDomain) environment.INBOUND_EMAIL_DOMAIN = props.inboundEmailDomain;
    for (const table of TABLES) environment[table.envVar] = props.tables.get(table.logicalName)!.tableName;
    // Only publishers learn the API URL: the Cognito trigger cannot depend on the API that depends on its pool.
    if (access.publish?.length) environment.GRAPHQL_URL = props.api.api.graphqlUrl;
    if (access.accountData) {
      environment.USER_POOL_ID = props.userPool.userPoolId;
      environment.USER_POOL_CLIENT_ID = props.userPoolClient.userPoolClientId;
    }

    const fn = new NodejsFunction(this, definition.name, {
      entry: path.join(props.projectRoot, definition.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environment,
      deadLetterQueue,
      description: `${definition.name} (${definition.entry})`,
      bundling: {
        // Local esbuild, never Docker: synth works offline on any machine that ran npm install.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // The SDK versions the code was tested with, not whatever the runtime ships.
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        // CommonJS inside the ESM bundle still looks for require, __filename and __dirname
        // (libheif-js's Emscripten glue reads __dirname as it loads).
        banner:
          "import { createRequire } from 'node:module'; import { dirname as __bannerDirname } from 'node:path'; import { fileURLToPath as __bannerFileURLToPath } from 'node:url'; " +
          'const require = createRequire(import.meta.url); const __filename = __bannerFileURLToPath(import.meta.url); const __dirname = __bannerDirname(__filename);',
        logLevel: LogLevel.WARNING,
        ...(access.bundleFiles?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  access.bundleFiles!.map((file) => `cp "${path.join(inputDir, file)}" "${outputDir}/"`),
              },
            }
          : {}),
      },
    });
    return { definition, fn, deadLetterQueue };
  }

  private grant({ definition, fn }: DeployedFunction, props: ProcessingProps): void {
    const access = this.accessOf(definition.name);
    for (const name of definition.tables.read ?? []) requiredTable(props.tables, name, definition).grantReadData(fn);
    for (const name of definition.tables.readWrite ?? [])
      requiredTable(props.tables, name, definition).grantReadWriteData(fn);

    for (const prefix of access.bucketPrefixes ?? []) {
      props.receiptsBucket.grantRead(fn, `${prefix}*`);
      props.receiptsBucket.grantPut(fn, `${prefix}*`);
    }
    for (const prefix of access.deletePrefixes ?? []) {
      if (!access.bucketPrefixes?.includes(prefix))
        throw new Error(`${definition.name}: deletePrefixes ${prefix} is not one of its bucketPrefixes`);
      // The object and each of its versions (functions/shared/receipt-objects.ts deleteAllVersions), listed under the prefix only.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          resources: [props.receiptsBucket.arnForObjects(`${prefix}*`)],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucketVersions'],
          resources: [props.receiptsBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${prefix}*` } },
        }),
      );
    }
    if (access.receiptsBucket === 'read') props.receiptsBucket.grantRead(fn, `${RECEIPT_KEY_PREFIX}*`);
    if (access.receiptsBucket === 'readWrite') {
      props.receiptsBucket.grantReadWrite(fn, `${RECEIPT_KEY_PREFIX}*`);
      // Deleting a receipt removes every version of its object (functions/shared/receipt-objects.ts).
      props.receiptsBucket.grantDelete(fn, `${RECEIPT_KEY_PREFIX}*`);
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [props.receiptsBucket.bucketArn] }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:DeleteObjectVersion'],
          resources: [props.receiptsBucket.arnForObjects(`${RECEIPT_KEY_PREFIX}*`)],
        }),
      );
    }
    if (access.accountData) {
      // Every prefix a user's objects live under (a placeholder for the user id: the function acts for any user).
      const prefixes = [...new Set(userObjectPrefixes('USER').map((prefix) => prefix.split('/')[0]))];
      for (const prefix of prefixes) {
        props.receiptsBucket.grantReadWrite(fn, `${prefix}/*`);
        props.receiptsBucket.grantDelete(fn, `${prefix}/*`);
      }
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucketVersions', 's3:ListBucket'],
          resources: [props.receiptsBucket.bucketArn],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:DeleteObjectVersion', 's3:GetObjectVersion'],
          resources: prefixes.map((prefix) => props.receiptsBucket.arnForObjects(`${prefix}/*`)),
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminDeleteUser'],
          resources: [props.userPool.userPoolArn],
        }),
      );
    }
    // AnalyzeExpense and DetectEntities have no resource-level permissions: `*` is the only resource IAM accepts.
    if (access.textract)
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:AnalyzeExpense'], resources: ['*'] }));
    if (access.comprehend)
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['comprehend:DetectEntities'], resources: ['*'] }));
    if (access.sendEmail) props.notifications.grantSend(fn);
    props.api.grantMutations(fn, access.publish ?? []);
    for (const target of access.invoke ?? []) {
      const callee = this.functions.get(target);
      if (!callee) {
        // Not fatal: features land one at a time. The call fails at run time until the callee is in the catalog.
        Annotations.of(fn).addWarningV2(
          'expense-tracker:missing-callee',
          `${definition.name} invokes ${target}, which is not in model/functions.ts`,
        );
        continue;
      }
      callee.fn.grantInvoke(fn);
      fn.addEnvironment(functionEnvVar(target), callee.fn.functionName);
    }
  }

  private wireTriggers({ definition, fn }: DeployedFunction, props: ProcessingProps): void {
    for (const trigger of definition.triggers ?? []) {
      switch (trigger) {
        case 'cognito-post-confirmation':
          props.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, fn);
          break;
        case 's3-object-created':
          props.receiptsBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), {
            prefix: RECEIPT_KEY_PREFIX,
          });
          break;
        case 'ses-inbound-email':
          // SES's receipt rule invokes it (infra/constructs/inbound-mail.ts), when a receiving domain is configured.
          break;
        case 'schedule-reports':
        case 'schedule-sweep':
        case 'schedule-rates':
        case 'schedule-job-sweep':
        case 'schedule-retention':
        case 'schedule-recurring':
          for (const schedule of SCHEDULES[trigger]) {
            new scheduler.Schedule(this, `${definition.name}${schedule.name}`, {
              description: `${schedule.name} → ${definition.name}`,
              schedule: scheduler.ScheduleExpression.expression(schedule.expression),
              target: new targets.LambdaInvoke(fn, {
                // Each run's id rides in the event, so its log lines share one correlation id.
                input: scheduler.ScheduleTargetInput.fromObject({
                  ...schedule.payload,
                  [SCHEDULE_RUN_ID_FIELD]: scheduler.ContextAttribute.executionId,
                }),
                retryAttempts: 2,
              }),
            });
          }
          break;
        default:
          throw new Error(`${definition.name}: unknown trigger ${trigger satisfies never}`);
      }
    }
  }
}

function requiredTable(
  tables: ReadonlyMap<string, dynamodb.ITable>,
  name: string,
  definition: FunctionDefinition,
): dynamodb.ITable {
  const table = tables.get(name);
  if (!table) throw new Error(`${definition.name} names table ${name}, which is not in model/tables.ts`);
  return table;
}
