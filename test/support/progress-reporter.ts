import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Appends a line per test file as it starts and ends (`START <file>`, `END <passed|failed|skipped> <file>`) to the
 * file VITEST_PROGRESS_LOG names. .ci/run watches it: a run that makes no progress for minutes is stopped, and the
 * log says which files never ended and whether every file that ended passed.
 */
export default class ProgressReporter implements Reporter {
  private readonly file = process.env.VITEST_PROGRESS_LOG ?? '';

  onTestModuleStart(module: TestModule): void {
    this.write(`START ${module.relativeModuleId}`);
  }

  onTestModuleEnd(module: TestModule): void {
    this.write(`END ${module.ok() ? 'passed' : module.state()} ${module.relativeModuleId}`);
  }

  private write(line: string): void {
    if (this.file) appendFileSync(this.file, `${new Date().toISOString()} ${line}\n`);
  }
}
