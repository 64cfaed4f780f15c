import { Aws, DefaultStackSynthesizer, Validations, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
// cdk-nag's own rendering of a policy resource into a finding (`<Logical.Arn>/index/*`, or the
// region and account as written when the stack is pinned to them): not exported, hence the path.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { userObjectPrefixes } from '../model/data-lifecycle.ts';
import { RECEIPT_KEY_PREFIX } from '../model/receipts.ts';
import type { ExpenseTrackerStack } from './stack.ts';

/**
 * The cdk-nag AwsSolutions findings this stack accepts, each with its reason, acknowledged on
 * the narrowest construct and for the exact finding (`Rule[Resource::…]`), so a new wildcard
 * or a new managed policy anywhere else still fails synthesis.
 *
 * A finding names its resource as cdk-nag renders the policy's: built here from the same CDK
 * tokens the constructs used and rendered the same way, so it matches whether the stack is
 * environment-agnostic (`<AWS::Region>`, `npm run synth`) or pinned to an account and region
 * (`cdk deploy` with credentials sets CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION).
 */
function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason });
}

/** The `Resource::…` finding of an IAM resource written with CDK tokens (an ARN, an ARN plus a suffix). */
function resourceFinding(stack: Stack, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(resource))}]`;
}

/** The `Policy::…` finding of an AWS managed policy. */
function managedPolicyFinding(stack: Stack, name: string): string {
  const arn = iam.ManagedPolicy.fromAwsManagedPolicyName(name).managedPolicyArn;
  return `AwsSolutions-IAM4[Policy::${flattenCfnReference(stack.resolve(arn))}]`;
}

export function suppressJustifiedFindings(stack: ExpenseTrackerStack): void {
  const lambdaBasicExecution = managedPolicyFinding(stack, 'service-role/AWSLambdaBasicExecutionRole');
  acknowledge(
    stack.auth.userPool,
    'AwsSolutions-COG8',
    "The Plus feature plan (threat protection) is billed per active user; the Essentials plan is this project's cost baseline. Enable it per deployment if needed.",
  );
  acknowledge(
    stack.auth.userPool,
    'AwsSolutions-COG2',
    'MFA is optional (TOTP) so self sign-up stays one step; users can turn it on.',
  );
  acknowledge(
    stack.api.api,
    'AwsSolutions-ASC3',
    'Field logging is on with a CloudWatch role, but verbose content stays excluded: it would write request headers (bearer tokens) and variables (receipt content) to the logs.',
  );
  acknowledge(
    stack.api,
    resourceFinding(stack, stack.api.api.logGroup.logGroupArn),
    "The logging role writes to the streams of this API's own log group only.",
  );

  // Every table's grants (functions and AppSync data sources) include its own indexes.
  for (const [name, table] of stack.data.tables) {
    acknowledge(
      stack,
      resourceFinding(stack, `${table.tableArn}/index/*`),
      `Queries on the GSIs of the ${name} table, which the same grant covers; no other table.`,
    );
  }

  const bucket = stack.data.receiptsBucket.bucketArn;
  for (const { definition, fn } of stack.processing.functions.values()) {
    const role = fn.role!;
    acknowledge(
      role,
      lambdaBasicExecution,
      'CloudWatch Logs write access only (CreateLogGroup/CreateLogStream/PutLogEvents), the standard Lambda execution policy.',
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords, Textract AnalyzeExpense and Comprehend DetectEntities have no resource-level permissions: `*` is the only resource IAM accepts for them.',
    );
    if (stack.processing.accessOf(definition.name).receiptsBucket) {
      acknowledge(
        role,
        resourceFinding(stack, `${bucket}/${RECEIPT_KEY_PREFIX}*`),
        `${definition.name} works on receipt objects, which all live under ${RECEIPT_KEY_PREFIX}.`,
      );
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
        acknowledge(
          role,
          `AwsSolutions-IAM5[Action::${action}]`,
          `CDK's bucket grant for ${definition.name}, limited to the receipts bucket and its receipts/ prefix.`,
        );
      }
    }
    const prefixes = stack.processing.accessOf(definition.name).bucketPrefixes ?? [];
    for (const prefix of prefixes) {
      acknowledge(
        role,
        resourceFinding(stack, `${bucket}/${prefix}*`),
        `${definition.name} reads and writes its own objects under ${prefix} (per-user keys below it).`,
      );
    }
    if (prefixes.length) {
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*']) {
        acknowledge(
          role,
          `AwsSolutions-IAM5[Action::${action}]`,
          `CDK's read and put grants for ${definition.name}, limited to the receipts bucket and the prefixes ${prefixes.join(', ')}.`,
        );
      }
    }
    if (stack.processing.accessOf(definition.name).accountData) {
      // A user's data spans every prefix of model/data-lifecycle.ts (keys `<prefix>/<user id>/…`).
      const accountPrefixes = [...new Set(userObjectPrefixes('USER').map((prefix) => prefix.split('/')[0]))];
      for (const prefix of accountPrefixes) {
        acknowledge(
          role,
          resourceFinding(stack, `${bucket}/${prefix}/*`),
          `${definition.name} exports and deletes whole accounts: every object (and version) under ${prefix}/, per-user keys below it.`,
        );
      }
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
        acknowledge(
          role,
          `AwsSolutions-IAM5[Action::${action}]`,
          `CDK's bucket grants for ${definition.name}, limited to the receipts bucket and the prefixes ${accountPrefixes.join(', ')}.`,
        );
      }
    }
    acknowledge(
      fn,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the code is built and tested for (esbuild target node22); moving to a newer one is a deliberate upgrade.',
    );
  }

  // Lambda invoke grants (AppSync data sources, the scheduler, function to function) name one function each.
  for (const { fn } of stack.processing.functions.values()) {
    acknowledge(
      stack,
      resourceFinding(stack, `${fn.functionArn}:*`),
      'Invoking this one function (any version or alias), nothing else.',
    );
  }

  // CDK's own singleton functions: log retention (AppSync logs) and S3 bucket notifications.
  for (const child of stack.node.children) {
    if (/^(LogRetention|BucketNotificationsHandler)/.test(child.node.id)) {
      acknowledge(
        child,
        lambdaBasicExecution,
        'A CDK-provided custom resource function: the standard Lambda execution policy for its own logs.',
      );
      acknowledge(
        child,
        'AwsSolutions-IAM5[Resource::*]',
        "A CDK-provided custom resource: setting log retention and bucket notifications need `*` in CDK's policy.",
      );
    }
  }

  suppressWebHostingFindings(stack);
}

/**
 * The web app (infra/constructs/web-hosting.ts): static files behind CloudFront, copied into
 * their bucket by CDK's BucketDeployment custom resource.
 */
function suppressWebHostingFindings(stack: ExpenseTrackerStack): void {
  const distribution = stack.web.distribution;
  acknowledge(distribution, 'AwsSolutions-CFR1', 'The app is for anyone, anywhere: no country is kept out.');
  acknowledge(
    distribution,
    'AwsSolutions-CFR2',
    'It serves static files only; the API they call has its own WAF web ACL (wafRateLimit). A CloudFront web ACL would have to live in us-east-1 and costs per month.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR3',
    "Static, public files: requests are not personal data worth keeping, and CloudFront's standard logs need an ACL-enabled bucket (the stack's log bucket enforces bucket-owner objects). The API logs its requests.",
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR4',
    "The default *.cloudfront.net certificate: CloudFront fixes its TLS policy; TLS 1.2 minimum (set) applies with a custom domain's certificate.",
  );

  const lambdaBasicExecution = managedPolicyFinding(stack, 'service-role/AWSLambdaBasicExecutionRole');
  const assetBucket = `arn:${Aws.PARTITION}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${stack.account}-${stack.region}/*`;
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    const why = "CDK's BucketDeployment, which copies the built app into its bucket at deploy time";
    acknowledge(child, lambdaBasicExecution, `${why}: the standard execution policy for its own logs.`);
    acknowledge(child, 'AwsSolutions-L1', `${why}: CDK pins its runtime and moves it with aws-cdk-lib.`);
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'])
      acknowledge(
        child,
        `AwsSolutions-IAM5[Action::${action}]`,
        `${why}: CDK's read grant on its asset bucket and read-write grant on the app bucket, nothing else.`,
      );
    acknowledge(child, resourceFinding(stack, assetBucket), `${why}: reads the app's files from the CDK asset bucket.`);
    acknowledge(
      child,
      resourceFinding(stack, stack.web.bucket.arnForObjects('*')),
      `${why}: writes them into the app bucket.`,
    );
  }
}
