import { type OutboundMessage } from '../engine/index.js';
import { createInterface } from 'node:readline/promises';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { migrate } from '../db/migrate.js';
import { randomInt } from 'node:crypto';
import { generateInvitationToken, generateShortCode, normalizeShortCode } from '../invitations/invitation-codes.js';
import { createLogger } from '../observability/create-logger.js';
import { loadBuiltinQuestionnaires } from '../questionnaire/builtin-questionnaires.js';
import { seedQuestionnaires } from '../questionnaire/questionnaire-catalog.js';
import { questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';
import { startApp } from '../runtime/start-app.js';
import { autoAnswer, renderTerminal } from '../channels/simulator/render-terminal.js';
import { SimulatorSession } from '../channels/simulator/simulator-session.js';
import { seededRandom } from '../core/seeded-random.js';
import { parseCli } from './parse-cli.js';

/**
 * `npm run simulate -- --questionnaire sipas-2017 [--unit CODE] [--auto]`: answer a
 * survey in the terminal as a citizen would in Zalo (type the numbers). `--auto` answers
 * by itself, as a demo. `--invitation CODE` answers a simulator invitation created through
 * the API, started from its code as a citizen would. Answers land in PostgreSQL like any
 * channel's, as test data (left out of reports; `npm run sandbox -- purge` deletes them).
 */
const USAGE = `usage: npm run simulate -- [--questionnaire CODE[@VERSION]] [--unit CODE] [--auto [--seed N]]
       npm run simulate -- --invitation CODE [--auto [--seed N]]

Answers a survey in the terminal as a citizen would in Zalo (type the numbers; /back, /help,
/stop work too), through the same engine, queues and workers as the real channels. What is
answered here is test data: reports and exports leave it out unless asked
(test=include|only), and \`npm run sandbox -- purge\` deletes it.
  --questionnaire  the questionnaire to answer (default sipas-2017, its newest open version)
  --unit           an existing unit's code (default: a demo unit, created if missing)
  --invitation     the short code (or token) of an invitation created with channel "simulator"
                   (POST /api/v1/invitations): answers it as its citizen would
  --auto           answer by itself, as a demo, with varied answers
  --seed           the seed of --auto's answers (default: random, printed), to repeat a run`;
const { values } = parseCli(USAGE, {
  questionnaire: { type: 'string' },
  unit: { type: 'string' },
  invitation: { type: 'string' },
  auto: { type: 'boolean', default: false },
  seed: { type: 'string' },
});
if (values.invitation && (values.questionnaire || values.unit)) {
  console.error(`--invitation answers that invitation's questionnaire at its unit: leave out --questionnaire and --unit.\n\n${USAGE}`);
  process.exit(2);
}
if (values.seed !== undefined && !/^\d{1,10}$/.test(values.seed)) {
  console.error(`--seed must be a whole number.\n\n${USAGE}`);
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error:\n${err.message}` : (err as Error).message);
  process.exit(1);
}
await migrate(config.databaseUrl);
const app = await startApp(config, { web: false, worker: true, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') });
const { db } = app.ctx;
await seedQuestionnaires(db, loadBuiltinQuestionnaires());

/** What the simulated citizen starts with: an invitation made through the API, or one made here. */
async function startInput(): Promise<{ type: 'start'; payload?: string; shortCode?: string } | undefined> {
  if (values.invitation) {
    const code = normalizeShortCode(values.invitation);
    const inv = await db.invitation.findFirst({ where: code ? { code } : { token: values.invitation.trim() }, select: { channel: true, code: true, token: true } });
    if (!inv) {
      console.error(`No invitation with code ${values.invitation}.`);
      return undefined;
    }
    // Answering someone's real invitation here would use it up: only simulator invitations.
    if (inv.channel !== 'simulator') {
      console.error(`Invitation ${inv.code} is a ${inv.channel} invitation: only invitations created with channel "simulator" can be answered here.`);
      return undefined;
    }
    return code ? { type: 'start', shortCode: inv.code } : { type: 'start', payload: inv.token };
  }
  const ref = questionnaireRefSchema.safeParse(values.questionnaire ?? 'sipas-2017');
  const q = ref.success ? await app.ctx.catalog.resolve(ref.data, 'start').catch(() => undefined) : undefined;
  if (!q) {
    console.error(`Unknown questionnaire ${values.questionnaire ?? 'sipas-2017'}.`);
    return undefined;
  }
  // A unit given by code must exist (a typo must not create a unit); without one, the demo unit.
  const unit = values.unit
    ? await db.unit.findUnique({ where: { code: values.unit } })
    : await db.unit.upsert({ where: { code: 'DEMO' }, create: { code: 'DEMO', name: 'Đơn vị thử nghiệm (mô phỏng)', group: 'demo' }, update: {} });
  if (!unit) {
    console.error(`No unit with code ${values.unit}: load the units first (PUT /api/v1/units), or leave --unit out to use the demo unit.`);
    return undefined;
  }
  const invitation = await db.invitation.create({
    data: { token: generateInvitationToken(), code: generateShortCode(), channel: 'simulator', unitId: unit.id, questionnaireId: q.id, expiresAt: new Date(Date.now() + 86_400_000), isTest: true },
  });
  return { type: 'start', payload: invitation.token };
}
const start = await startInput();
if (!start) {
  await app.close();
  process.exit(1);
}
const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
const random = seededRandom(seed);
if (values.auto) console.log(`Automatic answers with --seed ${seed} (give it again to repeat this run).`);
await app.services.conversations.units.refresh();

const sim = new SimulatorSession(app.ctx, app.services.conversations);
const show = (ms: OutboundMessage[]) => ms.map(renderTerminal).filter(Boolean).forEach((t) => console.log(`\n🤖 ${t.replace(/\n/g, '\n   ')}`));
let last: OutboundMessage | undefined;
const remember = (ms: OutboundMessage[]) => {
  show(ms);
  last = [...ms].reverse().find((m) => m.type === 'text') ?? last;
};
/** The response this conversation answers, read while it runs (a completed session no longer names it). */
let responseId: string | undefined;
const track = async () => {
  const session = (await app.services.conversations.store.load({ channel: 'simulator', userRef: sim.userRef })).session;
  if (session && session.phase !== 'completed' && session.responseStarted) responseId = session.responseId;
};
remember(await sim.send(start));

const rl = values.auto ? undefined : createInterface({ input: process.stdin, output: process.stdout });
for (let turn = 0; turn < 500; turn++) {
  const ended = last?.type === 'text' && !last.options?.length && !last.questionCode;
  if (ended && turn > 0) break;
  const line = values.auto ? autoAnswer(last, random) : await rl!.question('\n🙂 ').catch(() => '/stop');
  if (values.auto) console.log(`\n🙂 ${line}`);
  const trimmed = line.trim();
  const input = trimmed === '/stop' ? { type: 'stop' as const } : trimmed === '/help' ? { type: 'help' as const } : trimmed === '/back' ? { type: 'back' as const } : { type: 'text' as const, text: line };
  await track();
  remember(await sim.send(input));
}
rl?.close();

// Wait for the answers worker to persist the completion before reporting (the stored
// response keeps no link to its invitation: the id was read from the session meanwhile).
for (let i = 0; responseId && i < 100; i++) {
  const r = await db.response.findUnique({ where: { id: responseId }, select: { status: true, _count: { select: { answers: true } } } });
  if (r?.status === 'completed' || r?.status === 'opted_out') {
    console.log(`\nResponse ${r.status}: ${r._count.answers} answers stored in PostgreSQL.`);
    break;
  }
  await new Promise((res) => setTimeout(res, 100));
}
await app.close();
