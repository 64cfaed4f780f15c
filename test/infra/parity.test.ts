import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { FUNCTIONS } from '../../model/functions.ts';
import { PROJECT_ROOT } from '../../infra/app.ts';
import { PASS_THROUGH_PIPELINE_CODE } from '../../resolvers/bundle.ts';
import { createResolverExecutor, type ResolverExecutor } from '../../local/appsync/executor.ts';
import { FUNCTION_ACCESS } from '../../infra/function-access.ts';
import {
  dataSourceKinds,
  loadSchemaForManifest,
  resolverBindings,
  type ResolverBinding,
} from '../../resolvers/manifest.ts';
import { IMAGE_CONVERSION_FILES } from '../../model/functions.ts';
import { givenSignedInUser } from '../e2e/steps.ts';
import { startBundleProcess, type BundleProcess } from '../support/lambda-bundle-process.ts';
import { givenReceiptStack, type ReceiptStack } from '../support/receipt-stack.ts';
import { givenHeicReceipt, pngOfHeic } from '../support/heic-files.ts';
import { givenWebpReceipt, meanDifference } from '../support/webp-files.ts';
import { receiptApi } from '../support/webp-receipts.ts';
import { synthesize, type Synthesized } from './synth.ts';

/**
 * What AWS runs is what `npm start` runs: the resolvers the manifest binds, on the data
 * sources it names, with the very bundles the local executor evaluates, and the Lambda
 * handlers of model/functions.ts. One synthesis (functions bundled) for the whole file.
 */
let synth: Synthesized;
let executor: ResolverExecutor;
let bindings: ResolverBinding[];
beforeAll(async () => {
  bindings = resolverBindings(PROJECT_ROOT);
  // Data sources are never called here: the executor is only asked for the bundles it loaded.
  const unused = async () => ({ result: null });
  [synth, executor] = await Promise.all([
    synthesize(),
    createResolverExecutor({
      projectRoot: PROJECT_ROOT,
      dataSources: new Map([...dataSourceKinds().keys()].map((name) => [name, unused])),
    }),
  ]);
}, 120_000);
afterAll(() => synth?.dispose());

type Resource = { Properties: any };
const resources = (type: string) => synth.template.findResources(type) as Record<string, Resource>;
const getAttId = (value: { 'Fn::GetAtt': [string, string] }) => value['Fn::GetAtt'][0];

function resolverOf(binding: ResolverBinding): Resource['Properties'] {
  const found = Object.values(resources('AWS::AppSync::Resolver')).filter(
    (r) => r.Properties.TypeName === binding.typeName && r.Properties.FieldName === binding.fieldName,
  );
  expect(found, `${binding.typeName}.${binding.fieldName}`).toHaveLength(1);
  return found[0].Properties;
}

/** The data source a resolver or function's DataSourceName names: exactly one must exist. */
function dataSourceNamed(name: string): Resource['Properties'] {
  const found = Object.values(resources('AWS::AppSync::DataSource')).filter((d) => d.Properties.Name === name);
  expect(found, `data source ${name}`).toHaveLength(1);
  return found[0].Properties;
}

describe('resolvers', () => {
  it('given the manifest, when the template is read, then every binding has exactly one resolver and there are no others', () => {
    expect(bindings.length).toBeGreaterThan(0);
    for (const binding of bindings) expect(resolverOf(binding).Kind).toBe(binding.kind);
    expect(Object.keys(resources('AWS::AppSync::Resolver'))).toHaveLength(bindings.length);
  });

  it('given schema.graphql, when its root fields are listed, then every Query, Mutation and Subscription field has a resolver', () => {
    const schema = loadSchemaForManifest(PROJECT_ROOT);
    const bound = new Set(bindings.map((b) => `${b.typeName}.${b.fieldName}`));
    const missing = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .flatMap((type) => (type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : []))
      .filter((field) => !bound.has(field));
    expect(missing, 'root fields without a resolver (AppSync would answer null)').toEqual([]);
  });

  it('given each binding, when its data sources are read, then they carry the name the resolver file gives and reach that table or function', () => {
    const kinds = dataSourceKinds();
    const expectDataSource = (deployedName: string, name: string) => {
      expect(deployedName).toBe(name);
      const dataSource = dataSourceNamed(name);
      expect(dataSource.Type).toBe(kinds.get(name));
      if (dataSource.Type === 'AMAZON_DYNAMODB') {
        expect(dataSource.DynamoDBConfig.TableName).toEqual({ Ref: synth.logicalId(synth.stack.data.table(name)) });
      }
      if (dataSource.Type === 'AWS_LAMBDA') {
        expect(dataSource.LambdaConfig.LambdaFunctionArn).toEqual({
          'Fn::GetAtt': [synth.logicalId(synth.stack.processing.functions.get(name)!.fn), 'Arn'],
        });
      }
    };
    const functionConfigs = resources('AWS::AppSync::FunctionConfiguration');
    for (const binding of bindings) {
      const resolver = resolverOf(binding);
      if (binding.kind === 'UNIT') {
        expectDataSource(resolver.DataSourceName, binding.dataSource!);
        continue;
      }
      const steps = (resolver.PipelineConfig.Functions as Array<{ 'Fn::GetAtt': [string, string] }>).map(
        (ref) => functionConfigs[getAttId(ref)].Properties,
      );
      expect(steps.map((s) => s.Name)).toEqual(binding.functions!.map((f) => f.name));
      steps.forEach((step, i) => expectDataSource(step.DataSourceName, binding.functions![i].dataSource));
    }
  });

  it('given the local executor, when the deployed code is compared, then every resolver and function is byte-identical to the bundle it evaluates', () => {
    const functionConfigs = Object.values(resources('AWS::AppSync::FunctionConfiguration')).map((f) => f.Properties);
    for (const binding of bindings) {
      const resolver = resolverOf(binding);
      expect(resolver.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
      expect(resolver.Code, `${binding.typeName}.${binding.fieldName}`).toBe(
        binding.file ? executor.bundles.get(binding.file) : PASS_THROUGH_PIPELINE_CODE,
      );
      for (const fn of binding.functions ?? []) {
        const deployed = functionConfigs.find((f) => f.Name === fn.name)!;
        expect(deployed.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
        expect(deployed.Code, fn.name).toBe(executor.bundles.get(fn.file));
      }
    }
    expect(executor.bundles.size).toBeGreaterThan(0);
  });
});

describe('functions', () => {
  it('given the catalog, when the Lambda data sources are read, then they are exactly the functions marked dataSource', () => {
    const lambdaSources = Object.values(resources('AWS::AppSync::DataSource'))
      .filter((d) => d.Properties.Type === 'AWS_LAMBDA')
      .map((d) => d.Properties.Name)
      .sort();
    expect(lambdaSources).toEqual(
      FUNCTIONS.filter((f) => f.dataSource)
        .map((f) => f.name)
        .sort(),
    );
  });

  it('given function-access.ts, when its entries are read, then each names a catalog function and publishes only IAM-only Mutation fields', () => {
    const names = new Set(FUNCTIONS.map((f) => f.name));
    const mutation = loadSchemaForManifest(PROJECT_ROOT).getMutationType()!.getFields();
    for (const [name, access] of Object.entries(FUNCTION_ACCESS)) {
      expect(names.has(name), name).toBe(true);
      for (const target of access.invoke ?? []) expect(names.has(target), `${name} invokes ${target}`).toBe(true);
      for (const field of access.publish ?? []) {
        const directives = mutation[field]?.astNode?.directives?.map((d) => d.name.value);
        expect(directives, `Mutation.${field}`).toEqual(['aws_iam']);
      }
    }
  });

  it('given the catalog, when each deployed bundle is read, then it is built from the handler the local runtime imports and loads on its own', async () => {
    const functions = resources('AWS::Lambda::Function');
    // A directory with no node_modules above it: the bundle must carry every dependency, as on Lambda.
    const isolated = mkdtempSync(path.join(tmpdir(), 'lambda-bundle-'));
    onTestFinished(() => rmSync(isolated, { recursive: true, force: true }));
    for (const definition of FUNCTIONS) {
      expect(
        functions[synth.logicalId(synth.stack.processing.functions.get(definition.name)!.fn)].Properties.Handler,
      ).toBe('index.handler');
      const assetDir = bundleDirOf(definition.name);
      const map = JSON.parse(readFileSync(path.join(assetDir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      const entry = path.join(PROJECT_ROOT, definition.entry);
      expect(
        map.sources.some((source) => path.resolve(assetDir, source) === entry),
        `${definition.name} from ${definition.entry}`,
      ).toBe(true);
      const standalone = path.join(isolated, definition.name);
      mkdirSync(standalone);
      for (const file of readdirSync(assetDir)) copyFileSync(path.join(assetDir, file), path.join(standalone, file));
      const loaded = (await import(pathToFileURL(path.join(standalone, 'index.mjs')).href)) as { handler?: unknown };
      expect(typeof loaded.handler, definition.name).toBe('function');
    }
    // Five bundles of about 1 MB with their source maps, parsed and loaded: seconds each on a busy machine.
  }, 90_000);

  it('given bundleFiles, when each bundle directory is read, then the files the code reads at run time are beside it, byte for byte', () => {
    for (const definition of FUNCTIONS) {
      for (const file of FUNCTION_ACCESS[definition.name]?.bundleFiles ?? []) {
        const copied = path.join(bundleDirOf(definition.name), path.basename(file));
        expect(
          readFileSync(copied).equals(readFileSync(path.join(PROJECT_ROOT, file))),
          `${definition.name}: ${file}`,
        ).toBe(true);
      }
    }
  });

  it('given the bundles, when they are searched for publish calls, then each function may call exactly the publish mutations its code sends', () => {
    const iamMutations = Object.values(loadSchemaForManifest(PROJECT_ROOT).getMutationType()!.getFields())
      .filter((field) => field.astNode?.directives?.some((d) => d.name.value === 'aws_iam'))
      .map((field) => field.name);
    expect(iamMutations.length).toBeGreaterThan(0);
    for (const definition of FUNCTIONS) {
      const code = readFileSync(path.join(bundleDirOf(definition.name), 'index.mjs'), 'utf8');
      // The operation text of functions/shared/publish.ts survives minification: `{ publishX(` in the query string.
      const sent = iamMutations.filter((field) => new RegExp(`\\{\\s*${field}\\s*\\(`).test(code));
      expect([...(FUNCTION_ACCESS[definition.name]?.publish ?? [])].sort(), definition.name).toEqual(sent.sort());
    }
  });
});

describe('the functions that convert images, run from their deployed bundles', () => {
  // Whose bundles carry the converter's WebAssembly: the inline upload, the OCR function and emailed receipts.
  const converting = FUNCTIONS.filter((f) =>
    IMAGE_CONVERSION_FILES.every((file) => FUNCTION_ACCESS[f.name]?.bundleFiles?.includes(`node_modules/${file}`)),
  );
  let receipts: ReceiptStack;
  let api: ReturnType<typeof receiptApi>;
  const processes: BundleProcess[] = [];
  const bundles = new Map<string, BundleProcess>();
  beforeAll(async () => {
    expect(converting.map((f) => f.name).sort()).toEqual(['InboundEmailFn', 'ProcessReceiptFn', 'ReceiptFn']);
    // Each bundle directory as Lambda unzips it, somewhere with no node_modules above: only what infra shipped.
    const isolated = mkdtempSync(path.join(tmpdir(), 'lambda-bundle-'));
    processes.push({
      handler: async () => undefined,
      stderr: () => '',
      peakRssMib: () => 0,
      stop: async () => rmSync(isolated, { recursive: true, force: true }),
    });
    receipts = await givenReceiptStack('bundles', undefined, {
      handlerOf: (fn) => {
        if (!converting.includes(fn)) return undefined;
        const dir = path.join(isolated, fn.name);
        mkdirSync(dir);
        for (const file of readdirSync(bundleDirOf(fn.name)))
          copyFileSync(path.join(bundleDirOf(fn.name), file), path.join(dir, file));
        return startBundleProcess(dir).then((bundle) => {
          processes.unshift(bundle);
          bundles.set(fn.name, bundle);
          return bundle.handler;
        });
      },
    });
    api = receiptApi(receipts, await givenSignedInUser(receipts.stack, 'bundles@example.com'));
  }, 60_000);
  afterAll(async () => {
    await receipts?.stop();
    for (const bundle of processes) await bundle.stop();
  });
  const logs = () => processes.map((p) => p.stderr()).join('\n');

  it("given a WebP sent inline, when ReceiptFn's bundle converts it and ProcessReceiptFn's bundle reads it, then a JPEG of it is stored and the receipt processed", async () => {
    const webp = await givenWebpReceipt(140, 200);

    const receipt = await api.whenUploadedInline(webp, 'receipt.webp');

    expect(receipt, logs()).toMatchObject({ contentType: 'image/jpeg', originalContentType: 'image/webp' });
    expect(await meanDifference((await api.objectOf(receipt, 'jpg')).bytes, webp)).toBeLessThan(3);
    expect(await api.thenRead(receipt.id), logs()).toMatchObject({ status: 'PROCESSED', expense: { amount: 8500 } });
    expect(receipts.invocations.filter((i) => i.event?.arguments?.input?.image).map((i) => i.functionName)).toEqual([
      'ReceiptFn',
    ]);
  });

  it("given a WebP uploaded presigned, when ProcessReceiptFn's bundle reads it, then Textract is given a JPEG of it and the receipt is processed", async () => {
    const webp = await givenWebpReceipt(120, 180);
    const read = receipts.documents.length;

    const receipt = await api.whenUploadedPresigned(webp, 'image/webp');

    expect(await api.thenRead(receipt.id), logs()).toMatchObject({
      status: 'PROCESSED',
      contentType: 'image/webp',
      expense: { amount: 8500 },
    });
    const [document] = receipts.documents.slice(read);
    expect(await meanDifference(document, webp)).toBeLessThan(3);
  });

  it("given a HEIC sent inline, when ReceiptFn's bundle converts it (libheif inlined in the bundle), then a JPEG of it is stored and the receipt processed", async () => {
    const heic = givenHeicReceipt();

    const receipt = await api.whenUploadedInline(heic, 'IMG_0001.HEIC');

    expect(receipt, logs()).toMatchObject({ contentType: 'image/jpeg', originalContentType: 'image/heic' });
    expect(await meanDifference((await api.objectOf(receipt, 'jpg')).bytes, await pngOfHeic(heic))).toBeLessThan(3);
    expect(await api.thenRead(receipt.id), logs()).toMatchObject({ status: 'PROCESSED', expense: { amount: 8500 } });
  });

  it("given a HEIC uploaded presigned, when ProcessReceiptFn's bundle reads it, then Textract is given a JPEG of it and the receipt is processed", async () => {
    const heic = givenHeicReceipt();
    // Another user: the same photo is already the first one's (inline, above).
    const other = receiptApi(receipts, await givenSignedInUser(receipts.stack, 'bundles-heic@example.com'));
    const read = receipts.documents.length;

    const receipt = await other.whenUploadedPresigned(heic, 'image/heic');

    expect(await other.thenRead(receipt.id), logs()).toMatchObject({
      status: 'PROCESSED',
      contentType: 'image/heic',
      expense: { amount: 8500 },
    });
    const [document] = receipts.documents.slice(read);
    expect(await meanDifference(document, await pngOfHeic(heic))).toBeLessThan(3);
  });

  it("given a 12 MP photo sent inline as WebP, when ReceiptFn's bundle converts it, then its process peaks well inside the function's memory", async () => {
    // A phone photo's size and texture (4032 × 3024); npm run bench:receipt-memory measures HEIC too.
    const photo = await sharp({
      create: {
        width: 4032,
        height: 3024,
        channels: 3,
        background: '#968c80',
        noise: { type: 'gaussian', mean: 150, sigma: 22 },
      },
    })
      .blur(1.2)
      .webp({ quality: 80 })
      .toBuffer();
    const other = receiptApi(receipts, await givenSignedInUser(receipts.stack, 'bundles-photo@example.com'));

    const receipt = await other.whenUploadedInline(photo, 'IMG_0002.webp');

    expect(receipt, logs()).toMatchObject({ contentType: 'image/jpeg', originalContentType: 'image/webp' });
    const memoryMb = FUNCTIONS.find((f) => f.name === 'ReceiptFn')!.memoryMb;
    // Headroom for what a real Lambda adds (its runtime client) and for a photo busier than this one.
    expect(bundles.get('ReceiptFn')!.peakRssMib()).toBeLessThan(memoryMb * 0.75);
  }, 60_000);
});

/** The function's bundle as the cloud assembly keeps it before zipping: asset.<hash>/ for the S3 key <hash>.zip. */
function bundleDirOf(functionName: string): string {
  const deployed =
    resources('AWS::Lambda::Function')[synth.logicalId(synth.stack.processing.functions.get(functionName)!.fn)]
      .Properties;
  return path.join(synth.assembly.directory, `asset.${path.basename(deployed.Code.S3Key, '.zip')}`);
}
