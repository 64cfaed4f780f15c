import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The SES sender identity alerts and reports are sent from. SES mails the address a
 * verification link on deploy; until it is clicked (and while the account is in the SES
 * sandbox) only verified recipients receive mail.
 */
export class Notifications extends Construct {
  readonly senderEmail: string;
  readonly identity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: { senderEmail: string }) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.identity = new ses.EmailIdentity(this, 'SenderIdentity', { identity: ses.Identity.email(props.senderEmail) });
  }

  /** SES send, from this identity only (the `ses:FromAddress` condition pins the sender too). */
  grantSend(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: this.identity.emailIdentityName })],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
      }),
    );
  }
}
