import path from 'node:path';
import { createApp, PROJECT_ROOT, runReportingConfigErrors } from './app.ts';

/**
 * `npm run synth`: the CloudFormation template into cdk.out, offline and without credentials
 * or the CDK CLI. Context as `key=value` arguments (e.g. `npm run synth -- senderEmail=me@x.org`).
 * A cdk-nag finding fails synthesis itself; CDK's own errors set a non-zero exit code here.
 */
const context = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split(/=(.*)/s, 2) as [string, string]));
await runReportingConfigErrors(async () => {
  const { app, stack } = await createApp({ outdir: path.join(PROJECT_ROOT, 'cdk.out'), context });
  const assembly = app.synth();
  const messages = assembly
    .getStackArtifact(stack.artifactId)
    .messages.filter((m) => m.level === 'error' || m.level === 'warning');
  for (const message of messages) console.error(`${message.level} ${message.id}: ${String(message.entry.data)}`);
  console.log(`${assembly.directory}/${stack.templateFile}`);
  if (messages.some((m) => m.level === 'error')) process.exitCode = 1;
});
