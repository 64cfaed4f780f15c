import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores in CI: integration tests start servers, so keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
