import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionDefinition } from '../functions/catalog.ts';
import { amplifyPasswordPolicy } from '../local/cognito/password-policy.ts';
import { amplifyOutputs } from '../local/server/amplify-outputs.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Data } from './constructs/data.ts';
import { Edge } from './constructs/edge.ts';
import { Notifications } from './constructs/notifications.ts';
import { Observability } from './constructs/observability.ts';
import { Processing } from './constructs/processing.ts';
import type { DeployConfig } from './deploy-config.ts';
import { FUNCTION_ACCESS, type FunctionAccess } from './function-access.ts';
import { suppressJustifiedFindings } from './nag-suppressions.ts';
import type { BundledResolver } from './resolver-code.ts';

export interface ExpenseTrackerStackProps extends StackProps {
  projectRoot: string;
  config: DeployConfig;
  /** From bundleResolvers(): the resolver bundles, built before the (synchronous) constructs. */
  resolvers: readonly BundledResolver[];
  /** functions/catalog.ts FUNCTIONS unless given. */
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

  constructor(scope: Construct, id: string, props: ExpenseTrackerStackProps) {
    super(scope, id, props);
    const { config, projectRoot } = props;

    this.data = new Data(this, 'Data', { corsOrigins: config.corsOrigins });
    this.auth = new Auth(this, 'Auth');
    const notifications = new Notifications(this, 'Notifications', { senderEmail: config.senderEmail });
    this.api = new Api(this, 'Api', { projectRoot, userPool: this.auth.userPool, fieldLogLevel: config.apiFieldLogLevel, customDomain: config.customDomain });
    this.processing = new Processing(this, 'Processing', {
      projectRoot,
      functions: props.functions ?? FUNCTIONS,
      access: props.functionAccess ?? FUNCTION_ACCESS,
      tables: this.data.tables,
      receiptsBucket: this.data.receiptsBucket,
      userPool: this.auth.userPool,
      api: this.api,
      notifications,
      logLevel: config.logLevel,
    });
    this.api.addDataSources(this.data.tables, this.processing.lambdaFunctions());
    this.api.addResolvers(props.resolvers);
    this.observability = new Observability(this, 'Observability', {
      api: this.api.api,
      functions: [...this.processing.functions.values()],
      alarmEmail: config.alarmEmail,
    });
    if (config.wafRateLimit > 0) this.edge = new Edge(this, 'Edge', { api: this.api.api, rateLimit: config.wafRateLimit });

    const graphqlUrl = config.customDomain ? `https://${config.customDomain.domainName}/graphql` : this.api.api.graphqlUrl;
    new CfnOutput(this, 'GraphqlUrl', { value: graphqlUrl });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'ReceiptsBucketName', { value: this.data.receiptsBucket.bucketName });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    if (config.customDomain) {
      new CfnOutput(this, 'ApiDomainTarget', { value: this.api.api.appSyncDomainName, description: `CNAME ${config.customDomain.domainName} to this` });
    }
    // The client configuration in Amplify Gen 2's format: `amplify_outputs.json` (see README).
    new CfnOutput(this, 'AmplifyOutputs', {
      value: this.toJsonString(
        amplifyOutputs({
          region: this.region,
          userPoolId: this.auth.userPool.userPoolId,
          userPoolClientId: this.auth.userPoolClient.userPoolClientId,
          userPoolEndpoint: `https://cognito-idp.${this.region}.${this.urlSuffix}/`,
          graphqlUrl,
          passwordPolicy: amplifyPasswordPolicy(),
        }),
      ),
    });

    suppressJustifiedFindings(this);
  }
}
