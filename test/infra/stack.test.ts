import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionDefinition } from '../../model/functions.ts';
import { QUERY_DEPTH_LIMIT, RESOLVER_COUNT_LIMIT } from '../../model/api-limits.ts';
import { PROJECT_ROOT } from '../../infra/app.ts';
import { METRICS_NAMESPACE } from '../../model/telemetry.ts';
import { BUSINESS_METRICS, SCHEDULE_RUN_ID_FIELD } from '../../model/telemetry.ts';
import { RECEIPT_RETENTION_DAYS } from '../../infra/constructs/data.ts';
import { serviceNameOf } from '../../infra/constructs/processing.ts';
import { FUNCTION_ACCESS, functionEnvVar, type FunctionAccess } from '../../infra/function-access.ts';
import { SCHEDULES } from '../../infra/schedules.ts';
import { INBOUND_MESSAGE_DAYS } from '../../infra/constructs/inbound-mail.ts';
import { TABLES } from '../../model/tables.ts';
import { PASSWORD_POLICY } from '../../model/password-policy.ts';
import { synthesize, TEST_SENDER_EMAIL, type Synthesized } from './synth.ts';

/**
 * The stack as `npm run synth` builds it with the default context and a receiving domain for
 * receipts by email, one synthesis (functions bundled with esbuild, cdk-nag checking) shared by
 * every test of this file. To the catalog it
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

const INBOUND_DOMAIN = 'receipts.expenses.example.org';

let synth: Synthesized;
beforeAll(async () => {
  synth = await synthesize({
    context: { inboundEmailDomain: INBOUND_DOMAIN },
    functions: { functions: CATALOG, functionAccess: ACCESS },
  });
}, 120_000);
afterAll(() => synth?.dispose());

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Effect: string;
  Principal?: unknown;
};

const resourcesOfType = (type: string) =>
  synth.template.findResources(type) as Record<string, { Properties: any; DeletionPolicy?: string }>;
const deployed = (name: string) => synth.stack.processing.functions.get(name)!;
const functionProps = (name: string) =>
  resourcesOfType('AWS::Lambda::Function')[synth.logicalId(deployed(name).fn)].Properties;
const tableId = (logicalName: string) => synth.logicalId(synth.stack.data.table(logicalName));
const actionsOf = (s: Statement) => [s.Action].flat();

/** Every statement of every IAM policy attached to the function's role. */
function roleStatements(name: string): Statement[] {
  const roleId = synth.logicalId(deployed(name).fn.role!);
  // CDK moves what does not fit a role's inline policy into managed policies attached to it (AccountFn's grants do not).
  return [
    ...Object.values(resourcesOfType('AWS::IAM::Policy')),
    ...Object.values(resourcesOfType('AWS::IAM::ManagedPolicy')),
  ]
    .filter((policy) => JSON.stringify(policy.Properties.Roles ?? []).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** Actions the function's role allows on resources that mention the given logical id. */
function actionsOn(name: string, logicalId: string): Set<string> {
  return new Set(
    roleStatements(name)
      .filter((s) => JSON.stringify(s.Resource).includes(`"${logicalId}"`))
      .flatMap(actionsOf),
  );
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

  it('given the stack, when the app client is read, then no OAuth flow is allowed and no callback URL is registered (CDK defaults to implicit and code grants for https://example.com)', () => {
    const clients = Object.values(synth.template.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const properties = clients[0].Properties as Record<string, unknown>;
    expect(properties.AllowedOAuthFlows ?? []).toEqual([]);
    expect(properties.AllowedOAuthFlowsUserPoolClient ?? false).toBe(false);
    expect(properties.CallbackURLs ?? []).toEqual([]);
    expect(properties.AllowedOAuthScopes ?? []).toEqual([]);
  });

  it('given the stack, when the app client is read, then it has no secret and allows USER_PASSWORD_AUTH and SRP', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]),
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
      LogConfig: {
        FieldLogLevel: 'ERROR',
        ExcludeVerboseContent: true,
        CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      },
    });
    synth.template.hasResourceProperties('Custom::LogRetention', { RetentionInDays: 30 });
  });

  it('given the stack, when the API is read, then one request is bounded in depth and in resolvers run, with the limits the local runtime enforces', () => {
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      QueryDepthLimit: QUERY_DEPTH_LIMIT,
      ResolverCountLimit: RESOLVER_COUNT_LIMIT,
    });
  });
});

describe('data', () => {
  it('given model/tables.ts, when the tables are read, then each has its keys and indexes, on demand, PITR, encryption, deletion protection and RETAIN', () => {
    const tables = resourcesOfType('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(TABLES.length);
    for (const definition of TABLES) {
      const table = tables[tableId(definition.logicalName)];
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        KeySchema: [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          ...(definition.sortKey ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' }] : []),
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as Array<{
        IndexName: string;
        KeySchema: unknown;
      }>;
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
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('given the receipts bucket, when its lifecycle and CORS are read, then receipts move to cheaper classes, expire after 7 years, old versions expire, exports go after a day, browsers may PUT', () => {
    const bucket = resourcesOfType('AWS::S3::Bucket')[synth.logicalId(synth.stack.data.receiptsBucket)];
    const rule = bucket.Properties.LifecycleConfiguration.Rules.find(
      (r: { Prefix?: string }) => r.Prefix === 'receipts/',
    );
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
    const exportsRule = bucket.Properties.LifecycleConfiguration.Rules.find(
      (r: { Prefix?: string }) => r.Prefix === 'exports/',
    );
    expect(exportsRule).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: 1,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
    });
    // Browsers upload from the web app, and by default from nowhere else.
    expect(bucket.Properties.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({
        AllowedMethods: expect.arrayContaining(['PUT', 'GET']),
        AllowedOrigins: [
          {
            'Fn::Join': [
              '',
              ['https://', { 'Fn::GetAtt': [synth.logicalId(synth.stack.web.distribution), 'DomainName'] }],
            ],
          },
        ],
      }),
    ]);
  });

  it('given the receipts bucket, when its lifecycle is read, then bucket-wide rules remove expired delete markers and abandoned multipart uploads', () => {
    const rules = resourcesOfType('AWS::S3::Bucket')[synth.logicalId(synth.stack.data.receiptsBucket)].Properties
      .LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    const bucketWide = rules.filter((r) => r.Prefix === undefined && r.Filter === undefined);
    expect(bucketWide).toContainEqual(expect.objectContaining({ Status: 'Enabled', ExpiredObjectDeleteMarker: true }));
    expect(bucketWide).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
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
  it('given the sizes chosen (seed sizes, ReceiptFn and ReportFn resized by measurement), when the deployed functions are read, then upload, OCR, budget and report functions have exactly them', () => {
    const seed = { ReceiptFn: [1536, 30], ProcessReceiptFn: [1024, 60], BudgetFn: [256, 30], ReportFn: [512, 300] };
    for (const [name, [memoryMb, timeoutSeconds]] of Object.entries(seed)) {
      expect(functionProps(name), name).toMatchObject({ MemorySize: memoryMb, Timeout: timeoutSeconds });
    }
  });

  it('given the catalog, when each function is read, then it runs Node.js 22 on arm64 with its memory, timeout, tracing, 30-day logs and a dead-letter queue', () => {
    expect(Object.keys(resourcesOfType('AWS::Lambda::Function'))).toEqual(
      expect.arrayContaining(CATALOG.map((f) => synth.logicalId(deployed(f.name).fn))),
    );
    const logGroups = resourcesOfType('AWS::Logs::LogGroup');
    for (const definition of CATALOG) {
      const props = functionProps(definition.name);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: definition.memoryMb,
        Timeout: definition.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        DeadLetterConfig: {
          TargetArn: { 'Fn::GetAtt': [synth.logicalId(deployed(definition.name).deadLetterQueue), 'Arn'] },
        },
      });
      expect(logGroups[props.LoggingConfig.LogGroup.Ref].Properties.RetentionInDays).toBe(30);
    }
  });

  it('given the catalog, when each function environment is read, then it has every table, the bucket, the sender and the Powertools settings', () => {
    for (const definition of CATALOG) {
      const variables = functionProps(definition.name).Environment.Variables;
      for (const table of TABLES)
        expect(variables[table.envVar], `${definition.name} ${table.envVar}`).toEqual({
          Ref: tableId(table.logicalName),
        });
      expect(variables).toMatchObject({
        RECEIPTS_BUCKET: { Ref: synth.logicalId(synth.stack.data.receiptsBucket) },
        SENDER_EMAIL: TEST_SENDER_EMAIL,
        POWERTOOLS_SERVICE_NAME: serviceNameOf(definition),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        COMPREHEND_ENABLED: String(ACCESS[definition.name]?.comprehend === true),
      });
      const publishes = (ACCESS[definition.name]?.publish ?? []).length > 0;
      expect(variables.GRAPHQL_URL, definition.name).toEqual(
        publishes ? { 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'GraphQLUrl'] } : undefined,
      );
    }
  });

  it('given the catalog tables, when each role is read, then it writes exactly its readWrite tables and reads exactly its read and readWrite tables', () => {
    for (const definition of CATALOG) {
      for (const table of TABLES) {
        const actions = actionsOn(definition.name, tableId(table.logicalName));
        const writes = definition.tables.readWrite?.includes(table.logicalName) ?? false;
        const reads = writes || (definition.tables.read?.includes(table.logicalName) ?? false);
        expect(actions.has('dynamodb:PutItem'), `${definition.name} writes ${table.logicalName}`).toBe(writes);
        expect(
          actions.has('dynamodb:GetItem') && actions.has('dynamodb:Query'),
          `${definition.name} reads ${table.logicalName}`,
        ).toBe(reads);
      }
    }
  });

  it('given the functions that compute budget statuses (Budget.status, report summaries), when their roles are read, then they may Query the Recurring table and not write it', () => {
    // The forecast counts the owner's confirmed recurring charges still to come (functions/shared/budgets).
    for (const name of ['BudgetFn', 'ReportFn']) {
      const actions = actionsOn(name, tableId('Recurring'));
      expect(actions.has('dynamodb:Query'), `${name} reads Recurring`).toBe(true);
      expect(actions.has('dynamodb:PutItem'), `${name} writes Recurring`).toBe(false);
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
      const accountData = access.accountData === true;
      expect(onBucket.has('s3:GetObject*'), definition.name).toBe(
        access.receiptsBucket !== undefined || ownPrefixes || accountData,
      );
      expect(onBucket.has('s3:PutObject'), definition.name).toBe(
        access.receiptsBucket === 'readWrite' || ownPrefixes || accountData,
      );
      // Deleting objects stays with the functions that own receipts and the one that deletes accounts.
      expect(onBucket.has('s3:DeleteObject*'), definition.name).toBe(
        access.receiptsBucket === 'readWrite' || accountData,
      );
      expect(onBucket.has('s3:DeleteObjectVersion'), definition.name).toBe(
        access.receiptsBucket === 'readWrite' || accountData || (access.deletePrefixes ?? []).length > 0,
      );
      expect(actions.has('cognito-idp:AdminDeleteUser'), definition.name).toBe(accountData);
    }
  });

  it("given account data access, when AccountFn is read, then it may delete every version under each user prefix and only this pool's users, and knows the pool and its client", () => {
    const statements = roleStatements('AccountFn');
    const versions = statements.find((s) => actionsOf(s).includes('s3:DeleteObjectVersion'))!;
    expect(JSON.stringify(versions.Resource)).toMatch(/receipts\/\*/);
    expect(JSON.stringify(versions.Resource)).toMatch(/exports\/\*/);
    expect(JSON.stringify(versions.Resource)).toMatch(/reports\/\*/);
    const admin = statements.find((s) => actionsOf(s).includes('cognito-idp:AdminDeleteUser'))!;
    expect(actionsOf(admin).sort()).toEqual(['cognito-idp:AdminDeleteUser', 'cognito-idp:AdminDisableUser']);
    expect(JSON.stringify(admin.Resource)).toContain(synth.logicalId(synth.stack.auth.userPool));
    const env = functionProps('AccountFn').Environment.Variables;
    expect(JSON.stringify(env.USER_POOL_ID)).toContain(synth.logicalId(synth.stack.auth.userPool));
    expect(JSON.stringify(env.USER_POOL_CLIENT_ID)).toContain(synth.logicalId(synth.stack.auth.userPoolClient));
    expect(functionProps('ReceiptFn').Environment.Variables.USER_POOL_ID).toBeUndefined();
  });

  it('given a sender, when SES grants are read, then sending is limited to that identity and From address', () => {
    const senders = CATALOG.filter((f) => ACCESS[f.name]?.sendEmail);
    expect(senders.length).toBeGreaterThan(0);
    for (const sender of senders) {
      const statement = roleStatements(sender.name).find((s) => actionsOf(s).includes('ses:SendEmail'))!;
      expect(JSON.stringify(statement.Resource)).toContain(`:identity/${TEST_SENDER_EMAIL}`);
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': TEST_SENDER_EMAIL } });
    }
  });

  it('given a sender, when the user pool is read, then Cognito mails its codes through SES from that identity, which the stack leaves to the deployer', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: `Smart Expense Tracker <${TEST_SENDER_EMAIL}>`,
        SourceArn: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`:identity/${TEST_SENDER_EMAIL}$`)])],
        }),
      },
    });
    // Cognito refuses an unverified sender, so it is verified before deploy (npm run deploy), never created here.
    synth.template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('given publishers, when their roles are read, then appsync:GraphQL is allowed on their publish mutation fields and nothing else', () => {
    for (const definition of CATALOG) {
      const publish = ACCESS[definition.name]?.publish ?? [];
      const resources = roleStatements(definition.name)
        .filter((s) => actionsOf(s).includes('appsync:GraphQL'))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r));
      expect(resources, definition.name).toHaveLength(publish.length);
      for (const field of publish)
        expect(
          resources.some((r) => r.includes(`/types/Mutation/fields/${field}"`)),
          `${definition.name} ${field}`,
        ).toBe(true);
    }
  });

  it('given invoke access, when the caller is read, then it may invoke a deployed callee, learns its name from the env var config.ts reads, and a missing callee is a warning', () => {
    const annotations = Annotations.fromStack(synth.stack);
    for (const definition of CATALOG) {
      for (const target of ACCESS[definition.name]?.invoke ?? []) {
        const callee = synth.stack.processing.functions.get(target);
        if (!callee) {
          annotations.hasWarning(
            `/${synth.stack.stackName}/Processing/${definition.name}`,
            Match.stringLikeRegexp(`invokes ${target}, which is not in model/functions.ts`),
          );
          continue;
        }
        expect(actionsOn(definition.name, synth.logicalId(callee.fn)).has('lambda:InvokeFunction')).toBe(true);
        expect(functionProps(definition.name).Environment.Variables[functionEnvVar(target)]).toEqual({
          Ref: synth.logicalId(callee.fn),
        });
      }
    }
    expect(functionEnvVar('ProcessReceiptFn')).toBe('PROCESS_RECEIPT_FUNCTION');
  });

  it('given schedule triggers, when the schedules are read, then each invokes its function with its payload and the id of its run', () => {
    const scheduled = CATALOG.flatMap((f) =>
      (f.triggers ?? []).flatMap((t) =>
        t.startsWith('schedule-') ? SCHEDULES[t as keyof typeof SCHEDULES].map((s) => ({ f, s })) : [],
      ),
    );
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

describe('inbound mail', () => {
  const receiverId = () => synth.logicalId(deployed('InboundEmailFn').fn);
  const ruleArnParts = (ruleSetName: string) => [
    'arn:',
    { Ref: 'AWS::Partition' },
    ':ses:',
    { Ref: 'AWS::Region' },
    ':',
    { Ref: 'AWS::AccountId' },
    `:receipt-rule-set/${ruleSetName}:receipt-rule/receipts-by-email`,
  ];

  it('given a receiving domain, when the receipt rule is read, then mail to the domain is scanned, stored under inbound/, then handed to the ses-inbound-email function asynchronously', () => {
    expect(CATALOG.filter((f) => f.triggers?.includes('ses-inbound-email')).map((f) => f.name)).toEqual([
      'InboundEmailFn',
    ]);
    const ruleSetName = synth.stack.inboundMail!.ruleSetName;
    synth.template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    synth.template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: ruleSetName });
    const rules = Object.values(resourcesOfType('AWS::SES::ReceiptRule'));
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties).toEqual({
      RuleSetName: { Ref: synth.logicalId(synth.stack.inboundMail!.ruleSet) },
      Rule: {
        Name: 'receipts-by-email',
        Enabled: true,
        Recipients: [INBOUND_DOMAIN],
        ScanEnabled: true,
        // In this order: the function reads the message SES has just stored.
        Actions: [
          {
            S3Action: {
              BucketName: { Ref: synth.logicalId(synth.stack.data.receiptsBucket) },
              ObjectKeyPrefix: 'inbound/',
            },
          },
          { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [receiverId(), 'Arn'] }, InvocationType: 'Event' } },
        ],
      },
    });
    // Forwarding addresses are made at the domain SES receives for.
    for (const name of ['ForwardingFn', 'InboundEmailFn'])
      expect(functionProps(name).Environment.Variables.INBOUND_EMAIL_DOMAIN, name).toBe(INBOUND_DOMAIN);
    expect(synth.template.findOutputs('InboundRuleSetName').InboundRuleSetName.Value).toBe(ruleSetName);
  });

  it('given the rule, when the bucket policy and the invoke permission are read, then only SES acting for this account and this rule may store under inbound/ and invoke the function, and the rule is created after both', () => {
    const ruleSetName = synth.stack.inboundMail!.ruleSetName;
    const bucketId = synth.logicalId(synth.stack.data.receiptsBucket);
    const inbound = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inbound/*']] };
    const policies = Object.entries(resourcesOfType('AWS::S3::BucketPolicy')).filter(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0];
    const fromSes = (policy.Properties.PolicyDocument.Statement as Statement[]).filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'ses.amazonaws.com' }),
    );
    expect(fromSes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: inbound,
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:PutObject',
          Resource: inbound,
          Condition: { ArnNotLike: { 'aws:SourceArn': { 'Fn::Join': ['', ruleArnParts(ruleSetName)] } } },
        }),
      ]),
    );
    // Nothing else of the bucket is open to SES.
    expect(fromSes).toHaveLength(2);

    const permissions = Object.entries(resourcesOfType('AWS::Lambda::Permission')).filter(
      ([, p]) => p.Properties.Principal === 'ses.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    const [permissionId, permission] = permissions[0];
    expect(permission.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [receiverId(), 'Arn'] },
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Join': ['', ruleArnParts(ruleSetName)] },
    });
    const rule = Object.values(synth.template.findResources('AWS::SES::ReceiptRule'))[0] as { DependsOn?: string[] };
    expect(rule.DependsOn).toEqual(expect.arrayContaining([policyId, permissionId]));
  });

  it('given function-access.ts, when the roles are read, then only InboundEmailFn may delete stored messages under inbound/ (each version, listed under inbound/ only)', () => {
    const bucketId = synth.logicalId(synth.stack.data.receiptsBucket);
    const inbound = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inbound/*']] };
    const deleters = CATALOG.filter((definition) =>
      roleStatements(definition.name).some(
        (s) =>
          JSON.stringify(s.Resource).includes('/inbound/*') &&
          actionsOf(s).some((a) => a.startsWith('s3:DeleteObject')),
      ),
    );
    expect(deleters.map((d) => d.name)).toEqual(['InboundEmailFn']);
    const statements = roleStatements('InboundEmailFn');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: inbound,
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:ListBucketVersions',
        Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': 'inbound/*' } },
      }),
    );
  });

  it('given the rule, when the bucket lifecycle is read, then stored messages the function did not delete expire after a few days, old versions a day later', () => {
    const rules = resourcesOfType('AWS::S3::Bucket')[synth.logicalId(synth.stack.data.receiptsBucket)].Properties
      .LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    expect(rules.find((r) => r.Prefix === 'inbound/')).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: INBOUND_MESSAGE_DAYS,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
    });
    expect(INBOUND_MESSAGE_DAYS).toBeLessThanOrEqual(7);
  });
});

describe('observability', () => {
  it('given the functions and the API, when the alarms are read, then errors, throttles, dead letters and AppSync 5xx each alarm to the topic', () => {
    const alarms = Object.values(resourcesOfType('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const topic = { Ref: synth.logicalId(synth.stack.observability.alarmTopic) };
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topic]);
    const watching = (metricName: string, dimension: unknown) =>
      alarms.some(
        (a) => a.MetricName === metricName && JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension)),
      );
    expect(watching('5XXError', { 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'ApiId'] })).toBe(true);
    for (const definition of CATALOG.filter((f) => f.triggers?.includes('schedule-reports'))) {
      const failed = alarms.find(
        (a) =>
          a.MetricName === BUSINESS_METRICS.reportsFailed.name &&
          a.Dimensions?.[0]?.Value === serviceNameOf(definition),
      );
      expect(failed, `${definition.name} failed reports`).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        Dimensions: [{ Name: 'service', Value: serviceNameOf(definition) }],
        Statistic: 'Sum',
      });
    }
    for (const definition of CATALOG) {
      const fn = { Ref: synth.logicalId(deployed(definition.name).fn) };
      expect(watching('Errors', fn), `${definition.name} errors`).toBe(true);
      expect(watching('Throttles', fn), `${definition.name} throttles`).toBe(true);
      expect(
        watching('ApproximateNumberOfMessagesVisible', {
          'Fn::GetAtt': [synth.logicalId(deployed(definition.name).deadLetterQueue), 'QueueName'],
        }),
      ).toBe(true);
    }
  });

  it('given the alarm topic, when its key is read, then it is customer-managed, rotated, and lets CloudWatch alarms of this account use it and publish', () => {
    const keyId = synth.logicalId(synth.stack.observability.alarmKey);
    synth.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    const key = resourcesOfType('AWS::KMS::Key')[keyId].Properties;
    expect(key.EnableKeyRotation).toBe(true);
    const cloudWatch = (key.KeyPolicy.Statement as Statement[]).find(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
    )!;
    expect(actionsOf(cloudWatch).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(JSON.stringify(cloudWatch.Condition)).toContain(':alarm:*');
    expect(cloudWatch.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('given the dashboard, when its body is read, then it charts API latency p50, p95 and p99', () => {
    const body = JSON.stringify(
      Object.values(resourcesOfType('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
    );
    for (const stat of ['p50', 'p95', 'p99'])
      expect(body).toMatch(new RegExp(`\\\\"AWS/AppSync\\\\",\\\\"Latency\\\\".*\\\\"stat\\\\":\\\\"${stat}\\\\"`));
  });

  /** The dashboard body with its CloudFormation tokens (function names) resolved to the logical ids they point at. */
  function dashboardBody(): string {
    const parts = Object.values(resourcesOfType('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody[
      'Fn::Join'
    ][1] as unknown[];
    return parts
      .map((part) => (typeof part === 'string' ? part : `{${(part as { Ref?: string }).Ref ?? JSON.stringify(part)}}`))
      .join('');
  }

  it('given the catalog, when the dashboard is read, then every function has its invocations, duration and dead-letter graphs', () => {
    const body = dashboardBody();
    for (const definition of CATALOG) {
      for (const title of [
        `${definition.name} invocations, errors, throttles`,
        `${definition.name} duration (ms)`,
        `${definition.name} dead letters`,
      ])
        expect(body, title).toContain(`"title":"${title}"`);
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
      Rules: [
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        }),
      ],
    });
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'Arn'] },
    });
  });

  it('given no custom domain, when the outputs are read, then amplify_outputs points at the AppSync URL and the user pool', () => {
    const outputs = synth.template.findOutputs('*');
    expect(outputs.GraphqlUrl.Value).toEqual({ 'Fn::GetAtt': [synth.logicalId(synth.stack.api.api), 'GraphQLUrl'] });
    const amplify = JSON.stringify(outputs.AmplifyOutputs.Value);
    for (const id of [
      synth.logicalId(synth.stack.auth.userPool),
      synth.logicalId(synth.stack.auth.userPoolClient),
      synth.logicalId(synth.stack.api.api),
    ])
      expect(amplify).toContain(id);
    expect(amplify).toContain('AMAZON_COGNITO_USER_POOLS');
  });
});
