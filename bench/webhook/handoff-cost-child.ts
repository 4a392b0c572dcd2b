/**
 * Child process of `handoffCost` (see handoff-cost.ts): the conversation path of the
 * webhook in-process — the product's `ConversationService` — once with its default
 * outbox hand-off (the queues) and once with a hand-off that does nothing. Writes its
 * result as JSON to the path given as the first argument.
 */
import { writeFileSync } from 'node:fs';
import { ConversationService, loadBuiltinQuestionnaires, loadConfig, migrate, seedQuestionnaires, startApp } from '../../src/index.js';
import { citizenInputs } from '../lib/citizen-inputs.js';
import { inject } from '../lib/product.js';
import { median } from '../lib/stats.js';

export type HandoffVariant = 'with hand-off' | 'without hand-off';
export type HandoffRound = { variant: HandoffVariant; updates: number; nodeCpuUsPerUpdate: number; redisCpuUsPerUpdate: number; updatesPerSecond: number };

const [out, citizensArg, roundsArg] = process.argv.slice(2);
const citizens = Number(citizensArg ?? 100);
const rounds = Number(roundsArg ?? 5);

const config = loadConfig();
await migrate(config.databaseUrl);
// The web role is built (not listening) only to create the unit and the invitations through the HTTP API.
const app = await startApp(config, { web: true, worker: false, listen: false });
const { db, redis } = app.ctx;
const definitions = loadBuiltinQuestionnaires();
await seedQuestionnaires(db, definitions);
const sipas2017 = definitions.find((d) => d.code === 'sipas-2017')!;
await inject(app, 'PUT', '/api/v1/units', [{ code: 'HANDOFF', name: 'Đơn vị đo', group: 'bench' }]);

// Made after the unit exists, so both load it at init.
const withHandOff = new ConversationService(app.ctx);
const withoutHandOff = new ConversationService(app.ctx, { handOff: () => Promise.resolve() });
await Promise.all([withHandOff.init(), withoutHandOff.init()]);

const redisCpuSeconds = async () => {
  const info = await redis.info('cpu');
  const field = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
};

let nextChat = 5_000_000;
let nextDossier = 0;
async function round(variant: HandoffVariant, n: number): Promise<HandoffRound> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) tokens.push((await inject<{ token: string }>(app, 'POST', '/api/v1/invitations', { unitCode: 'HANDOFF', channel: 'telegram', dossierCode: `HANDOFF-${nextDossier++}` })).token);
  const service = variant === 'with hand-off' ? withHandOff : withoutHandOff;
  let updates = 0;
  const cpu = process.cpuUsage();
  const redisBefore = await redisCpuSeconds();
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, i) => {
      const userRef = String(nextChat++);
      for (const [k, input] of citizenInputs(sipas2017, i, token).entries()) {
        await service.handle({ channel: 'telegram', userRef, eventId: `${userRef}-${k}`, input });
        updates++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const redisUsed = (await redisCpuSeconds()) - redisBefore;
  return { variant, updates, nodeCpuUsPerUpdate: Math.round((used.user + used.system) / updates), redisCpuUsPerUpdate: Math.round((redisUsed * 1e6) / updates), updatesPerSecond: Math.round(updates / (wallMs / 1000)) };
}

const variants: HandoffVariant[] = ['with hand-off', 'without hand-off'];
for (const v of variants) await round(v, 20); // warm-up: JIT, connections, caches
const results: HandoffRound[] = [];
// Interleaved, so both variants see the same host speed.
for (let r = 0; r < rounds; r++) for (const v of variants) results.push(await round(v, citizens));
const summary = Object.fromEntries(
  variants.map((v) => {
    const mine = results.filter((r) => r.variant === v);
    return [v, { nodeCpuUsPerUpdate: median(mine.map((r) => r.nodeCpuUsPerUpdate)), redisCpuUsPerUpdate: median(mine.map((r) => r.redisCpuUsPerUpdate)), updatesPerSecond: median(mine.map((r) => r.updatesPerSecond)) }];
  }),
);
writeFileSync(out!, JSON.stringify({ citizens, rounds: results, summary }));
await app.close();
process.exit(0);
