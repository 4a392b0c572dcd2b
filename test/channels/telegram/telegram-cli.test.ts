import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../support/fake-telegram-server.js';
import { runScript as run } from '../../support/spawn-script.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let fake: FakeTelegramServer;
let db: TestDatabase;
beforeAll(async () => {
  fake = await new FakeTelegramServer().start();
  db = await createTestDatabase();
});
afterAll(async () => {
  await fake.close();
  await db.drop();
});

describe('command-line tools', () => {
  it('npm run telegram:set-webhook registers the webhook with the secret and the allowed updates', async () => {
    const { code, out } = await run('src/cli/telegram-set-webhook.ts', [], {
      TELEGRAM_BOT_TOKEN: '123456:CLI-token', TELEGRAM_WEBHOOK_SECRET: 'cli_secret', TELEGRAM_API_ROOT: fake.url, PUBLIC_BASE_URL: 'https://khaosat.example.gov.vn',
    });
    expect(code, out).toBe(0);
    const call = fake.callsTo('setWebhook')[0]!;
    expect(call.token).toBe('123456:CLI-token');
    expect(call.body).toMatchObject({ url: 'https://khaosat.example.gov.vn/webhooks/telegram', secret_token: 'cli_secret', allowed_updates: ['message', 'callback_query'] });
  });

  it('npm run simulate completes a survey in the terminal and the answers are in PostgreSQL', async () => {
    const { code, out } = await run('src/cli/simulate.ts', ['--questionnaire', 'sipas-2017', '--auto'], { DATABASE_URL: db.url, REDIS_PREFIX: `{sim${process.pid}}`, LOG_LEVEL: 'warn' });
    expect(code, out).toBe(0);
    expect(out).toContain('Câu 1/');
    expect(out).toMatch(/Response completed: \d+ answers stored in PostgreSQL/);
    const response = await db.prisma.response.findFirstOrThrow({ where: { channel: 'simulator' }, include: { answers: true } });
    expect(response.status).toBe('completed');
    expect(response.answers.length).toBeGreaterThanOrEqual(30);
    expect(await db.prisma.criterionRollup.count()).toBe(22);
  });

  it('npm run simulate completes the 2023–2026 instrument (sipas-2024 version 2, 39 criteria) too', async () => {
    const { code, out } = await run('src/cli/simulate.ts', ['--questionnaire', 'sipas-2024', '--auto'], { DATABASE_URL: db.url, REDIS_PREFIX: `{sim24${process.pid}}`, LOG_LEVEL: 'warn' });
    expect(code, out).toBe(0);
    expect(out).toMatch(/Response completed: \d+ answers stored in PostgreSQL/);
    const q = await db.prisma.questionnaire.findFirstOrThrow({ where: { code: 'sipas-2024', version: 2 } });
    const response = await db.prisma.response.findFirstOrThrow({ where: { channel: 'simulator', questionnaireId: q.id }, include: { answers: true } });
    expect(response.status).toBe('completed');
    expect(response.answers.filter((a) => /^(CS|DV)\d\.\d+$/.test(a.questionCode))).toHaveLength(39);
    expect(await db.prisma.criterionRollup.count({ where: { questionnaireId: q.id } })).toBe(39);
  });

  it('every tool answers --help with its usage (exit 0) and an unknown option with the usage (exit 2)', async () => {
    const tools = ['apikey', 'simulate', 'telegram-set-webhook', 'db-migrate', 'scoring-verify', 'dead-letters', 'sandbox'];
    const runs = await Promise.all(tools.map((t) => run(`src/cli/${t}.ts`, ['--help'], { DATABASE_URL: db.url })));
    runs.forEach(({ code, out }, i) => {
      expect(code, `${tools[i]}: ${out}`).toBe(0);
      expect(out.toLowerCase(), tools[i]).toContain('usage');
    });
    for (const t of ['apikey', 'simulate', 'telegram-set-webhook', 'db-migrate', 'sandbox']) {
      const { code, out } = await run(`src/cli/${t}.ts`, ['--no-such-option'], { DATABASE_URL: db.url });
      expect(code, `${t}: ${out}`).toBe(2);
      expect(out).toContain('usage');
    }
  });

  it('npm run simulate refuses a unit that does not exist instead of creating it', async () => {
    const { code, out } = await run('src/cli/simulate.ts', ['--unit', 'NO-SUCH-UNIT', '--auto'], { DATABASE_URL: db.url, REDIS_PREFIX: `{simu${process.pid}}`, LOG_LEVEL: 'warn' });
    expect(code, out).toBe(1);
    expect(out).toContain('No unit with code NO-SUCH-UNIT');
    expect(await db.prisma.unit.count({ where: { code: 'NO-SUCH-UNIT' } })).toBe(0);
  });
});
