import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page, type PageScreenshotOptions } from 'playwright-core';

/**
 * Headless Chromium for tests, with nothing downloaded: the build that ships inside the npm
 * package @sparticuz/chromium (Linux x64, brotli-compressed), unpacked once per version into
 * the temp dir with the NSS libraries it ships beside it, so it runs on a machine that has
 * only Node and npm. Where that build cannot run (another OS or CPU), a system Chromium:
 * CHROMIUM_PATH, else /usr/bin/chromium. Text renders in the DejaVu fonts of the npm package
 * the email charts use, so screenshots do not depend on the machine's fonts.
 */
const require = createRequire(import.meta.url);

/** Switches that keep a test browser quiet and offline: no sandbox (root in CI), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Unpacked {
  executable: string;
  libraries: string;
}

/** The packaged build unpacked under the temp dir (shared by runs; made once, atomically, by whichever run gets there first). */
async function unpackPackagedChromium(): Promise<Unpacked> {
  // The package exports only its entry (build/cjs/index.cjs); its bin/ folder sits beside build/.
  let packageDir = path.dirname(require.resolve('@sparticuz/chromium'));
  while (!existsSync(path.join(packageDir, 'bin', 'chromium.br'))) {
    if (path.dirname(packageDir) === packageDir) throw new Error('@sparticuz/chromium has no bin/chromium.br');
    packageDir = path.dirname(packageDir);
  }
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(os.tmpdir(), `expense-tracker-chromium-${version}`);
  const unpacked = { executable: path.join(target, 'chromium'), libraries: path.join(target, 'al2023', 'lib') };
  if (existsSync(unpacked.executable) && existsSync(unpacked.libraries)) return unpacked;

  // The package's inflate() writes into os.tmpdir(): point that at a private staging folder, then move it in place whole.
  const staging = await mkdtemp(`${target}-staging-`);
  // Its inflate() (brotli, tar) is not exported by this version (147, the last for Node 20): its module, by path.
  const { inflate } = (await import(pathToFileURL(path.join(packageDir, 'build/esm/lambdafs.js')).href)) as {
    inflate(file: string): Promise<string>;
  };
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    await inflate(path.join(packageDir, 'bin', 'chromium.br'));
    await inflate(path.join(packageDir, 'bin', 'al2023.tar.br'));
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  try {
    await rename(staging, target);
  } catch {
    // Another run unpacked it meanwhile: use theirs.
    await rm(staging, { recursive: true, force: true });
  }
  return unpacked;
}

/** A fontconfig file that knows only the DejaVu fonts of the dejavu-fonts-ttf package. */
async function fontConfigFile(): Promise<string> {
  const fonts = path.dirname(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const dir = path.join(os.tmpdir(), 'expense-tracker-chromium-fonts');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'fonts.conf');
  // Without the system's conf.d, generic names need aliases, or fontconfig picks the first face it finds (a serif).
  const aliases = ['sans-serif', 'Helvetica', 'Arial', 'system-ui']
    .map((family) => `<alias><family>${family}</family><prefer><family>DejaVu Sans</family></prefer></alias>`)
    .join('');
  await writeFile(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${fonts}</dir><cachedir>${path.join(dir, 'cache')}</cachedir>${aliases}<alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias></fontconfig>\n`,
  );
  return file;
}

export interface LaunchedChromium {
  browser: Browser;
  /** Which build runs: 'packaged' (@sparticuz/chromium) or the system path used. */
  source: string;
}

export async function launchHeadlessChromium(): Promise<LaunchedChromium> {
  const env = { ...process.env, FONTCONFIG_FILE: await fontConfigFile() } as Record<string, string>;
  const failures: string[] = [];
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      const { executable, libraries } = await unpackPackagedChromium();
      const browser = await chromium.launch({
        executablePath: executable,
        args: CHROMIUM_ARGS,
        env: { ...env, LD_LIBRARY_PATH: [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
      });
      return { browser, source: 'packaged' };
    } catch (error) {
      failures.push(`packaged: ${(error as Error).message.split('\n')[0]}`);
    }
  } else {
    failures.push(`packaged: built for linux/x64, this is ${process.platform}/${process.arch}`);
  }
  for (const executable of [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(
    (p): p is string => !!p && existsSync(p),
  )) {
    try {
      return {
        browser: await chromium.launch({ executablePath: executable, args: CHROMIUM_ARGS, env }),
        source: executable,
      };
    } catch (error) {
      failures.push(`${executable}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`No headless Chromium could start (${failures.join('; ')}). Set CHROMIUM_PATH to a Chromium binary.`);
}

/**
 * `page.screenshot`, tried again once when Chromium refuses the capture with CDP's transient
 * "Unable to capture screenshot" (seen on a loaded machine, the page fully laid out: the
 * compositor had no frame ready). Any other failure, or a second refusal, is the test's.
 */
export async function screenshotOf(page: Page, options: PageScreenshotOptions): Promise<Buffer> {
  try {
    return await page.screenshot(options);
  } catch (error) {
    if (!/Unable to capture screenshot/.test((error as Error).message)) throw error;
    await page.waitForTimeout(250);
    return page.screenshot(options);
  }
}
