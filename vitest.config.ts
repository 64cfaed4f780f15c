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
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', INDEX_SETTLE_MS: '0' },
  },
});
