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
import type { FunctionDefinition } from '../../functions/catalog.ts';
import { METRICS_NAMESPACE } from '../../functions/shared/config.ts';
import { SCHEDULE_RUN_ID_FIELD } from '../../functions/shared/telemetry.ts';
import { functionEnvVar, type FunctionAccess } from '../function-access.ts';
import { SCHEDULES } from '../schedules.ts';
import { TABLES } from '../tables.ts';
import type { Api } from './api.ts';
import { RECEIPT_KEY_PREFIX } from '../../functions/receipts/receipt-item.ts';
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
  /** functions/catalog.ts FUNCTIONS. */
  functions: readonly FunctionDefinition[];
  /** infra/function-access.ts FUNCTION_ACCESS. */
  access: Readonly<Record<string, FunctionAccess>>;
  tables: ReadonlyMap<string, dynamodb.ITable>;
  receiptsBucket: s3.Bucket;
  userPool: cognito.UserPool;
  api: Api;
  notifications: Notifications;
  logLevel: string;
}

export interface DeployedFunction {
  definition: FunctionDefinition;
  fn: NodejsFunction;
  /** Where its failed asynchronous invocations land. */
  deadLetterQueue: sqs.Queue;
}

/**
 * Every function of functions/catalog.ts as a NodejsFunction with the same defaults
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

    for (const definition of props.functions) this.functions.set(definition.name, this.createFunction(definition, props));
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
    for (const table of TABLES) environment[table.envVar] = props.tables.get(table.logicalName)!.tableName;
    // Only publishers learn the API URL: the Cognito trigger cannot depend on the API that depends on its pool.
    if (access.publish?.length) environment.GRAPHQL_URL = props.api.api.graphqlUrl;

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
                afterBundling: (inputDir: string, outputDir: string) => access.bundleFiles!.map((file) => `cp "${path.join(inputDir, file)}" "${outputDir}/"`),
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
    for (const name of definition.tables.readWrite ?? []) requiredTable(props.tables, name, definition).grantReadWriteData(fn);

    for (const prefix of access.bucketPrefixes ?? []) {
      props.receiptsBucket.grantRead(fn, `${prefix}*`);
      props.receiptsBucket.grantPut(fn, `${prefix}*`);
    }
    if (access.receiptsBucket === 'read') props.receiptsBucket.grantRead(fn, `${RECEIPT_KEY_PREFIX}*`);
    if (access.receiptsBucket === 'readWrite') {
      props.receiptsBucket.grantReadWrite(fn, `${RECEIPT_KEY_PREFIX}*`);
      // Deleting a receipt removes every version of its object (functions/receipts/s3-objects.ts).
      props.receiptsBucket.grantDelete(fn, `${RECEIPT_KEY_PREFIX}*`);
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [props.receiptsBucket.bucketArn] }));
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObjectVersion'], resources: [props.receiptsBucket.arnForObjects(`${RECEIPT_KEY_PREFIX}*`)] }));
    }
    // AnalyzeExpense and DetectEntities have no resource-level permissions: `*` is the only resource IAM accepts.
    if (access.textract) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:AnalyzeExpense'], resources: ['*'] }));
    if (access.comprehend) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['comprehend:DetectEntities'], resources: ['*'] }));
    if (access.sendEmail) props.notifications.grantSend(fn);
    props.api.grantMutations(fn, access.publish ?? []);
    for (const target of access.invoke ?? []) {
      const callee = this.functions.get(target);
      if (!callee) {
        // Not fatal: features land one at a time. The call fails at run time until the callee is in the catalog.
        Annotations.of(fn).addWarningV2('expense-tracker:missing-callee', `${definition.name} invokes ${target}, which is not in functions/catalog.ts`);
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
          props.receiptsBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), { prefix: RECEIPT_KEY_PREFIX });
          break;
        case 'schedule-reports':
        case 'schedule-sweep':
          for (const schedule of SCHEDULES[trigger]) {
            new scheduler.Schedule(this, `${definition.name}${schedule.name}`, {
              description: `${schedule.name} → ${definition.name}`,
              schedule: scheduler.ScheduleExpression.expression(schedule.expression),
              target: new targets.LambdaInvoke(fn, {
                // Each run's id rides in the event, so its log lines share one correlation id.
                input: scheduler.ScheduleTargetInput.fromObject({ ...schedule.payload, [SCHEDULE_RUN_ID_FIELD]: scheduler.ContextAttribute.executionId }),
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

function requiredTable(tables: ReadonlyMap<string, dynamodb.ITable>, name: string, definition: FunctionDefinition): dynamodb.ITable {
  const table = tables.get(name);
  if (!table) throw new Error(`${definition.name} names table ${name}, which is not in infra/tables.ts`);
  return table;
}
