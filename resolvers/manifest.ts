import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import { FUNCTIONS } from '../model/functions.ts';
import { TABLES } from '../model/tables.ts';

/**
 * Which resolver runs for which field, derived from file names so there is one source of
 * truth for infra/ (CDK) and local/ (the executor):
 *
 * - `Type.field.DataSource.ts`: a unit resolver on `DataSource`.
 * - `Type.field/`: a pipeline resolver; `N.stepName.DataSource.ts` are its functions in N order and an
 *   optional `index.ts` holds its request/response handlers (a pass-through otherwise).
 *
 * Data sources are the tables of model/tables.ts (by logical name), the functions of
 * model/functions.ts marked `dataSource`, and NONE. A file naming a field missing from
 * schema.graphql, or an unknown data source, fails here: at synth and at `npm start` alike.
 */
export interface PipelineFunctionBinding {
  /** Unique name, e.g. `Mutation_updateExpense_2_updateExpense` (AppSync function names are [A-Za-z0-9_]). */
  name: string;
  dataSource: string;
  /** Absolute path of the function's source. */
  file: string;
}

export interface ResolverBinding {
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  /** UNIT only. */
  dataSource?: string;
  /** PIPELINE only, in execution order. */
  functions?: PipelineFunctionBinding[];
  /** Absolute path of the resolver's source; null for a pipeline without index.ts. */
  file: string | null;
}

export type DataSourceKind = 'AMAZON_DYNAMODB' | 'AWS_LAMBDA' | 'NONE';

/** Every data source a resolver may name, with its kind. */
export function dataSourceKinds(): Map<string, DataSourceKind> {
  const kinds = new Map<string, DataSourceKind>([['NONE', 'NONE']]);
  for (const table of TABLES) kinds.set(table.logicalName, 'AMAZON_DYNAMODB');
  for (const fn of FUNCTIONS) if (fn.dataSource) kinds.set(fn.name, 'AWS_LAMBDA');
  return kinds;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const UNIT_FILE = new RegExp(`^(${NAME})\\.(${NAME})\\.(${NAME})\\.ts$`);
const PIPELINE_DIR = new RegExp(`^(${NAME})\\.(${NAME})$`);
const PIPELINE_FUNCTION_FILE = new RegExp(`^(\\d+)\\.(${NAME})\\.(${NAME})\\.ts$`);

export function loadSchemaForManifest(projectRoot: string): GraphQLSchema {
  const sdl = ['appsync.graphql', 'schema.graphql']
    .map((f) => readFileSync(path.join(projectRoot, f), 'utf8'))
    .join('\n');
  return buildSchema(sdl);
}

export function resolverBindings(
  projectRoot: string,
  schema: GraphQLSchema = loadSchemaForManifest(projectRoot),
): ResolverBinding[] {
  const dir = path.join(projectRoot, 'resolvers');
  const kinds = dataSourceKinds();
  const bindings: ResolverBinding[] = [];

  const checkField = (typeName: string, fieldName: string, where: string) => {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type) || !type.getFields()[fieldName]) {
      throw new ManifestError(`${where}: ${typeName}.${fieldName} is not a field of schema.graphql`);
    }
  };
  const checkDataSource = (dataSource: string, where: string) => {
    if (!kinds.has(dataSource)) {
      throw new ManifestError(`${where}: unknown data source ${dataSource} (known: ${[...kinds.keys()].join(', ')})`);
    }
  };

  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (
      entry === 'lib' ||
      entry === 'manifest.ts' ||
      entry === 'bundle.ts' ||
      entry.endsWith('.test.ts') ||
      entry.endsWith('.d.ts')
    )
      continue;
    const isDirectory = statSync(full).isDirectory();
    if (!isDirectory && !entry.endsWith('.ts')) continue; // tsconfig.json and the like
    if (isDirectory) {
      const match = PIPELINE_DIR.exec(entry);
      if (!match) throw new ManifestError(`resolvers/${entry}: a pipeline folder is named Type.field`);
      const [, typeName, fieldName] = match;
      checkField(typeName, fieldName, `resolvers/${entry}`);
      const functions: Array<PipelineFunctionBinding & { order: number }> = [];
      let indexFile: string | null = null;
      for (const file of readdirSync(full).sort()) {
        if (file === 'index.ts') {
          indexFile = path.join(full, file);
          continue;
        }
        const fn = PIPELINE_FUNCTION_FILE.exec(file);
        if (!fn)
          throw new ManifestError(`resolvers/${entry}/${file}: pipeline functions are named N.stepName.DataSource.ts`);
        const [, order, step, dataSource] = fn;
        checkDataSource(dataSource, `resolvers/${entry}/${file}`);
        functions.push({
          order: Number(order),
          name: `${typeName}_${fieldName}_${order}_${step}`,
          dataSource,
          file: path.join(full, file),
        });
      }
      functions.sort((a, b) => a.order - b.order);
      if (new Set(functions.map((f) => f.order)).size !== functions.length)
        throw new ManifestError(`resolvers/${entry}: two functions share a number`);
      if (functions.length === 0) throw new ManifestError(`resolvers/${entry}: a pipeline needs at least one function`);
      bindings.push({
        typeName,
        fieldName,
        kind: 'PIPELINE',
        functions: functions.map(({ order: _order, ...f }) => f),
        file: indexFile,
      });
      continue;
    }
    const match = UNIT_FILE.exec(entry);
    if (!match) throw new ManifestError(`resolvers/${entry}: a resolver file is named Type.field.DataSource.ts`);
    const [, typeName, fieldName, dataSource] = match;
    checkField(typeName, fieldName, `resolvers/${entry}`);
    checkDataSource(dataSource, `resolvers/${entry}`);
    bindings.push({ typeName, fieldName, kind: 'UNIT', dataSource, file: full });
  }

  const seen = new Set<string>();
  for (const b of bindings) {
    const key = `${b.typeName}.${b.fieldName}`;
    if (seen.has(key)) throw new ManifestError(`${key} has two resolvers`);
    seen.add(key);
  }
  return bindings;
}
