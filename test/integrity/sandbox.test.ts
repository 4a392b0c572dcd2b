import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import { autoAnswer } from '../../src/channels/simulator/render-terminal.js';
import { seededRandom } from '../../src/core/seeded-random.js';
import { SimulatorSession } from '../../src/channels/simulator/simulator-session.js';
import type { OutboundMessage } from '../../src/engine/index.js';
import { SEGMENT_TEST } from '../../src/scoring/rollup-keys.js';
import { verifyRollups } from '../../src/scoring/verify-rollups.js';
import { createInvitation } from '../support/invitations.js';
import { runScript } from '../support/spawn-script.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { putUnits, SNV } from '../support/units.js';
import { driveSurvey } from '../support/telegram-survey-driver.js';
import { waitUntil } from '../support/wait-until.js';

// One response is enough for a cell here, and microdata covers whole months.
const h = useTelegramProduct({ firstChatId: 5_580_001, env: { REPORT_MIN_CELL: '1', REPORT_PERIOD: 'month' } });
const DAY = 86_400_000;

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (url: string, headers: Record<string, string> = adminHeaders) => h.product.app!.inject({ method: 'GET', url, headers });

/** A citizen answering an invitation through the simulator channel, in-process, started from its short code. */
async function answerBySimulator(code: string, seed: number, product: Product = h.product): Promise<void> {
  const sim = new SimulatorSession(product.ctx, product.services.conversations);
  const random = seededRandom(seed);
  let last: OutboundMessage | undefined;
  const remember = (ms: OutboundMessage[]) => (last = [...ms].reverse().find((m) => m.type === 'text') ?? last);
  remember(await sim.send({ type: 'start', shortCode: code }));
  for (let turn = 0; turn < 200; turn++) {
    if (turn > 0 && last?.type === 'text' && !last.options?.length && !last.questionCode) return;
    remember(await sim.send({ type: 'text', text: autoAnswer(last, random) }));
  }
  throw new Error('the simulated survey did not end');
}

/** Completed responses in the report (today's range; admins may ask for any). */
async function reported(query: string) {
  const day = (await h.product.db.prisma.response.findFirstOrThrow({ where: { status: 'completed' } })).completedDay!.toISOString().slice(0, 10);
  const res = await get(`/api/v1/reports/index?from=${day}&to=${day}${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { overall: { responses: number | null }; units: { code: string; responses: number | null; bySource: { invited: number; open: number } | null }[]; filters: Record<string, string> };
}

const completedCount = (isTest: boolean) => h.product.db.prisma.response.count({ where: { status: 'completed', isTest } });

describe('a sandbox for trials', () => {
  it('a simulator invitation is marked sent at once without reaching any platform, and is answered through the simulator as test data', async () => {
    const inv = await createInvitation(h.product.app!, { unitCode: 'SNV', channel: 'simulator' });
    expect(inv).toMatchObject({ channel: 'simulator', test: true });
    await waitUntil(async () => (await h.product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.status === 'sent', 'simulator invitation marked sent');
    expect(h.fake.calls.length).toBe(0);
    await answerBySimulator(inv.code, 1);
    await waitUntil(async () => (await completedCount(true)) === 1, 'simulator response completed');
    expect((await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe('completed');
    // Its rollup rows are all in test segments (invited; flagged or not, it answered fast).
    const rows = await h.product.db.prisma.criterionRollup.findMany();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => (r.segment & SEGMENT_TEST) !== 0 && (r.segment & 1) !== 0)).toBe(true);
  });

  it('test data is left out of reports and microdata unless asked for, and only admins may ask', async () => {
    // A real invited response and a Telegram invitation marked test.
    const real = await h.invite({ dossierCode: 'HS-REAL-1' });
    await driveSurvey(h.product.app!, h.fake, 5_580_001, `/start ${real.token}`);
    const trial = await h.invite({ dossierCode: 'HS-TRIAL-1', test: true });
    expect(trial.test).toBe(true);
    await driveSurvey(h.product.app!, h.fake, 5_580_002, `/start ${trial.token}`);
    await waitUntil(async () => (await completedCount(false)) === 1 && (await completedCount(true)) === 2, 'both responses completed');

    const plain = await reported('');
    expect(plain.filters).toMatchObject({ test: 'exclude' });
    expect(plain.overall.responses).toBe(1);
    expect(plain.units.find((u) => u.code === 'SNV')).toMatchObject({ responses: 1, bySource: { invited: 1, open: 0 } });
    expect((await reported('&test=only')).overall.responses).toBe(2);
    expect((await reported('&test=include')).overall.responses).toBe(3);

    const viewer = (await createApiKey(h.product.db.prisma, { name: 'viewer', role: 'viewer', unitCodes: [] })).key;
    expect((await get('/api/v1/reports/index?test=only', bearer(viewer))).statusCode).toBe(403);
    expect((await get('/api/v1/reports/index?test=include', bearer(viewer))).statusCode).toBe(403);

    // Microdata covers whole ended months: read it from the next month.
    const month = (await h.product.db.prisma.response.findFirstOrThrow({ where: { status: 'completed' } })).completedDay!.toISOString().slice(0, 7);
    h.clock.offsetMs = 40 * DAY;
    const rows = async (query: string) => {
      const res = await get(`/api/v1/responses/export?period=${month}&format=csv${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return parse(res.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    };
    expect(await rows('')).toHaveLength(1);
    expect(await rows('&test=only')).toHaveLength(2);
    expect(await rows('&test=include')).toHaveLength(3);
    const audit = await h.product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'microdata.download' }, orderBy: { id: 'desc' } });
    expect(audit.details).toMatchObject({ test: 'include' });
  });

  it('npm run simulate -- --invitation answers a simulator invitation by its code, and refuses any other', async () => {
    const inv = await createInvitation(h.product.app!, { unitCode: 'SNV', channel: 'simulator' });
    const env = { DATABASE_URL: h.product.config.databaseUrl, REDIS_PREFIX: `{simcli${process.pid}}`, LOG_LEVEL: 'warn' };
    const { code, out } = await runScript('src/cli/simulate.ts', ['--invitation', inv.code.toLowerCase(), '--auto', '--seed', '42'], env);
    expect(code, out).toBe(0);
    expect(out).toContain('--seed 42');
    expect(out).toMatch(/Response completed: \d+ answers stored in PostgreSQL/);
    expect((await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe('completed');
    await waitUntil(async () => (await completedCount(true)) === 3, 'CLI response stored as test data');

    const telegram = await h.invite({ dossierCode: 'HS-NOT-SIM' });
    const refused = await runScript('src/cli/simulate.ts', ['--invitation', telegram.code], env);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain('only invitations created with channel "simulator"');
    const unknown = await runScript('src/cli/simulate.ts', ['--invitation', 'ZZZZ2222'], env);
    expect(unknown.code, unknown.out).toBe(1);
    expect(unknown.out).toContain('No invitation with code');
    expect((await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: telegram.id } })).status).toBe('created');
  });

  it('--auto answers vary, and the same seed repeats them', () => {
    const likert: OutboundMessage = {
      type: 'text',
      text: 'Câu 1/22',
      questionCode: '1.1',
      options: ['1', '2', '3', '4', '5'].map((n) => ({ number: n, label: n, data: `a:1.1:${n}`, role: 'answer' as const })),
    } as OutboundMessage;
    const draws = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 40 }, () => autoAnswer(likert, random));
    };
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    expect(new Set(draws(7)).size).toBeGreaterThanOrEqual(3);
  });

  it('npm run sandbox -- purge deletes test data only (audited); real data and its rollups stay intact', async () => {
    const db = h.product.db.prisma;
    const realRollups = async () =>
      JSON.stringify(await db.$queryRawUnsafe(`SELECT 'c' AS t, questionnaire_id, unit_id, criterion_code AS k, day::text AS d, segment, c1, c2, c3, c4, c5, c_na AS n FROM criterion_rollups WHERE segment & 4 = 0
        UNION ALL SELECT 'o', questionnaire_id, unit_id, question_code || '/' || option, day::text, segment, count, 0, 0, 0, 0, 0 FROM option_rollups WHERE segment & 4 = 0
        UNION ALL SELECT 'cm', questionnaire_id, unit_id, criterion_code, month::text, segment, c1, c2, c3, c4, c5, c_na FROM criterion_rollups_monthly WHERE segment & 4 = 0
        UNION ALL SELECT 'om', questionnaire_id, unit_id, question_code || '/' || option, month::text, segment, count, 0, 0, 0, 0, 0 FROM option_rollups_monthly WHERE segment & 4 = 0
        ORDER BY 1, 2, 3, 4, 5, 6`));
    const before = await realRollups();
    const realAnswers = await db.answer.count({ where: { response: { isTest: false } } });
    const plain = await reported('');
    expect(await db.criterionRollupMonthly.count({ where: { segment: { gte: SEGMENT_TEST } } })).toBeGreaterThan(0);

    const env = { DATABASE_URL: h.product.config.databaseUrl };
    const dry = await runScript('src/cli/sandbox.ts', ['purge'], env);
    expect(dry.code, dry.out).toBe(1);
    expect(dry.out).toContain('nothing deleted');
    expect(await completedCount(true)).toBe(3);

    const { code, out } = await runScript('src/cli/sandbox.ts', ['purge', '--yes'], env);
    expect(code, out).toBe(0);
    expect(out).toMatch(/deleted 3 responses, \d+ answers, 3 invitations, \d+ rollup rows/);

    expect(await db.response.count({ where: { isTest: true } })).toBe(0);
    expect(await db.invitation.count({ where: { isTest: true } })).toBe(0);
    expect(await db.respondent.count({ where: { channel: 'simulator' } })).toBe(0);
    for (const table of ['criterion_rollups', 'option_rollups', 'criterion_rollups_monthly', 'option_rollups_monthly']) {
      expect((await db.$queryRawUnsafe<{ n: number }[]>(`SELECT COUNT(*)::int AS n FROM ${table} WHERE segment & 4 <> 0`))[0]!.n, table).toBe(0);
    }
    expect(await realRollups()).toBe(before);
    expect(await completedCount(false)).toBe(1);
    expect(await db.answer.count()).toBe(realAnswers);
    expect(await reported('')).toEqual({ ...plain, generatedAt: expect.any(String) });
    expect((await reported('&test=only')).overall.responses ?? 0).toBe(0);
    for (const { id } of await db.questionnaire.findMany()) expect(await verifyRollups(db, { questionnaireId: id })).toEqual([]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'sandbox.purge' } });
    expect(audit).toMatchObject({ actor: 'cli', details: { responses: 3, invitations: 3 } });

    // The same through the API, for administrators only.
    const officer = (await createApiKey(db, { name: 'officer', role: 'officer', unitCodes: ['SNV'] })).key;
    expect((await h.product.app!.inject({ method: 'POST', url: '/api/v1/sandbox/purge', headers: bearer(officer) })).statusCode).toBe(403);
    const again = await h.product.app!.inject({ method: 'POST', url: '/api/v1/sandbox/purge', headers: adminHeaders });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ responses: 0, answers: 0, invitations: 0, rollupRows: 0 });
  });
});

describe('the sandbox without Telegram or Zalo credentials', () => {
  let bare: Product;
  beforeAll(async () => {
    bare = await startProduct({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: '', TELEGRAM_BOT_USERNAME: '' });
    await putUnits(bare.app!, [SNV]);
  });
  afterAll(() => bare?.stop());

  it('a simulator invitation is created, marked sent and answered, where a Telegram one is refused', async () => {
    expect(bare.config.telegram).toBeUndefined();
    expect(bare.config.zalo).toBeUndefined();
    const telegram = await bare.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'telegram' } });
    expect(telegram.statusCode).toBe(422);
    const inv = await createInvitation(bare.app!, { unitCode: 'SNV', channel: 'simulator' });
    await waitUntil(async () => (await bare.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.status === 'sent', 'simulator invitation marked sent');
    await answerBySimulator(inv.code, 3, bare);
    const response = await waitUntil(async () => (await bare.db.prisma.response.findFirst({ where: { status: 'completed' }, include: { _count: { select: { answers: true } } } })) ?? undefined, 'response completed');
    expect(response).toMatchObject({ channel: 'simulator', isTest: true, source: 'invited' });
    expect(response._count.answers).toBeGreaterThanOrEqual(22);
  });
});
