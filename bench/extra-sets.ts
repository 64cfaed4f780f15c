/**
 * `npm run bench:extra-sets`: writes the receipt sets `npm run bench:ocr` reads beside SROIE into
 * OCR_BENCH_DATA (default `../data` beside the project), from local clones of their public
 * sources, so a lost data folder is rebuilt exactly as it was.
 *
 * - `sroie-more`, `sroie-fresh`: the receipts of zzzDavid/ICDAR-2019-SROIE (MIT) whose number is
 *   1, resp. 2, modulo 3 (the SROIE set bench:ocr reads has only multiples of 3), with the key's
 *   truth, `currency: MYR`, and the date written day first where the key holds it compact or
 *   month first (the same day: score_sroie.py reads truth dates day first).
 * - `softmatic-de`: softmatic/vision-data's German receipts (CC-BY-4.0), the truth taken from
 *   the file names (`$BRAND_$DDMMYYYY_$ITEMS_$CENTS`; a `tanke` or `apotheke` names no brand),
 *   with Amazon Textract's Blocks for each receipt beside it.
 * - Every folder of bench/receipt-labels: receipts labelled by hand in this repository (the
 *   labels are ours; the images are not copied in), each naming the repository, commit, path
 *   and SHA-256 of its image, which is copied from the clone as it is (a scan lying on its side
 *   stays so: the local engine turns pages itself).
 *
 * Each set is split by sorted stem: even positions tuned, odd held out. The truth files are
 * written as Python's json.dump writes them, so the sets first built by a Python script are
 * reproduced byte for byte.
 *
 * Clones: a bare git directory or a working tree (a labelled image kept in Git LFS is found in
 * the working tree, or in an older commit that still holds it). `--clone owner/name=DIR` names
 * one; otherwise each is looked for under `--clones DIR` (or BENCH_CLONES) as `owner+name/repo`
 * (the layout of a mirror), `owner+name` or `name`. A set whose clone is missing is skipped.
 *
 * Usage: `npm run bench:extra-sets -- [--out DIR] [--clones DIR] [--clone owner/name=DIR ...]
 * [--sets sroie-more,receipt-parser-de]`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../local/stack.ts';
import { EXTRA_SETS_DIR } from './receipt-sets.ts';

export const LABELS_DIR = path.join(PROJECT_ROOT, 'bench/receipt-labels');

// ---------- clones ----------

/** A local copy of a source repository, read at a commit (git) or as files (a plain folder). */
export class Clone {
  readonly isGit: boolean;
  constructor(readonly dir: string) {
    try {
      // A folder inside some other repository's working tree is read as plain files.
      const [bare, prefix = ''] = this.git('rev-parse', '--is-bare-repository', '--show-prefix').toString().split('\n');
      this.isGit = bare === 'true' || prefix === '';
    } catch {
      this.isGit = false;
    }
  }

  private git(...args: string[]): Buffer {
    return execFileSync('git', ['-C', this.dir, ...args], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  }

  /** The commit HEAD points at, or null for a plain folder. */
  head(): string | null {
    return this.isGit ? this.git('rev-parse', 'HEAD').toString().trim() : null;
  }

  /** Paths of the files under `folder` (recursively), in git's order. */
  files(folder: string): string[] {
    if (this.isGit)
      return this.git('ls-tree', '-r', '-z', '--name-only', 'HEAD', '--', folder)
        .toString()
        .split('\0')
        .filter(Boolean);
    const walk = (rel: string): string[] =>
      readdirSync(path.join(this.dir, rel))
        .sort()
        .flatMap((name) => {
          const file = path.posix.join(rel, name);
          return statSync(path.join(this.dir, file)).isDirectory() ? walk(file) : [file];
        });
    return existsSync(path.join(this.dir, folder)) ? walk(folder) : [];
  }

  /** The file at `commit` (HEAD by default), or null where the clone lacks it. */
  read(file: string, commit = 'HEAD'): Buffer | null {
    if (this.isGit) {
      try {
        return this.git('show', `${commit}:${file}`);
      } catch {
        return null;
      }
    }
    const onDisk = path.join(this.dir, file);
    return existsSync(onDisk) ? readFileSync(onDisk) : null;
  }

  /** The file at HEAD, which the set cannot do without. */
  readRequired(file: string): Buffer {
    const data = this.read(file);
    if (!data) throw new Error(`${file} is missing from ${this.dir}`);
    return data;
  }

  /** The working tree's copy, where a non-bare clone has one (Git LFS files are real there). */
  readWorkingTree(file: string): Buffer | null {
    const onDisk = path.join(this.dir, file);
    return existsSync(onDisk) && statSync(onDisk).isFile() ? readFileSync(onDisk) : null;
  }
}

export function findClone(repo: string, named: Map<string, string>, root: string | undefined): Clone | null {
  const given = named.get(repo);
  if (given) return new Clone(path.resolve(given));
  if (!root) return null;
  const [owner, name] = repo.split('/');
  const dir = [`${owner}+${name}/repo`, `${owner}+${name}`, name]
    .map((d) => path.resolve(root, d))
    .find((d) => existsSync(d));
  return dir ? new Clone(dir) : null;
}

// ---------- writing ----------

/** JSON as Python's json.dumps writes it by default (", " and ": ", non-ASCII escaped). */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  return JSON.stringify(value ?? null);
}

/** Even positions of the sorted stems are tuned on, odd ones held out. */
export function splitOf(stems: string[]): { tuned: string[]; 'held-out': string[] } {
  const sorted = [...stems].sort();
  return { tuned: sorted.filter((_, i) => i % 2 === 0), 'held-out': sorted.filter((_, i) => i % 2 === 1) };
}

interface SetFiles {
  readme: string;
  files: Map<string, Buffer | string>;
  stems: string[];
}

function writeSet(out: string, name: string, set: SetFiles) {
  const dir = path.join(out, name);
  // A fresh folder each run: the split names exactly the receipts written now.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of set.files) writeFileSync(path.join(dir, file), content);
  writeFileSync(path.join(dir, 'split.json'), pythonJson(splitOf(set.stems)));
  writeFileSync(path.join(dir, 'README.md'), set.readme);
  console.log(`${name}: ${set.stems.length} receipts in ${dir}`);
}

// ---------- SROIE ----------

/**
 * A SROIE key's date written day first, as score_sroie.py reads truth dates: some keys hold it
 * compact (20180304, 25032018) or month first (12/28/2017). The day stays the same.
 */
export function dayFirst(date: string | null | undefined): string | null | undefined {
  if (!date) return date;
  const compact = /^\s*(\d{8})\s*$/.exec(date);
  if (compact) {
    const x = compact[1];
    const n = (from: number, to: number) => Number(x.slice(from, to));
    if (['19', '20'].includes(x.slice(0, 2)) && n(4, 6) >= 1 && n(4, 6) <= 12 && n(6, 8) >= 1 && n(6, 8) <= 31)
      return `${x.slice(6)}/${x.slice(4, 6)}/${x.slice(0, 4)}`;
    if (n(2, 4) >= 1 && n(2, 4) <= 12 && n(0, 2) >= 1 && n(0, 2) <= 31)
      return `${x.slice(0, 2)}/${x.slice(2, 4)}/${x.slice(4)}`;
  }
  const monthFirst = /^\s*(\d{1,2})([-/.])(\d{1,2})\2(\d{2,4})\s*$/.exec(date);
  if (monthFirst && Number(monthFirst[3]) > 12 && Number(monthFirst[1]) <= 12)
    return `${monthFirst[3]}/${monthFirst[1]}/${monthFirst[4]}`;
  return date;
}

const SROIE_REPO = 'zzzDavid/ICDAR-2019-SROIE';

function sroieSet(clone: Clone, remainder: 1 | 2, name: string): SetFiles {
  const stems = clone
    .files('data/img')
    .filter((f) => path.posix.dirname(f) === 'data/img' && f.endsWith('.jpg'))
    .map((f) => path.posix.basename(f, '.jpg'))
    .filter((stem) => Number(stem) % 3 === remainder)
    .sort();
  const files = new Map<string, Buffer | string>();
  for (const stem of stems) {
    files.set(`${stem}.jpg`, clone.readRequired(`data/img/${stem}.jpg`));
    const truth = JSON.parse(clone.readRequired(`data/key/${stem}.json`).toString()) as Record<string, unknown>;
    truth.currency = 'MYR';
    truth.date = dayFirst(truth.date as string | null | undefined) ?? null;
    files.set(`${stem}.json`, pythonJson(truth));
  }
  const readme = `# ${name}: ${stems.length} Malaysian receipts of ${SROIE_REPO} (MIT), numbers ${remainder} modulo 3

Source: https://github.com/${SROIE_REPO} \`data/img/NNN.jpg\` and \`data/key/NNN.json\` (ICDAR 2019 SROIE
task 3), commit ${clone.head() ?? 'unknown'}. Licence: MIT (the repository's); SROIE itself is published
for research.

Made by \`npm run bench:extra-sets\` (bench/extra-sets.ts): every receipt whose number is ${remainder} modulo 3
(the SROIE set bench:ocr reads from ../shared holds only multiples of 3), the key's truth with
\`currency: MYR\`, and a date the key holds compact (20180304) or month first (12/28/2017) written
day first, the same day. Split by sorted stem: even positions tuned, odd held out.
`;
  return { readme, files, stems };
}

// ---------- softmatic ----------

const SOFTMATIC_REPO = 'softmatic/vision-data';
/** File names that name a kind of shop, not a brand. */
const NO_BRAND = new Set(['tanke', 'apotheke']);

/** The truth a softmatic file name holds: `$BRAND_$DDMMYYYY_$ITEMS_$CENTS[_B]`. */
export function softmaticTruth(stem: string) {
  const [brand, dmy, ...rest] = stem.split('_');
  const cents = Number(rest.filter((p) => /^\d+$/.test(p)).at(-1));
  return {
    brand: NO_BRAND.has(brand) ? null : brand,
    date: `${dmy.slice(4)}-${dmy.slice(2, 4)}-${dmy.slice(0, 2)}`,
    total: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
    currency: 'EUR',
  };
}

function softmaticSet(clone: Clone, name: string): SetFiles {
  const images = clone.files('2D/Receipts').filter((f) => f.endsWith('.jpg'));
  const pathOf = new Map(images.map((f) => [path.posix.basename(f, '.jpg'), f]));
  const stems = [...pathOf.keys()].sort();
  const files = new Map<string, Buffer | string>();
  for (const stem of stems) {
    const image = pathOf.get(stem)!;
    files.set(`${stem}.jpg`, clone.readRequired(image));
    files.set(`${stem}.textract-blocks.json`, clone.readRequired(`${image.slice(0, -4)}_blocks.json`));
    files.set(`${stem}.json`, pythonJson(softmaticTruth(stem)));
  }
  const readme = `# ${name}: ${stems.length} German receipts of ${SOFTMATIC_REPO} (CC-BY-4.0), truth from their file names

Source: https://github.com/${SOFTMATIC_REPO} \`2D/Receipts\` (300 dpi flatbed scans by softmatic, with
Amazon Textract's Blocks for each), commit ${clone.head() ?? 'unknown'}. Licence: CC-BY-4.0.

Made by \`npm run bench:extra-sets\` (bench/extra-sets.ts): the truth is the file name's
\`$BRAND_$DDMMYYYY_$ITEMS_$CENTS\` (brand, date, total in cents; \`tanke\` and \`apotheke\` name no brand),
currency EUR; \`<stem>.textract-blocks.json\` is the source's \`<stem>_blocks.json\`. The merchant is
scored as "the name read contains the brand". Split by sorted stem: even positions tuned, odd held out.
`;
  return { readme, files, stems };
}

// ---------- hand-labelled sets ----------

export interface LabelSource {
  repo: string;
  commit: string;
  path: string;
  sha256: string;
}

export interface Label {
  company: string | null;
  date: string | null;
  total: string | null;
  currency: string | null;
  source: LabelSource;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The labelled image from the clone: at the commit labelled, at HEAD, or in the working tree. */
function labelledImage(clone: Clone, source: LabelSource): Buffer | null {
  const candidates = [
    () => clone.read(source.path, source.commit),
    () => clone.read(source.path),
    () => clone.readWorkingTree(source.path),
  ];
  for (const candidate of candidates) {
    const data = candidate();
    if (data && sha256(data) === source.sha256) return data;
  }
  return null;
}

function labelledSet(
  name: string,
  cloneOf: (repo: string) => Clone | null,
): { set: SetFiles | null; missing: string[] } {
  const dir = path.join(LABELS_DIR, name);
  const files = new Map<string, Buffer | string>();
  const stems: string[] = [];
  const missing: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const stem = file.slice(0, -'.json'.length);
    const { source, ...truth } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Label;
    const clone = cloneOf(source.repo);
    const image = clone && labelledImage(clone, source);
    if (!image) {
      missing.push(`${stem} (${source.repo} ${source.path})`);
      continue;
    }
    files.set(`${stem}${path.extname(source.path).toLowerCase()}`, image);
    files.set(`${stem}.json`, pythonJson(truth));
    stems.push(stem);
  }
  const readme = `${readFileSync(path.join(dir, 'README.md'), 'utf8').trimEnd()}

Written by \`npm run bench:extra-sets\` (bench/extra-sets.ts) from bench/receipt-labels/${name}: each
image copied from its clone (checked against the SHA-256 its label names), the label without its
\`source\`. Split by sorted stem: even
positions tuned, odd held out.
`;
  return { set: stems.length ? { readme, files, stems } : null, missing };
}

// ---------- main ----------

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: EXTRA_SETS_DIR },
      clones: { type: 'string', default: process.env.BENCH_CLONES },
      clone: { type: 'string', multiple: true, default: [] },
      sets: { type: 'string' },
    },
  });
  const out = path.resolve(values.out);
  const named = new Map(
    values.clone.map((c) => {
      const at = c.indexOf('=');
      if (at < 0) throw new Error(`--clone ${c}: expected owner/name=DIR`);
      return [c.slice(0, at), c.slice(at + 1)] as const;
    }),
  );
  const cloneOf = (repo: string) => findClone(repo, named, values.clones);
  const wanted = (name: string) => !values.sets || values.sets.split(',').includes(name);
  const skipped = (name: string, repo: string) =>
    console.log(`${name}: skipped (no clone of ${repo}; --clone ${repo}=DIR or --clones DIR)`);

  const sroie = cloneOf(SROIE_REPO);
  for (const [name, remainder] of [
    ['sroie-more', 1],
    ['sroie-fresh', 2],
  ] as const)
    if (wanted(name)) {
      if (sroie) writeSet(out, name, sroieSet(sroie, remainder, name));
      else skipped(name, SROIE_REPO);
    }
  if (wanted('softmatic-de')) {
    const softmatic = cloneOf(SOFTMATIC_REPO);
    if (softmatic) writeSet(out, 'softmatic-de', softmaticSet(softmatic, 'softmatic-de'));
    else skipped('softmatic-de', SOFTMATIC_REPO);
  }
  const labelled = existsSync(LABELS_DIR) ? readdirSync(LABELS_DIR).sort() : [];
  for (const name of labelled.filter((n) => statSync(path.join(LABELS_DIR, n)).isDirectory() && wanted(n))) {
    const { set, missing } = labelledSet(name, cloneOf);
    if (set) writeSet(out, name, set);
    if (missing.length) console.log(`${name}: ${set ? 'without' : 'skipped, no image of'} ${missing.join(', ')}`);
  }
}
