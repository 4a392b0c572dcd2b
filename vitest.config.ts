import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fault injection runs on its own (npm run test:faults): it kills processes and takes minutes.
    exclude: ['test/faults/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Whole surveys driven through webhooks and workers take a while on a loaded 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
  },
});
