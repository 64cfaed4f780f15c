import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeployConfigError, deployConfigFrom } from './deploy-config.ts';
import { bundleResolvers } from './resolver-code.ts';
import { buildWebApp } from '../web/build.ts';
import { ExpenseTrackerStack, type ExpenseTrackerStackProps } from './stack.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STACK_NAME = 'SmartExpenseTracker';

/** CDK behaviours newer than the defaults, set here so the CLI (cdk.json) and `npm run synth` agree. */
const FEATURE_FLAGS = {
  // S3 access logs delivered under a bucket policy instead of the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/**
 * The CDK app: resolver bundles and the web app's build first (esbuild is async, constructs are not), then the stack,
 * checked by cdk-nag's AwsSolutions pack as a validation plugin: an unacknowledged finding
 * fails synthesis. `cdk.json` runs this file; `npm run synth` and the tests call createApp().
 * `functions` replaces the catalog and access map (tests add functions that exercise every rule).
 */
export async function createApp(
  props: AppProps = {},
  functions: Pick<ExpenseTrackerStackProps, 'functions' | 'functionAccess'> = {},
): Promise<{ app: App; stack: ExpenseTrackerStack }> {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  // The deployment's choices first: a missing sender stops at once, before anything is built.
  const config = deployConfigFrom(app.node);
  const resolvers = await bundleResolvers(PROJECT_ROOT);
  const webApp = await buildWebApp();
  const stack = new ExpenseTrackerStack(app, STACK_NAME, {
    projectRoot: PROJECT_ROOT,
    config,
    resolvers,
    webBuildDir: webApp.dir,
    ...functions,
    // Account and region from the CLI's profile when deploying; agnostic when synthesized offline.
    env: process.env.CDK_DEFAULT_ACCOUNT
      ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
      : undefined,
    description: 'Smart Expense Tracker: AppSync API, Cognito, DynamoDB, S3 receipts, OCR and budget functions',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

/** Runs `main`, printing a deployment choice that is missing or wrong as one line, exit code 1. */
export async function runReportingConfigErrors(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof DeployConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runReportingConfigErrors(async () => {
    const { app } = await createApp();
    app.synth();
  });
}
