import path from 'node:path';
import { createApp, PROJECT_ROOT } from './app.ts';

/**
 * `npm run synth`: the CloudFormation template into cdk.out, offline and without credentials
 * or the CDK CLI. Context as `key=value` arguments (e.g. `npm run synth -- senderEmail=me@x.org`).
 * Exits non-zero when cdk-nag (or CDK) reports an error.
 */
const context = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split(/=(.*)/s, 2) as [string, string]));
const { app, stack } = await createApp({ outdir: path.join(PROJECT_ROOT, 'cdk.out'), context });
const assembly = app.synth();
const errors = assembly.getStackArtifact(stack.artifactId).messages.filter((m) => m.level === 'error');
for (const error of errors) console.error(`${error.id}: ${String(error.entry.data)}`);
console.log(`${assembly.directory}/${stack.templateFile}${errors.length ? `: ${errors.length} error(s)` : ''}`);
if (errors.length) process.exitCode = 1;
