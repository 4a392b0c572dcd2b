import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of `src/`, lowest first (the README's "Layout" table says what lives in each).
 * A module may import from its own layer and the layers below it, never from a layer
 * above: the rule below is generated from this list. `webhooks/` sits with `api`.
 */
export const LAYERS = [
  ['core'],
  ['config', 'observability', 'db'],
  ['questionnaire'],
  ['engine', 'scoring'],
  ['queues'],
  ['audit', 'auth', 'users', 'units', 'rounds', 'export', 'procedures'],
  ['outbound', 'responses'],
  ['invitations', 'sampling'],
  ['conversations'],
  ['channels'],
  ['api', 'webhooks', 'console'],
  ['runtime'],
  ['cli'],
];

/** Pure domain modules: no transport, queue or platform-client imports. */
const PURE = new Set(['engine', 'questionnaire', 'scoring']);
const CHANNELS = ['telegram', 'zalo', 'simulator'];

const transport = [
  { group: ['grammy', 'grammy/*'], message: 'domain modules must not depend on grammY; put it in src/channels/telegram' },
  { group: ['fastify', 'fastify/*', '@fastify/*'], message: 'domain modules must not depend on fastify; put HTTP code in src/api or webhooks/' },
  { group: ['bullmq', 'bullmq/*'], message: 'domain modules must not depend on BullMQ; put queue code in src/queues or a worker' },
  { group: ['axios'], message: 'domain modules must not call platforms; use a channel client' },
];

const higherThan = (layer) => LAYERS.slice(layer + 1).flat();
const upward = (layer) => ({
  group: higherThan(layer).flatMap((f) => [`**/${f}/**`, `**/${f}`, ...(f === 'webhooks' ? ['**/webhooks/*'] : [])]),
  message: `imports must point down the layer order (${LAYERS.map((l) => l.join('|')).join(' < ')}); see the README's "Layout"`,
});
const engineInternals = { group: ['**/engine/*', '!**/engine/index.js'], message: 'the conversation engine is imported through src/engine/index.js only' };
const otherChannels = (own) => ({
  group: CHANNELS.filter((c) => c !== own).flatMap((c) => [`../${c}/*`, `**/channels/${c}/*`]),
  message: 'a channel slice does not import another channel: share through outbound/, conversations/ or invitations/',
});

function layerRule(folder, layer, extra = []) {
  const patterns = [...(layer < LAYERS.length - 1 ? [upward(layer)] : []), ...(folder === 'engine' ? [] : [engineInternals]), ...(PURE.has(folder) ? transport : []), ...extra];
  return { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] };
}

const layerBlocks = LAYERS.flatMap((folders, layer) =>
  folders.flatMap((folder) => {
    const base = folder === 'webhooks' ? 'webhooks' : `src/${folder}`;
    if (folder !== 'channels') return [{ files: [`${base}/**/*.ts`, `${base}/**/*.tsx`], rules: layerRule(folder, layer) }];
    return CHANNELS.map((c) => ({ files: [`src/channels/${c}/**/*.ts`], rules: layerRule(folder, layer, [otherChannels(c)]) }));
  }),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'src/db/generated/', 'dist/', 'coverage/', 'bench/results/', 'bench/node_modules/', 'test/lint-fixtures/'] },
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
  ...layerBlocks,
  {
    // Benchmarks are a package of their own: they reach the product through its public entry point only.
    files: ['bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/**', '!**/src/index.js'], message: 'benchmarks reach the product through src/index.js (its public entry points) only' }] },
      ],
    },
  },
  {
    // The context type names the shared engines it carries; type-only, so no runtime arrow points up.
    files: ['src/core/app-context.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ ...upward(0), allowTypeImports: true }] }] },
  },
);
