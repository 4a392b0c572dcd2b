import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Whole surveys driven through webhooks and workers take a while on a loaded 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
  },
});
