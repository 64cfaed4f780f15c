import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores in CI: integration tests start servers, so keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
    // As local/sdk-warnings.ts does for npm start: the pinned SDK's note about its 2027 releases is noise here.
    // dynalite's indexes are updated with the table, as under npm start: budgets need no second look.
    // The OCR engine process at the tests' own priority: its niceness (10 under npm start) keeps
    // queries quick beside a running API (bench:api-ocr measures it), but here it would only let
    // the other test files' work starve the receipts the tests wait for.
    // Rates: no ECB feed (tests never reach the network) and no import of the shipped history at
    // each stack's start (330 months written per stack); tests that convert bring their own rates.
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ECB_FEED_URL: '',
      RATES_SNAPSHOT_FILE: 'none',
      INDEX_SETTLE_MS: '0',
      OCR_ENGINE_NICENESS: '0',
    },
    // The functions' JSON log lines only when LOG_FORMAT asks for them.
    setupFiles: ['test/support/quiet-function-logs.ts'],
    // .ci/run's watchdog reads each file's start and end (test/support/progress-reporter.ts).
    reporters: process.env.VITEST_PROGRESS_LOG ? ['default', './test/support/progress-reporter.ts'] : ['default'],
  },
});
