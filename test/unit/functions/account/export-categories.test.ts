import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { exportAccount } from '../../../../functions/account/export.ts';
import type { Item } from '../../../../functions/account/ports.ts';
import { categoryAttributeOf, nameClaimAttributeOf, type CategoryEntry } from '../../../../model/categories.ts';
import type { TableDefinition } from '../../../../model/tables.ts';

/** The account archive's categories.json, from in-memory tables behind the export's ports. */
async function filesOf(zip: Buffer): Promise<Map<string, string>> {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, z) => (error ? reject(error) : resolve(z))),
  );
  const files = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    file.on('entry', (entry: yauzl.Entry) =>
      file.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          file.readEntry();
        });
      }),
    );
    file.on('end', resolve);
    file.on('error', reject);
    file.readEntry();
  });
  return files;
}

const at = '2026-01-01T00:00:00.000Z';
const entry = (id: string, name: string, status: CategoryEntry['status'], mergedInto: string | null = null) =>
  ({
    id,
    name,
    colour: '#112233',
    icon: null,
    parent: 'DINING',
    status,
    mergedInto,
    version: 1,
    createdAt: at,
    updatedAt: at,
  }) satisfies CategoryEntry;

describe('account export: custom categories', () => {
  it('given live, merged and deleted categories, when the account is exported, then categories.json holds each with its status and no bookkeeping', async () => {
    const coffee = entry('C1', 'Coffee', 'ACTIVE');
    const tea = entry('C2', 'Tea', 'MERGED', 'C1');
    const kids = entry('C3', 'Kids', 'DELETED');
    const tables: Record<string, Item[]> = {
      Users: [{ user_id: 'ada', email: 'ada@example.com' }],
      Merchants: [
        {
          user_id: 'ada',
          merchant_key: 'espresso bar',
          merchant: 'Espresso Bar',
          category: 'DINING',
          customCategoryId: 'C1',
          updatedAt: at,
        },
        { user_id: 'ada', merchant_key: 'bookshop', merchant: 'Bookshop', category: 'EDUCATION', updatedAt: at },
      ],
      Categories: [
        {
          user_id: 'ada',
          live: 1,
          total: 3,
          [categoryAttributeOf('C1')]: coffee,
          [categoryAttributeOf('C2')]: tea,
          [categoryAttributeOf('C3')]: kids,
          [nameClaimAttributeOf('Coffee')]: 'C1',
        },
      ],
    };
    let archive = Buffer.alloc(0);
    await exportAccount(
      {
        items: {
          async *pages(table: TableDefinition) {
            yield tables[table.logicalName] ?? [];
          },
          deleteItems: async () => 0,
        },
        objects: {
          async *objects() {},
          async *versions() {},
          deleteVersions: async () => 0,
          read: async () => null,
          upload: async (_key: string, body: Readable) => {
            const chunks: Buffer[] = [];
            for await (const chunk of body) chunks.push(chunk as Buffer);
            archive = Buffer.concat(chunks);
          },
          size: async () => archive.length,
          presignGet: async () => 'https://example.com/archive.zip',
        },
        mailer: { send: async () => {} },
        now: () => new Date(at),
        log: { info: () => {}, warn: () => {} },
      },
      'ada',
      'job-1',
    );
    const files = await filesOf(archive);
    expect(JSON.parse(files.get('categories.json')!)).toEqual([coffee, tea, kids]);
    expect(files.get('README.txt')).toContain('categories.json');
    // What each merchant learned, with the custom category it was filed under.
    expect(files.get('learned-categories.csv')!.split(/\r?\n/).slice(0, 3)).toEqual([
      'merchant,category,custom_category_id,updated_at',
      `Espresso Bar,DINING,C1,${at}`,
      `Bookshop,EDUCATION,,${at}`,
    ]);
  });
});
