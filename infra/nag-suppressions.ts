import { Validations, type CfnResource, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ExpenseTrackerStack } from './stack.ts';

/**
 * The cdk-nag AwsSolutions findings this stack accepts, each with its reason, acknowledged on
 * the narrowest construct and for the exact finding (`Rule[Resource::…]`), so a new wildcard
 * or a new managed policy anywhere else still fails synthesis.
 */
const AWS_LAMBDA_BASIC_EXECUTION = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason });
}

function arnToken(stack: Stack, construct: IConstruct): string {
  return `<${stack.getLogicalId(construct.node.defaultChild as CfnResource)}.Arn>`;
}

export function suppressJustifiedFindings(stack: ExpenseTrackerStack): void {
  acknowledge(
    stack.auth.userPool,
    'AwsSolutions-COG8',
    'The Plus feature plan (threat protection) is billed per active user; the Essentials plan is this project\'s cost baseline. Enable it per deployment if needed.',
  );
  acknowledge(stack.auth.userPool, 'AwsSolutions-COG2', 'MFA is optional (TOTP) so self sign-up stays one step; users can turn it on.');
  acknowledge(
    stack.api.api,
    'AwsSolutions-ASC3',
    'Field logging is on with a CloudWatch role, but verbose content stays excluded: it would write request headers (bearer tokens) and variables (receipt content) to the logs.',
  );
  // The group is named by the log retention custom resource CDK adds for the API's logs.
  const retention = stack.api.api.node.findChild('LogRetention').node.findChild('Resource') as CfnResource;
  const logGroupName = `<${stack.getLogicalId(retention)}.LogGroupName>`;
  acknowledge(
    stack.api,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${logGroupName}:*]`,
    "The logging role writes to the streams of this API's own log group only.",
  );

  // Every table's grants (functions and AppSync data sources) include its own indexes.
  for (const [name, table] of stack.data.tables) {
    acknowledge(stack, `AwsSolutions-IAM5[Resource::${arnToken(stack, table)}/index/*]`, `Queries on the GSIs of the ${name} table, which the same grant covers; no other table.`);
  }

  const bucket = arnToken(stack, stack.data.receiptsBucket);
  for (const { definition, fn } of stack.processing.functions.values()) {
    const role = fn.role!;
    acknowledge(
      role,
      AWS_LAMBDA_BASIC_EXECUTION,
      'CloudWatch Logs write access only (CreateLogGroup/CreateLogStream/PutLogEvents), the standard Lambda execution policy.',
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords, Textract AnalyzeExpense and Comprehend DetectEntities have no resource-level permissions: `*` is the only resource IAM accepts for them.',
    );
    if (stack.processing.accessOf(definition.name).receiptsBucket) {
      acknowledge(role, `AwsSolutions-IAM5[Resource::${bucket}/receipts/*]`, `${definition.name} works on receipt objects, which all live under receipts/.`);
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
        acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, `CDK's bucket grant for ${definition.name}, limited to the receipts bucket and its receipts/ prefix.`);
      }
    }
    const prefixes = stack.processing.accessOf(definition.name).bucketPrefixes ?? [];
    for (const prefix of prefixes) {
      acknowledge(role, `AwsSolutions-IAM5[Resource::${bucket}/${prefix}*]`, `${definition.name} reads and writes its own objects under ${prefix} (per-user keys below it).`);
    }
    if (prefixes.length) {
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*']) {
        acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, `CDK's read and put grants for ${definition.name}, limited to the receipts bucket and the prefixes ${prefixes.join(', ')}.`);
      }
    }
    acknowledge(fn, 'AwsSolutions-L1', 'Node.js 22 is the runtime the code is built and tested for (esbuild target node22); moving to a newer one is a deliberate upgrade.');
  }

  // Lambda invoke grants (AppSync data sources, the scheduler, function to function) name one function each.
  for (const { fn } of stack.processing.functions.values()) {
    acknowledge(stack, `AwsSolutions-IAM5[Resource::${arnToken(stack, fn)}:*]`, 'Invoking this one function (any version or alias), nothing else.');
  }

  // CDK's own singleton functions: log retention (AppSync logs) and S3 bucket notifications.
  for (const child of stack.node.children) {
    if (/^(LogRetention|BucketNotificationsHandler)/.test(child.node.id)) {
      acknowledge(child, AWS_LAMBDA_BASIC_EXECUTION, 'A CDK-provided custom resource function: the standard Lambda execution policy for its own logs.');
      acknowledge(child, 'AwsSolutions-IAM5[Resource::*]', 'A CDK-provided custom resource: setting log retention and bucket notifications need `*` in CDK\'s policy.');
    }
  }
}
