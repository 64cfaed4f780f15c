import { bundleResolverFile, PASS_THROUGH_PIPELINE_CODE } from '../resolvers/bundle.ts';
import { resolverBindings, type ResolverBinding } from '../resolvers/manifest.ts';

/**
 * Every resolver of resolvers/manifest.ts with its bundled code, built by the same function
 * the local executor uses, so AppSync runs byte for byte what `npm start` runs. Bundling is
 * async and CDK constructs are not: the app awaits this first and hands the strings down.
 */
export interface BundledFunction {
  name: string;
  dataSource: string;
  code: string;
}

export interface BundledResolver {
  typeName: string;
  fieldName: string;
  kind: ResolverBinding['kind'];
  /** UNIT only. */
  dataSource?: string;
  /** PIPELINE only, in execution order. */
  functions: BundledFunction[];
  code: string;
}

export async function bundleResolvers(projectRoot: string): Promise<BundledResolver[]> {
  return Promise.all(
    resolverBindings(projectRoot).map(async (binding) => ({
      typeName: binding.typeName,
      fieldName: binding.fieldName,
      kind: binding.kind,
      dataSource: binding.dataSource,
      functions: await Promise.all(
        (binding.functions ?? []).map(async (fn) => ({
          name: fn.name,
          dataSource: fn.dataSource,
          code: await bundleResolverFile(fn.file),
        })),
      ),
      code: binding.file ? await bundleResolverFile(binding.file) : PASS_THROUGH_PIPELINE_CODE,
    })),
  );
}
