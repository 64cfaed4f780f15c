import { Duration } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DeployedFunction } from './processing.ts';

export interface ObservabilityProps {
  api: appsync.GraphqlApi;
  functions: readonly DeployedFunction[];
  alarmEmail?: string;
}

/**
 * Alarms on what needs a human (function errors and throttles, messages in a dead-letter
 * queue, AppSync 5xx), sent to one SNS topic, and a dashboard with the API's latency
 * percentiles, errors and each function's health.
 */
export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Smart Expense Tracker alarms',
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const apiMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { GraphQLAPIId: props.api.apiId }, statistic, period: Duration.minutes(5) });

    this.alarm('Api5xx', apiMetric('5XXError', 'Sum'), 'AppSync answered 5xx (resolver or data source failures)');
    for (const { definition, fn, deadLetterQueue } of props.functions) {
      this.alarm(`${definition.name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `${definition.name} raised errors`);
      this.alarm(`${definition.name}Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), `${definition.name} was throttled`);
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
            right: [apiMetric('4XXError', 'Sum').with({ label: '4xx' }), apiMetric('5XXError', 'Sum').with({ label: '5xx' })],
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
