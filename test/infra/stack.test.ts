import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionDefinition } from '../../functions/catalog.ts';
import { PROJECT_ROOT } from '../../infra/app.ts';
import { METRICS_NAMESPACE } from '../../functions/shared/config.ts';
import { BUSINESS_METRICS, SCHEDULE_RUN_ID_FIELD } from '../../functions/shared/telemetry.ts';
import { RECEIPT_RETENTION_DAYS } from '../../infra/constructs/data.ts';
import { serviceNameOf } from '../../infra/constructs/processing.ts';
import { DEFAULT_SENDER_EMAIL } from '../../infra/deploy-config.ts';
import { FUNCTION_ACCESS, functionEnvVar, type FunctionAccess } from '../../infra/function-access.ts';
import { SCHEDULES } from '../../infra/schedules.ts';
import { TABLES } from '../../infra/tables.ts';
import { PASSWORD_POLICY } from '../../local/cognito/password-policy.ts';
import { synthesize, type Synthesized } from './synth.ts';

/**
 * The stack as `npm run synth` builds it with the default context, one synthesis (functions
 * bundled with esbuild, cdk-nag checking) shared by every test of this file. To the catalog it
 * adds one function with every trigger and every kind of access, so each rule below is
 * exercised whatever the catalog holds today (test/infra/parity.test.ts checks the real one).
 */
const EVERYTHING_FN: FunctionDefinition = {
  name: 'EverythingFn',
  // Any real handler: bundling needs one.
  entry: 'functions/post-confirmation/handler.ts',
  memoryMb: 768,
  timeoutSeconds: 45,
  tables: { read: ['Users', 'Merchants'], readWrite: ['Budgets'] },
  triggers: ['s3-object-created', 'schedule-sweep', 'schedule-reports'],
};
const CATALOG = [...FUNCTIONS, EVERYTHING_FN];
const ACCESS: Record<string, FunctionAccess> = {
  ...FUNCTION_ACCESS,
  EverythingFn: {
    receiptsBucket: 'read',
    textract: true,
    comprehend: true,
    sendEmail: true,
    publish: ['publishReceiptProcessed', 'publishBudgetAlert'],
    invoke: ['PostConfirmationFn', 'NotDeployedFn'],
  },
};

let synth: Synthesized;
beforeAll(async () => {
  synth = await synthesize({ functions: { functions: CATALOG, functionAccess: ACCESS } });
}, 120_000);
afterAll(() => synth?.dispose());

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

const resourcesOfType = (type: string) => synth.template.findResources(type) as Record<string, { Properties: any; DeletionPolicy?: string }>;
const deployed = (name: string) => synth.stack.processing.functions.get(name)!;
const functionProps = (name: string) => resourcesOfType('AWS::Lambda::Function')[synth.logicalId(deployed(name).fn)].Properties;
const tableId = (logicalName: string) => synth.logicalId(synth.stack.data.table(logicalName));
const actionsOf = (s: Statement) => [s.Action].flat();

/** Every statement of every IAM policy attached to the function's role. */
function roleStatements(name: string): Statement[] {
  const roleId = synth.logicalId(deployed(name).fn.role!);
  return Object.values(resourcesOfType('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** Actions the function's role allows on resources that mention the given logical id. */
function actionsOn(name: string, logicalId: string): Set<string> {
  return new Set(roleStatements(name).filter((s) => JSON.stringify(s.Resource).includes(`"${logicalId}"`)).flatMap(actionsOf));
}

describe('auth', () => {
  it('given the stack, when the user pool is read, then it has self sign-up by email, verification and the local password policy', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: PASSWORD_POLICY.minLength,
          RequireUppercase: PASSWORD_POLICY.requireUppercase,
          RequireLowercase: PASSWORD_POLICY.requireLowercase,
          RequireNumbers: PASSWORD_POLICY.requireDigits,
          RequireSymbols: PASSWORD_POLICY.requireSymbols,
        }),
      },
    });
  });

  it('given the catalog, when the user pool triggers are read, then post-confirmation runs the function the local Cognito runs', () => {
    const triggered = CATALOG.filter((f) => f.triggers?.includes('cognito-post-confirmation'));
    expect(triggered).toHaveLength(1);
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PostConfirmation: { 'Fn::GetAtt': [synth.logicalId(deployed(triggered[0].name).fn), 'Arn'] } },
    });
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [synth.logicalId(deployed(triggered[0].name).fn), 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
    });
  });

  it('given the stack, when the app client is read, then it has no secret and allows USER_PASSWORD_AUTH and SRP', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
  });
});

describe('api', () => {
  it('given schema.graphql, when the API is read, then its schema is that file, verbatim', () => {
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLSchema', {
      Definition: readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'),
    });
  });

  it('given the stack, when the API is read, then Cognito is the default auth, IAM is additional, X-Ray and field logging with a role are on', () => {
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
      XrayEnabled: true,
      LogConfig: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true, CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
    });
    synth.template.hasResourceProperties('Custom::LogRetention', { RetentionInDays: 30 });
  });
});

describe('data', () => {
  it('given infra/tables.ts, when the tables are read, then each has its keys and indexes, on demand, PITR, encryption, deletion protection and RETAIN', () => {
    const tables = resourcesOfType('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(TABLES.length);
    for (const definition of TABLES) {
      const table = tables[tableId(definition.logicalName)];
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        KeySchema: [{ AttributeName: definition.partitionKey, KeyType: 'HASH' }, ...(definition.sortKey ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' }] : [])],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string; KeySchema: unknown }>;
      expect(indexes.map((i) => i.IndexName).sort()).toEqual(definition.indexes.map((i) => i.indexName).sort());
      for (const index of definition.indexes) {
        expect(indexes.find((i) => i.IndexName === index.indexName)!.KeySchema).toEqual([
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
        ]);
      }
    }
  });

  it('given the receipts bucket, when it is read, then it is encrypted, versioned, private, TLS-only and retained', () => {
    const bucketId = synth.logicalId(synth.stack.data.receiptsBucket);
    const bucket = resourcesOfType('AWS::S3::Bucket')[bucketId];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('given the receipts bucket, when its lifecycle and CORS are read, then receipts move to cheaper classes, expire after 7 years, old versions expire, exports go after a day, browsers may PUT', () => {
    const bucket = resourcesOfType('AWS::S3::Bucket')[synth.logicalId(synth.stack.data.receiptsBucket)];
    const rule = bucket.Properties.LifecycleConfiguration.Rules.find((r: { Prefix?: string }) => r.Prefix === 'receipts/');
    expect(rule).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: RECEIPT_RETENTION_DAYS,
      NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) },
      Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
        { StorageClass: 'GLACIER_IR', TransitionInDays: 180 },
      ],
    });
    expect(RECEIPT_RETENTION_DAYS).toBeGreaterThanOrEqual(7 * 365);
    const exportsRule = bucket.Properties.LifecycleConfiguration.Rules.find((r: { Prefix?: string }) => r.Prefix === 'exports/');
    expect(exportsRule).toMatchObject({ Status: 'Enabled', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } });
    expect(bucket.Properties.CorsConfiguration.CorsRules[0]).toMatchObject({ AllowedMethods: expect.arrayContaining(['PUT', 'GET']), AllowedOrigins: ['*'] });
  });

  it('given the receipts bucket, when its lifecycle is read, then bucket-wide rules remove expired delete markers and abandoned multipart uploads', () => {
    const rules = resourcesOfType('AWS::S3::Bucket')[synth.logicalId(synth.stack.data.receiptsBucket)].Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    const bucketWide = rules.filter((r) => r.Prefix === undefined && r.Filter === undefined);
    expect(bucketWide).toContainEqual(expect.objectContaining({ Status: 'Enabled', ExpiredObjectDeleteMarker: true }));
    expect(bucketWide).toContainEqual(expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }));
    // S3 rejects a rule with both ExpiredObjectDeleteMarker and an expiration in days.
    for (const rule of rules.filter((r) => r.ExpiredObjectDeleteMarker)) expect(rule.ExpirationInDays).toBeUndefined();
  });

  it('given the catalog, when the bucket notifications are read, then objects created under receipts/ go to the s3-object-created functions', () => {
    const targets = CATALOG.filter((f) => f.triggers?.includes('s3-object-created'));
    expect(targets.length).toBeGreaterThan(0);
    synth.template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: targets.map((f) => ({
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'receipts/' }] } },
          LambdaFunctionArn: { 'Fn::GetAtt': [synth.logicalId(deployed(f.name).fn), 'Arn'] },
        })),
      },
    });
  });
});

describe('processing', () => {
  it('given the seed sizes, when the deployed functions are read, then upload, OCR, budget and report functions have exactly them', () => {
    const seed = { ReceiptFn: [512, 30], ProcessReceiptFn: [1024, 60], BudgetFn: [256, 30], ReportFn: [512, 60] };
    for (const [name, [memoryMb, timeoutSeconds]] of Object.entries(seed)) {
      expect(functionProps(name), name).toMatchObject({ MemorySize: memoryMb, Timeout: timeoutSeconds });
    }
  });

  it('given the catalog, when each function is read, then it runs Node.js 22 on arm64 with its memory, timeout, tracing, 30-day logs and a dead-letter queue', () => {
    expect(Object.keys(resourcesOfType('AWS::Lambda::Function'))).toEqual(expect.arrayContaining(CATALOG.map((f) => synth.logicalId(deployed(f.name).fn))));
    const logGroups = resourcesOfType('AWS::Logs::LogGroup');
    for (const definition of CATALOG) {
      const props = functionProps(definition.name);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: definition.memoryMb,
        Timeout: definition.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [synth.logicalId(deployed(definition.name).deadLetterQueue), 'Arn'] } },
      });
      expect(logGroups[props.LoggingConfig.LogGroup.Ref].Properties.RetentionInDays).toBe(30);
    }
  });

  it('given the catalog, when each function environment is read, then it has every table, the bucket, the sender and the Powertools settings', () => {
    for (const definition of CATALOG) {
      const variables = functionProps(definition.name).Environment.Variables;
      for (const table of TABLES) expect(variables[table.envVar], `${definition.name} ${table.envVar}`).toEqual({ Ref: tableId(table.logicalName) });
      expect(variables).toMatchObject({
        RECEIPTS_BUCKET: { Ref: synth.logicalId(synth.stack.data.receiptsBucket) },
        SENDER_EMAIL: DEFAULT_SENDER_EMAIL,
        POWERTOOLS_SERVICE_NAME: serviceNameOf(definition),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        COMPREHEND_ENABLED: String(ACCESS[definition.name]?.comprehend === true),
      });
      const publishes = (ACCESS[definition.name]?.publish ?? []).length > 0;
      expect(variables.GRAPHQL_URL, definition.name).toEqual(publishes ? { 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'GraphQLUrl'] } : undefined);
    }
  });

  it('given the catalog tables, when each role is read, then it writes exactly its readWrite tables and reads exactly its read and readWrite tables', () => {
    for (const definition of CATALOG) {
      for (const table of TABLES) {
        const actions = actionsOn(definition.name, tableId(table.logicalName));
        const writes = definition.tables.readWrite?.includes(table.logicalName) ?? false;
        const reads = writes || (definition.tables.read?.includes(table.logicalName) ?? false);
        expect(actions.has('dynamodb:PutItem'), `${definition.name} writes ${table.logicalName}`).toBe(writes);
        expect(actions.has('dynamodb:GetItem') && actions.has('dynamodb:Query'), `${definition.name} reads ${table.logicalName}`).toBe(reads);
      }
    }
  });

  it('given function-access.ts, when each role is read, then Textract, Comprehend, SES and the bucket are granted only where named', () => {
    const bucketId = synth.logicalId(synth.stack.data.receiptsBucket);
    for (const definition of CATALOG) {
      const access = ACCESS[definition.name] ?? {};
      const actions = new Set(roleStatements(definition.name).flatMap(actionsOf));
      expect(actions.has('textract:AnalyzeExpense'), definition.name).toBe(access.textract === true);
      expect(actions.has('comprehend:DetectEntities'), definition.name).toBe(access.comprehend === true);
      expect(actions.has('ses:SendEmail'), definition.name).toBe(access.sendEmail === true);
      const onBucket = actionsOn(definition.name, bucketId);
      const ownPrefixes = (access.bucketPrefixes ?? []).length > 0;
      expect(onBucket.has('s3:GetObject*'), definition.name).toBe(access.receiptsBucket !== undefined || ownPrefixes);
      expect(onBucket.has('s3:PutObject'), definition.name).toBe(access.receiptsBucket === 'readWrite' || ownPrefixes);
      // Deleting objects stays with the functions that own receipts.
      expect(onBucket.has('s3:DeleteObject*'), definition.name).toBe(access.receiptsBucket === 'readWrite');
    }
  });

  it('given a sender, when SES grants are read, then sending is limited to that identity and From address', () => {
    synth.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: DEFAULT_SENDER_EMAIL });
    const senders = CATALOG.filter((f) => ACCESS[f.name]?.sendEmail);
    expect(senders.length).toBeGreaterThan(0);
    for (const sender of senders) {
      const statement = roleStatements(sender.name).find((s) => actionsOf(s).includes('ses:SendEmail'))!;
      expect(JSON.stringify(statement.Resource)).toContain(`:identity/`);
      expect(JSON.stringify(statement.Resource)).toContain(synth.logicalId(synth.stack.node.findChild('Notifications').node.findChild('SenderIdentity')));
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': DEFAULT_SENDER_EMAIL } });
    }
  });

  it('given publishers, when their roles are read, then appsync:GraphQL is allowed on their publish mutation fields and nothing else', () => {
    for (const definition of CATALOG) {
      const publish = ACCESS[definition.name]?.publish ?? [];
      const resources = roleStatements(definition.name)
        .filter((s) => actionsOf(s).includes('appsync:GraphQL'))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r));
      expect(resources, definition.name).toHaveLength(publish.length);
      for (const field of publish) expect(resources.some((r) => r.includes(`/types/Mutation/fields/${field}"`)), `${definition.name} ${field}`).toBe(true);
    }
  });

  it('given invoke access, when the caller is read, then it may invoke a deployed callee, learns its name from the env var config.ts reads, and a missing callee is a warning', () => {
    const annotations = Annotations.fromStack(synth.stack);
    for (const definition of CATALOG) {
      for (const target of ACCESS[definition.name]?.invoke ?? []) {
        const callee = synth.stack.processing.functions.get(target);
        if (!callee) {
          annotations.hasWarning(`/${synth.stack.stackName}/Processing/${definition.name}`, Match.stringLikeRegexp(`invokes ${target}, which is not in functions/catalog.ts`));
          continue;
        }
        expect(actionsOn(definition.name, synth.logicalId(callee.fn)).has('lambda:InvokeFunction')).toBe(true);
        expect(functionProps(definition.name).Environment.Variables[functionEnvVar(target)]).toEqual({ Ref: synth.logicalId(callee.fn) });
      }
    }
    expect(functionEnvVar('ProcessReceiptFn')).toBe('PROCESS_RECEIPT_FUNCTION');
  });

  it('given schedule triggers, when the schedules are read, then each invokes its function with its payload and the id of its run', () => {
    const scheduled = CATALOG.flatMap((f) => (f.triggers ?? []).flatMap((t) => (t.startsWith('schedule-') ? SCHEDULES[t as keyof typeof SCHEDULES].map((s) => ({ f, s })) : [])));
    expect(scheduled.length).toBeGreaterThan(0);
    expect(Object.keys(resourcesOfType('AWS::Scheduler::Schedule'))).toHaveLength(scheduled.length);
    for (const { f, s } of scheduled) {
      synth.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: s.expression,
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [synth.logicalId(deployed(f.name).fn), 'Arn'] },
          Input: JSON.stringify({ ...s.payload, [SCHEDULE_RUN_ID_FIELD]: '<aws.scheduler.execution-id>' }),
        }),
      });
    }
  });
});

describe('observability', () => {
  it('given the functions and the API, when the alarms are read, then errors, throttles, dead letters and AppSync 5xx each alarm to the topic', () => {
    const alarms = Object.values(resourcesOfType('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const topic = { Ref: synth.logicalId(synth.stack.observability.alarmTopic) };
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topic]);
    const watching = (metricName: string, dimension: unknown) => alarms.some((a) => a.MetricName === metricName && JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension)));
    expect(watching('5XXError', { 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'ApiId'] })).toBe(true);
    for (const definition of CATALOG.filter((f) => f.triggers?.includes('schedule-reports'))) {
      const failed = alarms.find((a) => a.MetricName === BUSINESS_METRICS.reportsFailed.name && a.Dimensions?.[0]?.Value === serviceNameOf(definition));
      expect(failed, `${definition.name} failed reports`).toMatchObject({ Namespace: METRICS_NAMESPACE, Dimensions: [{ Name: 'service', Value: serviceNameOf(definition) }], Statistic: 'Sum' });
    }
    for (const definition of CATALOG) {
      const fn = { Ref: synth.logicalId(deployed(definition.name).fn) };
      expect(watching('Errors', fn), `${definition.name} errors`).toBe(true);
      expect(watching('Throttles', fn), `${definition.name} throttles`).toBe(true);
      expect(watching('ApproximateNumberOfMessagesVisible', { 'Fn::GetAtt': [synth.logicalId(deployed(definition.name).deadLetterQueue), 'QueueName'] })).toBe(true);
    }
  });

  it('given the dashboard, when its body is read, then it charts API latency p50, p95 and p99', () => {
    const body = JSON.stringify(Object.values(resourcesOfType('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const stat of ['p50', 'p95', 'p99']) expect(body).toMatch(new RegExp(`\\\\"AWS/AppSync\\\\",\\\\"Latency\\\\".*\\\\"stat\\\\":\\\\"${stat}\\\\"`));
  });

  /** The dashboard body with its CloudFormation tokens (function names) resolved to the logical ids they point at. */
  function dashboardBody(): string {
    const parts = Object.values(resourcesOfType('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody['Fn::Join'][1] as unknown[];
    return parts.map((part) => (typeof part === 'string' ? part : `{${(part as { Ref?: string }).Ref ?? JSON.stringify(part)}}`)).join('');
  }

  it('given the catalog, when the dashboard is read, then every function has its invocations, duration and dead-letter graphs', () => {
    const body = dashboardBody();
    for (const definition of CATALOG) {
      for (const title of [`${definition.name} invocations, errors, throttles`, `${definition.name} duration (ms)`, `${definition.name} dead letters`]) expect(body, title).toContain(`"title":"${title}"`);
      expect(body, definition.name).toContain(`"FunctionName","{${synth.logicalId(deployed(definition.name).fn)}}"`);
    }
  });

  it('given the business metrics, when the dashboard is read, then each is charted from every service that emits it', () => {
    const body = dashboardBody();
    for (const { name } of Object.values(BUSINESS_METRICS)) {
      expect(body, name).toContain(`SEARCH('{${METRICS_NAMESPACE},service} MetricName=\\"${name}\\"'`);
    }
  });
});

describe('edge', () => {
  it('given the default context, when the web ACL is read, then a per-IP rate rule guards the API', () => {
    synth.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [Match.objectLike({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } })],
    });
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'Arn'] } });
  });

  it('given no custom domain, when the outputs are read, then amplify_outputs points at the AppSync URL and the user pool', () => {
    const outputs = synth.template.findOutputs('*');
    expect(outputs.GraphqlUrl.Value).toEqual({ 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'GraphQLUrl'] });
    const amplify = JSON.stringify(outputs.AmplifyOutputs.Value);
    for (const id of [synth.logicalId(synth.stack.auth.userPool), synth.logicalId(synth.stack.auth.userPoolClient), synth.logicalId(synth.stack.api.api)]) expect(amplify).toContain(id);
    expect(amplify).toContain('AMAZON_COGNITO_USER_POOLS');
  });
});
