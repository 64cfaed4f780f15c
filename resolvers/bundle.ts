import { build, type BuildOptions } from 'esbuild';

/**
 * Resolver bundles, built the way AppSync documents for TypeScript resolvers
 * (https://docs.aws.amazon.com/appsync/latest/devguide/additional-utilities.html#working-with-typescript):
 * `--bundle --format=esm --target=esnext --platform=node --external:@aws-appsync/utils`,
 * with an inline source map without sources so stack traces point at the .ts lines while
 * the code stays small. The same string is what CDK deploys and what local/appsync runs.
 */
const APPSYNC_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  write: false,
  format: 'esm',
  target: 'esnext',
  platform: 'node',
  external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
  sourcemap: 'inline',
  sourcesContent: false,
  logLevel: 'silent',
};

/** AppSync rejects function and resolver code larger than this. */
export const APPSYNC_CODE_LIMIT_BYTES = 32 * 1024;

/** A pipeline resolver's handlers when its folder has no index.ts: pass the last function's result through. */
export const PASS_THROUGH_PIPELINE_CODE = `export function request() { return {}; }
export function response(ctx) { return ctx.prev.result; }
`;

export async function bundleResolverFile(file: string): Promise<string> {
  return (await bundleResolverFileWithInputs(file)).code;
}

/** The bundle and the files it was made from (paths relative to the working directory), for caches. */
export async function bundleResolverFileWithInputs(file: string): Promise<{ code: string; inputs: string[] }> {
  const out = await build({ ...APPSYNC_BUILD_OPTIONS, entryPoints: [file], metafile: true });
  return { code: out.outputFiles![0].text, inputs: Object.keys(out.metafile!.inputs) };
}

/** Bundles source given as a string (EvaluateCode's `code`): an ES module importing the AppSync utils. */
export async function bundleResolverSource(
  source: string,
  resolveDir: string,
  loader: 'js' | 'ts' = 'js',
): Promise<string> {
  const out = await build({
    ...APPSYNC_BUILD_OPTIONS,
    stdin: { contents: source, resolveDir, loader, sourcefile: 'code.js' },
  });
  return out.outputFiles![0].text;
}
