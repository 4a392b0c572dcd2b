import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: kills and stops processes of its own (web, worker, a PostgreSQL
 * and a Redis on free ports), one scenario at a time, never the machine's services.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    env: { TZ: 'UTC' },
  },
});
