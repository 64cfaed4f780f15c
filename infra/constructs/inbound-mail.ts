import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import { INBOUND_KEY_PREFIX } from '../../model/inbound-email.ts';

/** A stored message the function did not delete (its event failed for good) is gone after this. */
export const INBOUND_MESSAGE_DAYS = 3;

export interface InboundMailProps {
  /** The domain SES receives mail for: every forwarding address is `r-…@` it (model/inbound-email.ts). */
  domain: string;
  /** The receipts bucket: messages are stored under INBOUND_KEY_PREFIX. */
  bucket: s3.Bucket;
  /** InboundEmailFn. */
  fn: lambda.IFunction;
}

/**
 * SES receiving for receipts by email, what the local SMTP listener (local/smtp-inbound.ts) does
 * under `npm start`: one receipt rule for the whole domain, spam and virus scan on (the function
 * reads the verdicts and refuses what failed), which first stores the message whole under inbound/
 * of the receipts bucket (keyed by SES's message id), then invokes InboundEmailFn with the receipt
 * event, asynchronously (Lambda retries it, then its dead-letter queue keeps it).
 *
 * The function deletes each message once taken in; a lifecycle rule removes whatever it could not
 * after INBOUND_MESSAGE_DAYS. SES may write to inbound/ only for this account and this rule, and
 * invoke the function only for this account and this rule.
 *
 * The rule set is created inactive: SES has one active rule set per account and region, and
 * CloudFormation cannot switch it (README "Deploy to AWS", receiving mail).
 */
export class InboundMail extends Construct {
  readonly ruleSet: ses.ReceiptRuleSet;
  readonly rule: ses.ReceiptRule;
  readonly ruleSetName: string;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    // Fixed names: the rule's ARN goes into the bucket policy and the invoke permission, which the
    // rule depends on (SES checks both when the rule is created), so it cannot come from the rule itself.
    this.ruleSetName = `${Stack.of(this).stackName}-inbound`;
    const ruleName = 'receipts-by-email';
    const ruleArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${this.ruleSetName}:receipt-rule/${ruleName}`;

    // The Lambda action uses an `AllowSes` permission when the function has one: this one names the rule.
    props.fn.addPermission('AllowSes', {
      action: 'lambda:InvokeFunction',
      principal: new iam.ServicePrincipal('ses.amazonaws.com'),
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: ruleArn,
    });
    // The S3 action allows SES's PutObject under the prefix for this account; this narrows it to this rule.
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'InboundMailFromThisRuleOnly',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${INBOUND_KEY_PREFIX}*`)],
        conditions: { ArnNotLike: { 'aws:SourceArn': ruleArn } },
      }),
    );
    props.bucket.addLifecycleRule({
      id: 'expire-inbound-mail',
      prefix: INBOUND_KEY_PREFIX,
      expiration: Duration.days(INBOUND_MESSAGE_DAYS),
      noncurrentVersionExpiration: Duration.days(1),
    });

    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: this.ruleSetName });
    this.rule = this.ruleSet.addRule('Receipts', {
      receiptRuleName: ruleName,
      recipients: [props.domain],
      scanEnabled: true,
      enabled: true,
      actions: [
        new actions.S3({ bucket: props.bucket, objectKeyPrefix: INBOUND_KEY_PREFIX }),
        new actions.Lambda({ function: props.fn, invocationType: actions.LambdaInvocationType.EVENT }),
      ],
    });
  }
}
