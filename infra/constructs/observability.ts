import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { BUSINESS_METRICS, METRICS_NAMESPACE, type BusinessMetric } from '../../model/telemetry.ts';
import { serviceNameOf, type DeployedFunction } from './processing.ts';

export interface ObservabilityProps {
  api: appsync.GraphqlApi;
  functions: readonly DeployedFunction[];
  alarmEmail?: string;
}

/**
 * Alarms on what needs a human (function errors and throttles, messages in a dead-letter
 * queue, AppSync 5xx, scheduled report emails that could not be sent), sent to one SNS topic,
 * and a dashboard with the API's latency percentiles, errors, each function's health and the
 * business metrics the functions emit (model/telemetry.ts).
 */
export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  /** Encrypts the alarm topic; its policy lets CloudWatch alarms of this account publish. */
  readonly alarmKey: kms.Key;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);

    // A customer-managed key: CloudWatch cannot use the AWS-managed alias/aws/sns key (its policy
    // is AWS's), so an alarm publishing to a topic under it is dropped without a trace.
    const stack = Stack.of(this);
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.alarmKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Smart Expense Tracker alarm topic: CloudWatch alarms publish, SNS encrypts',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.alarmKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccountsAlarms,
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Smart Expense Tracker alarms',
      masterKey: this.alarmKey,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default: allow the alarms explicitly.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const apiMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/AppSync',
        metricName,
        dimensionsMap: { GraphQLAPIId: props.api.apiId },
        statistic,
        period: Duration.minutes(5),
      });

    this.alarm('Api5xx', apiMetric('5XXError', 'Sum'), 'AppSync answered 5xx (resolver or data source failures)');
    // A scheduled report that fails is caught and retried next run, so no function error shows it: its metric does.
    for (const { definition } of props.functions.filter((f) => f.definition.triggers?.includes('schedule-reports'))) {
      const failed = new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: BUSINESS_METRICS.reportsFailed.name,
        dimensionsMap: { service: serviceNameOf(definition) },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
      this.alarm(
        `${definition.name}ReportsFailed`,
        failed,
        `${definition.name} could not send scheduled report emails`,
      );
    }
    for (const { definition, fn, deadLetterQueue } of props.functions) {
      this.alarm(
        `${definition.name}Errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        `${definition.name} raised errors`,
      );
      this.alarm(
        `${definition.name}Throttles`,
        fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        `${definition.name} was throttled`,
      );
      this.alarm(
        `${definition.name}DeadLetters`,
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `${definition.name} gave up on asynchronous events (see its dead-letter queue)`,
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'API latency (ms)',
            left: ['p50', 'p95', 'p99'].map((p) => apiMetric('Latency', p).with({ label: p })),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'API requests and errors',
            left: [apiMetric('Requests', 'Sum').with({ label: 'requests' })],
            right: [
              apiMetric('4XXError', 'Sum').with({ label: '4xx' }),
              apiMetric('5XXError', 'Sum').with({ label: '5xx' }),
            ],
            width: 12,
          }),
        ],
        ...props.functions.map(({ definition, fn, deadLetterQueue }) => [
          new cloudwatch.GraphWidget({
            title: `${definition.name} invocations, errors, throttles`,
            left: [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles()],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: `${definition.name} duration (ms)`,
            left: ['p50', 'p95', 'p99'].map((p) => fn.metricDuration({ statistic: p, label: p })),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: `${definition.name} dead letters`,
            left: [deadLetterQueue.metricApproximateNumberOfMessagesVisible()],
            width: 8,
          }),
        ]),
        [
          businessGraph('Receipts', ['receiptUploads', 'receiptsProcessed', 'receiptsNeedingReview', 'receiptsFailed']),
          new cloudwatch.GraphWidget({
            title: 'OCR duration (ms)',
            left: ['p50', 'p95'].map((p) => businessMetric('ocrDuration', p, p)),
            width: 8,
          }),
          businessGraph('Alerts, reports, users, categorized', [
            'budgetAlertsSent',
            'reportsSent',
            'reportsFailed',
            'usersCreated',
            'expensesCategorized',
          ]),
        ],
        [
          businessGraph('Receipts by email, statement lines', [
            'inboundMessagesAccepted',
            'inboundMessagesRefused',
            'inboundRepliesSent',
            'statementUploads',
            'statementLinesImported',
          ]),
          businessGraph('Rates and conversions', ['exchangeRateMonthsStored', 'expensesConverted']),
          businessGraph('Forwarding, account data', [
            'forwardingAddressesIssued',
            'forwardingCodesSent',
            'accountExportsMade',
            'accountsDeleted',
            'receiptImagesExpired',
          ]),
          businessGraph('Search and split index writes', ['searchTermsWritten', 'splitIndexWritten']),
          businessGraph('Recurring charges', [
            'recurringCandidatesFound',
            'recurringRulesConfirmed',
            'recurringAlertsSent',
          ]),
          businessGraph('Sharing', [
            'expensesShared',
            'shareSettlementsRecorded',
            'shareBalancesShown',
            'sharesWithdrawn',
          ]),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}

/**
 * A business metric from whichever functions emit it (any `service`), summed: the dashboard
 * needs no list of who counts what. SEARCH works in graphs (not in alarms).
 */
function businessMetric(metric: BusinessMetric, statistic: string, label: string): cloudwatch.MathExpression {
  const search = `SEARCH('{${METRICS_NAMESPACE},service} MetricName="${BUSINESS_METRICS[metric].name}"', '${statistic}', 300)`;
  return new cloudwatch.MathExpression({
    expression: statistic === 'Sum' ? `SUM(${search})` : search,
    label,
    period: Duration.minutes(5),
    usingMetrics: {},
  });
}

function businessGraph(title: string, metrics: BusinessMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title: `${title} (per 5 minutes)`,
    left: metrics.map((m) => businessMetric(m, 'Sum', BUSINESS_METRICS[m].name)),
    width: 8,
  });
}
