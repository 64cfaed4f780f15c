import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PASSWORD_POLICY } from '../../model/password-policy.ts';

/**
 * The user pool: self sign-up with email as the user name, email verification, the password
 * policy the local Cognito stand-in enforces too, and one public app client (no secret, no
 * OAuth flows) for USER_PASSWORD_AUTH and SRP, as Amplify and the CLI tools sign in. Its mail (verification
 * codes, password resets) goes through SES from the deployment's sender: Cognito's own email
 * allows a few dozen messages a day per account.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: { senderEmail: string }) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // The identity lives in the stack's region (an agnostic stack names it with AWS::Region).
      email: cognito.UserPoolEmail.withSES({
        fromEmail: props.senderEmail,
        fromName: 'Smart Expense Tracker',
        sesRegion: Stack.of(this).region,
      }),
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.userPoolClient = this.userPool.addClient('AppClient', {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      // No hosted-UI OAuth (CDK would otherwise allow the implicit and code grants back to
      // https://example.com): clients sign in through the user pool API; a web app that needs
      // OAuth registers its own callback URLs.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }
}
