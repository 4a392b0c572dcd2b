import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Domain modules stay pure: no transport, queue or platform-client imports.
const transportImports = {
  paths: [
    { name: 'grammy', message: 'domain modules must not depend on grammY; put it in src/channels/telegram or webhooks/' },
    { name: 'fastify', message: 'domain modules must not depend on fastify; put HTTP code in src/api or webhooks/' },
    { name: 'bullmq', message: 'domain modules must not depend on BullMQ; put queue code in src/queues or a worker' },
    { name: 'axios', message: 'domain modules must not call platforms; use a channel client' },
  ],
  patterns: [
    { group: ['grammy/*', 'bullmq/*', 'fastify/*', '@fastify/*'], message: 'transport code does not belong in a domain module' },
    { group: ['**/channels/zalo/*', '**/channels/telegram/*'], message: 'domain modules must not import channel clients' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'src/db/generated/', 'dist/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // TypeScript checks names; plain .mjs scripts run on Node.
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/conversation/**/*.ts', 'src/questionnaire/**/*.ts', 'src/scoring/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', transportImports] },
  },
);
