import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionDefinition } from '../model/functions.ts';
import { amplifyPasswordPolicy } from '../model/password-policy.ts';
import { amplifyOutputs } from '../model/amplify-outputs.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Data } from './constructs/data.ts';
import { Edge } from './constructs/edge.ts';
import { InboundMail } from './constructs/inbound-mail.ts';
import { Notifications } from './constructs/notifications.ts';
import { Observability } from './constructs/observability.ts';
import { Processing } from './constructs/processing.ts';
import { WebHosting } from './constructs/web-hosting.ts';
import { receiptsCorsRule } from './receipts-bucket-cors.ts';
import type { DeployConfig } from './deploy-config.ts';
import { FUNCTION_ACCESS, type FunctionAccess } from './function-access.ts';
import { suppressJustifiedFindings } from './nag-suppressions.ts';
import type { BundledResolver } from './resolver-code.ts';

export interface ExpenseTrackerStackProps extends StackProps {
  projectRoot: string;
  config: DeployConfig;
  /** From bundleResolvers(): the resolver bundles, built before the (synchronous) constructs. */
  resolvers: readonly BundledResolver[];
  /** From buildWebApp(): the web app's built files, deployed to its bucket. */
  webBuildDir: string;
  /** model/functions.ts FUNCTIONS unless given. */
  functions?: readonly FunctionDefinition[];
  /** infra/function-access.ts FUNCTION_ACCESS unless given. */
  functionAccess?: Readonly<Record<string, FunctionAccess>>;
}

/** The whole system on AWS: the same schema, resolver bundles and function handlers `npm start` runs. */
export class ExpenseTrackerStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly api: Api;
  readonly processing: Processing;
  readonly observability: Observability;
  readonly edge?: Edge;
  /** SES receiving for receipts by email, when the deployment names a receiving domain. */
  readonly inboundMail?: InboundMail;
  readonly web: WebHosting;

  constructor(scope: Construct, id: string, props: ExpenseTrackerStackProps) {
    super(scope, id, props);
    const { config, projectRoot } = props;
    // cfn-lint W3005 (a DependsOn a GetAtt already implies): CDK adds it to every function on its role
    // on purpose (the role's policy must exist before the function is invoked); nothing else is ignored.
    this.templateOptions.metadata = { 'cfn-lint': { config: { ignore_checks: ['W3005'] } } };

    this.data = new Data(this, 'Data', { corsOrigins: config.corsOrigins });
    this.auth = new Auth(this, 'Auth', { senderEmail: config.senderEmail });
    const notifications = new Notifications(this, 'Notifications', { senderEmail: config.senderEmail });
    this.api = new Api(this, 'Api', {
      projectRoot,
      userPool: this.auth.userPool,
      fieldLogLevel: config.apiFieldLogLevel,
      customDomain: config.customDomain,
    });
    this.processing = new Processing(this, 'Processing', {
      projectRoot,
      functions: props.functions ?? FUNCTIONS,
      access: props.functionAccess ?? FUNCTION_ACCESS,
      tables: this.data.tables,
      receiptsBucket: this.data.receiptsBucket,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.userPoolClient,
      api: this.api,
      notifications,
      logLevel: config.logLevel,
      inboundEmailDomain: config.inboundEmailDomain,
    });
    if (config.inboundEmailDomain) {
      const [receiver, ...others] = [...this.processing.functions.values()].filter((deployed) =>
        deployed.definition.triggers?.includes('ses-inbound-email'),
      );
      if (!receiver || others.length)
        throw new Error('Exactly one function of model/functions.ts must have the ses-inbound-email trigger');
      this.inboundMail = new InboundMail(this, 'InboundMail', {
        domain: config.inboundEmailDomain,
        bucket: this.data.receiptsBucket,
        fn: receiver.fn,
      });
    }
    this.api.addDataSources(this.data.tables, this.processing.lambdaFunctions());
    this.api.addResolvers(props.resolvers);
    this.observability = new Observability(this, 'Observability', {
      api: this.api.api,
      functions: [...this.processing.functions.values()],
      alarmEmail: config.alarmEmail,
    });
    if (config.wafRateLimit > 0)
      this.edge = new Edge(this, 'Edge', { api: this.api.api, rateLimit: config.wafRateLimit });

    const graphqlUrl = config.customDomain
      ? `https://${config.customDomain.domainName}/graphql`
      : this.api.api.graphqlUrl;
    // The client configuration in Amplify Gen 2's format: `amplify_outputs.json` (see README).
    const outputs = amplifyOutputs({
      region: this.region,
      userPoolId: this.auth.userPool.userPoolId,
      userPoolClientId: this.auth.userPoolClient.userPoolClientId,
      userPoolEndpoint: `https://cognito-idp.${this.region}.${this.urlSuffix}/`,
      graphqlUrl,
      passwordPolicy: amplifyPasswordPolicy(),
    });

    this.web = new WebHosting(this, 'Web', {
      buildDir: props.webBuildDir,
      amplifyOutputs: outputs,
      accessLogsBucket: this.data.accessLogsBucket,
      apiDomainName: config.customDomain?.domainName,
    });
    // Browsers upload receipts from the app straight to S3 (presigned PUTs): its origin is allowed.
    this.data.receiptsBucket.addCorsRule(receiptsCorsRule([this.web.url]));

    new CfnOutput(this, 'WebAppUrl', { value: this.web.url, description: 'The web app' });
    new CfnOutput(this, 'GraphqlUrl', { value: graphqlUrl });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'ReceiptsBucketName', { value: this.data.receiptsBucket.bucketName });
    if (this.inboundMail) {
      new CfnOutput(this, 'InboundRuleSetName', {
        value: this.inboundMail.ruleSetName,
        description: 'Activate it: aws ses set-active-receipt-rule-set --rule-set-name <this> (README, receiving mail)',
      });
    }
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    if (config.customDomain) {
      new CfnOutput(this, 'ApiDomainTarget', {
        value: this.api.api.appSyncDomainName,
        description: `CNAME ${config.customDomain.domainName} to this`,
      });
    }
    new CfnOutput(this, 'AmplifyOutputs', { value: this.toJsonString(outputs) });

    suppressJustifiedFindings(this);
  }
}
