/**
 * Child process of `handoffCost` (see handoff-cost.ts): the conversation path of the
 * webhook in-process, with and without the outbox hand-off. Writes its result as JSON to
 * the path given as the first argument.
 */
import { decodeCallbackData } from '../../src/engine/index.js';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load-config.js';
import type { ChannelInput } from '../../src/conversations/channel-input.js';
import { ConversationService } from '../../src/conversations/conversation-service.js';
import { migrate } from '../../src/db/migrate.js';
import { generateInvitationToken, generateShortCode } from '../../src/invitations/invitation-codes.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { seedQuestionnaires } from '../../src/questionnaire/questionnaire-catalog.js';
import { startApp } from '../../src/runtime/start-app.js';
import { median } from '../lib/stats.js';
import { citizenPlan } from '../lib/survey-plan.js';

export type HandoffVariant = 'with hand-off' | 'without hand-off';
export type HandoffRound = { variant: HandoffVariant; updates: number; nodeCpuUsPerUpdate: number; redisCpuUsPerUpdate: number; updatesPerSecond: number };

const [out, citizensArg, roundsArg] = process.argv.slice(2);
const citizens = Number(citizensArg ?? 100);
const rounds = Number(roundsArg ?? 5);

const config = loadConfig();
await migrate(config.databaseUrl);
const app = await startApp(config, { web: false, worker: false, listen: false, logger: createLogger('warn') });
const { db, redis } = app.ctx;
await seedQuestionnaires(db, loadBuiltinQuestionnaires());
const conversations = app.services.conversations;
const unit = await db.unit.upsert({ where: { code: 'HANDOFF' }, create: { code: 'HANDOFF', name: 'Đơn vị đo', group: 'bench' }, update: {} });
await conversations.units.refresh();
const questionnaire = (await conversations.catalog.latest('sipas-2017'))!;

const redisCpuSeconds = async () => {
  const info = await redis.info('cpu');
  const field = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
};

// The product's own conversation service with the hand-off switched off.
class WithoutHandOff extends ConversationService {
  protected override handOff(): Promise<void> {
    return Promise.resolve();
  }
}
const withoutHandOff = new WithoutHandOff(app.ctx);
await withoutHandOff.init();

let nextChat = 5_000_000;
async function round(variant: HandoffVariant, n: number): Promise<HandoffRound> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const token = generateInvitationToken();
    await db.invitation.create({ data: { token, code: generateShortCode(), channel: 'telegram', unitId: unit.id, questionnaireId: questionnaire.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    tokens.push(token);
  }
  let updates = 0;
  const cpu = process.cpuUsage();
  const redisBefore = await redisCpuSeconds();
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, i) => {
      const userRef = String(nextChat++);
      const plan = citizenPlan(questionnaire.definition, i);
      const choice = (data: string, id: number): ChannelInput => ({ ...(decodeCallbackData(data, String(id)) as Extract<ChannelInput, { type: 'choice' }>), messageId: String(id) });
      const inputs: ChannelInput[] = [{ type: 'start', payload: token }, choice('s:consent:yes', 1), ...plan.steps.map((s, k) => (s.kind === 'text' ? { type: 'text' as const, text: s.text } : choice(s.data, 100 + k)))];
      for (const [k, input] of inputs.entries()) {
        const eventId = `${userRef}-${k}`;
        await (variant === 'with hand-off' ? conversations : withoutHandOff).handle({ channel: 'telegram', userRef, eventId, input });
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
