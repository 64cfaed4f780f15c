import * as iam from 'aws-cdk-lib/aws-iam';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The SES identity every email comes from. The stack does not create it: Cognito refuses a user
 * pool whose SES sender is not verified yet, and verifying takes a click in a mailbox, so it must
 * exist and be verified before the stack deploys. `npm run deploy` checks that (infra/deploy.ts
 * creates the identity and stops until it is verified) and reports whether the account is still
 * in the SES sandbox, where mail reaches verified recipients only.
 */
export class Notifications extends Construct {
  readonly senderEmail: string;
  /** arn:…:ses:<region>:<account>:identity/<senderEmail> */
  readonly identityArn: string;

  constructor(scope: Construct, id: string, props: { senderEmail: string }) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.identityArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.senderEmail,
    });
  }

  /** SES send, from this identity only (the `ses:FromAddress` condition pins the sender too). */
  grantSend(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [this.identityArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
      }),
    );
  }
}
