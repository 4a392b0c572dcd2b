import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createPrismaClient } from '../../src/db/prisma-client.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { loadDefinitionFile } from '../../src/questionnaire/load-definition-file.js';
import { seedQuestionnaires } from '../../src/questionnaire/questionnaire-catalog.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js';
import { startOwnRedis, type OwnRedis } from '../support/own-redis.js';
import { freePort, spawnMain } from '../support/spawn-script.js';
import { TEST_ADMIN_KEY, TEST_TG_SECRET, TEST_TG_TOKEN } from '../support/start-product.js';
import { waitUntil } from '../support/wait-until.js';
import { deliver as deliverOnce, driveCitizen, expectedStored, fingerprint, Inbox, type CitizenReport } from './telegram-citizen.js';

/**
 * A deployment of the product under test's control: web and worker as separate processes
 * (`src/main.ts --web` / `--worker`, NODE_ENV=production), a PostgreSQL and a Redis (AOF)
 * of the rig's own on free ports, and a fake Telegram Bot API. Faults are injected by
 * killing or stopping any of them; `verify` then checks, citizen by citizen, that what
 * PostgreSQL holds is exactly what the citizen chose.
 */
export type Rig = {
  pg: OwnPostgres;
  redis: OwnRedis;
  fake: FakeTelegramServer;
  def: QuestionnaireDefinition;
  databaseUrl: string;
  startWeb(): Promise<void>;
  startWorker(): Promise<void>;
  /** kill -9 of the process (it gets no chance to finish anything). */
  killWeb(): Promise<void>;
  killWorker(): Promise<void>;
  /** SIGTERM: a graceful stop that drains what the worker holds. */
  stopWorker(): Promise<void>;
  /** Creates one invitation per citizen (through the HTTP API) and returns their /start texts. */
  invite(count: number): Promise<string[]>;
  /** Drives citizens 1..n through whole surveys, concurrently. */
  drive(starts: string[], firstChatId: number): Promise<CitizenReport[]>;
  /** Waits until no answers job is left (waiting, active, delayed or prioritized). */
  drained(timeoutMs?: number): Promise<void>;
  /** Waits until `n` citizens have got their first question (they are past the start). */
  midSurvey(n: number): Promise<void>;
  /** Stops (or lets again) the workers take answers jobs; replies keep going out. */
  pauseAnswers(paused: boolean): Promise<void>;
  /** Waits until the fake Telegram accepted at least `n` messages to the chat; returns how many. */
  waitForSends(chatId: number, n: number, timeoutMs?: number): Promise<number>;
  /** Delivers one update to the webhook until it is acknowledged. */
  post(update: unknown): Promise<void>;
  /** Telegram's answers are delayed by this much from now on (0: at once). */
  setTelegramLatency(ms: number): void;
  /** Outage retries the workers recorded, and answers jobs that failed for good (failed set or dead-letter queue). */
  transientRetries(): Promise<{ postponed: number; failedJobs: number }>;
  logs(): string;
  close(): Promise<void>;
};

export async function startRig(opts: { stepTimeoutMs?: number; env?: Record<string, string> } = {}): Promise<Rig> {
  // The fake reads its latency from this object on every answer, so a test can slow Telegram down.
  const fakeOptions = { latencyMs: 0 };
  const [ownPg, ownRedis, fake] = await Promise.all([startOwnPostgres(), startOwnRedis(), new FakeTelegramServer(fakeOptions).start()]);
  const port = await freePort();
  const databaseUrl = ownPg.url('sipas_faults');
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: ownRedis.url,
    REDIS_PREFIX: '{faults}',
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    TELEGRAM_BOT_TOKEN: TEST_TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_TG_SECRET,
    TELEGRAM_BOT_USERNAME: 'sipas_faults_bot',
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_CHAT_INTERVAL_MS: '50',
    OUTAGE_RETRY_MAX_MS: '2000',
    ...opts.env,
  };
  let web: ReturnType<typeof spawnMain> | undefined;
  let worker: ReturnType<typeof spawnMain> | undefined;
  let output = '';
  const collect = (p: ReturnType<typeof spawnMain>, role: string) => p.exited.then(() => (output += `--- ${role} (pid ${p.child.pid}) ---\n${p.output()}\n`));
  const base = `http://127.0.0.1:${port}`;
  const probe = new Redis(ownRedis.url, { maxRetriesPerRequest: 1 });
  probe.on('error', () => undefined);

  const startWeb = async () => {
    web = spawnMain(env, ['--web']);
    void collect(web, 'web');
    await waitUntil(async () => (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)), 'web up', 60_000);
  };
  // A worker is up once a heartbeat from a process not seen before is in Redis (a killed one's beat lingers).
  const beats = () => probe.zrange('{faults}:workers', 0, -1).catch(() => [] as string[]);
  const startWorker = async () => {
    const before = new Set(await beats());
    worker = spawnMain(env, ['--worker']);
    void collect(worker, 'worker');
    await waitUntil(async () => (await beats()).some((id) => !before.has(id)), 'a new worker heartbeat', 60_000);
  };
  const kill = async (p: ReturnType<typeof spawnMain> | undefined, signal: NodeJS.Signals) => {
    if (!p || p.child.exitCode !== null) return;
    (p.child as ChildProcess).kill(signal);
    await p.exited;
  };

  await startWeb();
  await startWorker();
  const webhookUrl = `${base}/webhooks/telegram`;
  // A short questionnaire with every kind of question (filter, multi-choice, free text):
  // the faults are about storage, and 48 whole surveys go out within the bot's 25 messages/s.
  const def = loadDefinitionFile(new URL('../engine/fixtures/mini-survey.json', import.meta.url).pathname);
  const seeder = createPrismaClient(databaseUrl, { max: 1 });
  await seedQuestionnaires(seeder, [def]).finally(() => seeder.$disconnect());
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
  await fetch(`${base}/api/v1/units`, { method: 'PUT', headers: admin, body: JSON.stringify([{ code: 'SNV', name: 'Sở Nội vụ', group: 'so' }]) });
  const inbox = new Inbox(fake);
  const queueKeys = ['wait', 'active', 'delayed', 'prioritized', 'paused'].map((s) => `{faults}:answers:${s}`);

  return {
    pg: ownPg,
    redis: ownRedis,
    fake,
    def,
    databaseUrl,
    startWeb,
    startWorker,
    killWeb: () => kill(web, 'SIGKILL'),
    killWorker: () => kill(worker, 'SIGKILL'),
    stopWorker: () => kill(worker, 'SIGTERM'),
    async invite(count) {
      const rows = Array.from({ length: count }, (_, i) => ({ unitCode: 'SNV', channel: 'telegram', questionnaire: `${def.code}@${def.version}`, dossierCode: `HS-${Date.now()}-${i}` }));
      const res = await fetch(`${base}/api/v1/invitations/bulk`, { method: 'POST', headers: admin, body: JSON.stringify(rows) });
      const body = (await res.json()) as { results: { token: string }[] };
      return body.results.map((r) => `/start ${r.token}`);
    },
    drive(starts, firstChatId) {
      const delivery = { webhookUrl: () => webhookUrl, secret: TEST_TG_SECRET, copies: 3, stepTimeoutMs: opts.stepTimeoutMs ?? 20_000 };
      return Promise.all(starts.map((start, i) => driveCitizen(delivery, inbox, def, firstChatId + i, firstChatId + i, start)));
    },
    async drained(timeoutMs = 120_000) {
      await waitUntil(
        async () => {
          const sizes = await Promise.all(queueKeys.map((k) => probe.type(k).then((t) => (t === 'zset' ? probe.zcard(k) : t === 'list' ? probe.llen(k) : 0))));
          return sizes.every((n) => n === 0);
        },
        'answers drained',
        timeoutMs,
      );
    },
    async midSurvey(n) {
      await waitUntil(() => fake.acceptedSendsTo().filter((c) => /^Câu 1\//.test(String(c.body.text))).length >= n, `${n} citizens at their first question`, 120_000);
    },
    async pauseAnswers(paused) {
      const queue = new Queue('answers', { connection: probe, prefix: '{faults}' });
      await (paused ? queue.pause() : queue.resume());
      await queue.close();
    },
    async waitForSends(chatId, n, timeoutMs = 30_000) {
      return waitUntil(() => {
        const count = fake.acceptedSendsTo(chatId).length;
        return count >= n ? count : false;
      }, `${n} messages to chat ${chatId}`, timeoutMs);
    },
    async post(update) {
      await deliverOnce({ webhookUrl: () => webhookUrl, secret: TEST_TG_SECRET, copies: 1, stepTimeoutMs: 0 }, update, Date.now() + 120_000);
    },
    setTelegramLatency(ms) {
      fakeOptions.latencyMs = ms;
    },
    async transientRetries() {
      const [byQueue, failed, dead] = await Promise.all([probe.hgetall('{faults}:outage-retries'), probe.zcard('{faults}:answers:failed'), probe.llen('{faults}:dead-letter:wait')]);
      return { postponed: Object.values(byQueue).reduce((sum, n) => sum + Number(n), 0), failedJobs: failed + dead };
    },
    logs: () => output + (web ? `--- web (running) ---\n${web.output()}\n` : '') + (worker ? `--- worker (running) ---\n${worker.output()}\n` : ''),
    async close() {
      probe.disconnect();
      await kill(web, 'SIGKILL');
      await kill(worker, 'SIGKILL');
      await fake.close();
      await ownRedis.destroy();
      await ownPg.destroy();
    },
  };
}

export type Mismatch = { citizen: number; problem: string };

/**
 * Citizen by citizen: exactly one completed response carries the citizen's fingerprint,
 * its answers equal the citizen's choices (nothing missing, nothing extra, nothing twice),
 * and no citizen was left without the thank-you. Returns every mismatch (empty: all good).
 */
export async function verifyCitizens(databaseUrl: string, def: QuestionnaireDefinition, reports: CitizenReport[], firstCitizen: number): Promise<Mismatch[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const comment = def.questions.find((q) => q.kind === 'text')!.code;
    const mismatches: Mismatch[] = [];
    for (const [i, r] of reports.entries()) {
      const citizen = firstCitizen + i;
      if (!r.finished) mismatches.push({ citizen, problem: 'never got the thank-you' });
      const responses = await client.query<{ id: string; status: string }>(
        `SELECT r.id::text, r.status::text FROM responses r JOIN answers a ON a.response_id = r.id WHERE a.question_code = $1 AND a.value = to_jsonb($2::text)`,
        [comment, fingerprint(citizen)],
      );
      const completed = responses.rows.filter((x) => x.status === 'completed');
      if (completed.length !== 1) {
        mismatches.push({ citizen, problem: `${completed.length} completed responses (${responses.rows.map((x) => x.status).join(', ') || 'none stored'})` });
        continue;
      }
      const rows = await client.query<{ question_code: string; status: string; score: number | null; value: unknown }>('SELECT question_code, status::text, score, value FROM answers WHERE response_id = $1', [completed[0]!.id]);
      const stored = Object.fromEntries(rows.rows.map((a) => [a.question_code, { status: a.status, score: a.score, value: a.value }]));
      const expected = expectedStored(def, r.chosen);
      for (const code of new Set([...Object.keys(stored), ...Object.keys(expected)])) {
        if (JSON.stringify(stored[code]) !== JSON.stringify(expected[code])) mismatches.push({ citizen, problem: `${code}: stored ${JSON.stringify(stored[code])}, chosen ${JSON.stringify(expected[code])}` });
      }
    }
    const { rows } = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM responses WHERE status = 'completed'");
    if (Number(rows[0]!.n) !== reports.length) mismatches.push({ citizen: 0, problem: `${rows[0]!.n} completed responses in all for ${reports.length} citizens` });
    return mismatches;
  } finally {
    await client.end();
  }
}
