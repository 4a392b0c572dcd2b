import { Queue, type ConnectionOptions, type JobType } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { mapLimit } from '../../src/core/map-limit.js';
import { createPrismaClient } from '../../src/db/prisma-client.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { loadDefinitionFile } from '../../src/questionnaire/load-definition-file.js';
import { seedQuestionnaires } from '../../src/questionnaire/questionnaire-catalog.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js';
import { startOwnCluster, type OwnCluster } from '../support/own-redis-cluster.js';
import { startOwnSentinelSet, type OwnSentinelSet } from '../support/own-redis-sentinel.js';
import { startOwnRedis, type OwnRedis } from '../support/own-redis.js';
import { freePort, spawnMain, type ScriptProcess } from '../support/spawn-script.js';
import { TEST_ADMIN_KEY, TEST_TG_SECRET, TEST_TG_TOKEN } from '../support/start-product.js';
import { waitUntil } from '../support/wait-until.js';
import { deliver as deliverOnce, driveCitizen, Inbox, type CitizenReport } from './telegram-citizen.js';

/**
 * A deployment of the product under the test's control: web and worker processes
 * (`src/main.ts --web` / `--worker`, NODE_ENV=production), a PostgreSQL and a Redis of the
 * rig's own on free ports (one server with AOF, a Sentinel set, or a Cluster), and a fake
 * Telegram Bot API. Faults are injected by killing or stopping any of them.
 */
export type Topology = 'single' | 'sentinel' | 'cluster';
export type RigOptions = { topology?: Topology; webs?: number; workers?: number; stepTimeoutMs?: number; env?: Record<string, string> };

export type Rig = {
  pg: OwnPostgres;
  /** The Redis server of a single-server rig (to kill and restart). */
  redis: OwnRedis;
  /** Promotes a replica in a Sentinel or Cluster rig; returns the new master's port. */
  failoverRedis(): Promise<number>;
  fake: FakeTelegramServer;
  def: QuestionnaireDefinition;
  databaseUrl: string;
  /** The first web process's address. */
  baseUrl: string;
  startWeb(): Promise<void>;
  startWorker(): Promise<void>;
  /** kill -9 of every web (or worker) process: they get no chance to finish anything. */
  killWeb(): Promise<void>;
  killWorker(): Promise<void>;
  /** SIGTERM of every worker: a graceful stop that drains what they hold. */
  stopWorker(): Promise<void>;
  /** Creates one invitation per citizen (through the HTTP API) and returns their /start texts. */
  invite(count: number): Promise<string[]>;
  /** Drives citizens through whole surveys, concurrently; updates go to the web processes in turn. */
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

const PREFIX = '{faults}';
/** Every state in which an answers job is still to be persisted ('paused': the list of BullMQ before v5, still counted by its script). */
const PENDING_STATES = ['wait', 'paused', 'active', 'delayed', 'prioritized', 'waiting-children'] as JobType[];

type RedisSetup = { env: Record<string, string>; connect(): Redis | Cluster; single?: OwnRedis; failover(): Promise<number>; destroy(): Promise<void> };

async function redisSetup(topology: Topology): Promise<RedisSetup> {
  const noFailover = async () => {
    throw new Error('a single Redis server has no replica to fail over to');
  };
  if (topology === 'sentinel') {
    const set: OwnSentinelSet = await startOwnSentinelSet();
    return {
      env: { REDIS_SENTINELS: set.sentinels.map((s) => `${s.host}:${s.port}`).join(','), REDIS_SENTINEL_NAME: set.name },
      connect: () => new Redis({ sentinels: set.sentinels, name: set.name, maxRetriesPerRequest: 3 }),
      failover: () => set.failover(),
      destroy: () => set.destroy(),
    };
  }
  if (topology === 'cluster') {
    const cluster: OwnCluster = await startOwnCluster(PREFIX);
    return {
      env: { REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',') },
      connect: () => new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 3 } }),
      failover: () => cluster.failover(),
      destroy: () => cluster.destroy(),
    };
  }
  const single = await startOwnRedis();
  return { env: { REDIS_URL: single.url }, connect: () => new Redis(single.url, { maxRetriesPerRequest: 1 }), single, failover: noFailover, destroy: () => single.destroy() };
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  // The fake reads its latency from this object on every answer, so a test can slow Telegram down.
  const fakeOptions = { latencyMs: 0 };
  const [ownPg, redis, fake] = await Promise.all([startOwnPostgres(), redisSetup(opts.topology ?? 'single'), new FakeTelegramServer(fakeOptions).start()]);
  const webPorts = await Promise.all(Array.from({ length: opts.webs ?? 1 }, () => freePort()));
  const databaseUrl = ownPg.url('sipas_faults');
  const env = {
    NODE_ENV: 'production',
    PSEUDONYM_KEY: 'fault-rig-pseudonym-key-at-least-32-characters',
    QUIET_HOURS: 'off',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: PREFIX,
    ...redis.env,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    TELEGRAM_BOT_TOKEN: TEST_TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_TG_SECRET,
    TELEGRAM_BOT_USERNAME: 'sipas_faults_bot',
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_CHAT_INTERVAL_MS: '50',
    OUTAGE_RETRY_MAX_MS: '2000',
    ...opts.env,
  };
  let webs: ScriptProcess[] = [];
  let workers: ScriptProcess[] = [];
  let output = '';
  const collect = (p: ScriptProcess, role: string) => p.exited.then(() => (output += `--- ${role} (pid ${p.pid}) ---\n${p.output()}\n`));
  const bases = webPorts.map((port) => `http://127.0.0.1:${port}`);
  const probe = redis.connect();
  probe.on('error', () => undefined);

  const startWeb = async () => {
    webs = webPorts.map((port) => spawnMain({ ...env, PORT: String(port) }, ['--web']));
    webs.forEach((w) => void collect(w, 'web'));
    await Promise.all(bases.map((base) => waitUntil(async () => fetch(`${base}/healthz`).then((r) => r.ok, () => false), 'web up', 90_000)));
  };
  // A worker is up once a heartbeat from a process not seen before is in Redis (a killed one's beat lingers).
  const beats = () => probe.zrange(`${PREFIX}:workers`, 0, -1).catch(() => [] as string[]);
  const startWorker = async () => {
    const before = new Set(await beats());
    const count = opts.workers ?? 1;
    workers = Array.from({ length: count }, () => spawnMain(env, ['--worker']));
    workers.forEach((w) => void collect(w, 'worker'));
    await waitUntil(async () => (await beats()).filter((id) => !before.has(id)).length >= count, 'new worker heartbeats', 90_000);
  };
  const kill = (ps: ScriptProcess[], signal: NodeJS.Signals) =>
    Promise.all(
      ps.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        p.child.kill(signal);
        await p.exited;
      }),
    );

  await startWeb();
  await startWorker();
  let turn = 0;
  const webhookUrl = () => `${bases[turn++ % bases.length]}/webhooks/telegram`;
  // A short questionnaire with every kind of question (filter, multi-choice, free text):
  // the faults are about storage, and 48 whole surveys go out within the bot's 25 messages/s.
  const def = loadDefinitionFile(new URL('../engine/fixtures/mini-survey.json', import.meta.url).pathname);
  const seeder = createPrismaClient(databaseUrl, { max: 1 });
  await seedQuestionnaires(seeder, [def]).finally(() => seeder.$disconnect());
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
  await fetch(`${bases[0]}/api/v1/units`, { method: 'PUT', headers: admin, body: JSON.stringify([{ code: 'SNV', name: 'Sở Nội vụ', group: 'so' }]) });
  const inbox = new Inbox(fake);
  let answers: Queue | undefined;
  const answersQueue = () => (answers ??= new Queue('answers', { connection: probe as ConnectionOptions, prefix: PREFIX }));
  const size = async (key: string) => {
    const type = await probe.type(key);
    return type === 'zset' ? probe.zcard(key) : type === 'list' ? probe.llen(key) : 0;
  };

  return {
    pg: ownPg,
    get redis(): OwnRedis {
      if (!redis.single) throw new Error('this rig runs Redis Sentinel or Cluster: use failoverRedis');
      return redis.single;
    },
    failoverRedis: () => redis.failover(),
    fake,
    def,
    databaseUrl,
    baseUrl: bases[0]!,
    startWeb,
    startWorker,
    killWeb: () => kill(webs, 'SIGKILL').then(() => undefined),
    killWorker: () => kill(workers, 'SIGKILL').then(() => undefined),
    stopWorker: () => kill(workers, 'SIGTERM').then(() => undefined),
    async invite(count) {
      const rows = Array.from({ length: count }, (_, i) => ({ unitCode: 'SNV', channel: 'telegram', questionnaire: `${def.code}@${def.version}`, dossierCode: `HS-${Date.now()}-${i}` }));
      // One by one: only the single create answers with the token (a bulk upload's results never name it).
      const tokens = await mapLimit(rows, 8, async (row) => {
        const res = await fetch(`${bases[0]}/api/v1/invitations`, { method: 'POST', headers: admin, body: JSON.stringify(row) });
        if (res.status !== 201) throw new Error(`invitation not created: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { token: string }).token;
      });
      return tokens.map((token) => `/start ${token}`);
    },
    drive(starts, firstChatId) {
      const delivery = { webhookUrl, secret: TEST_TG_SECRET, copies: 3, stepTimeoutMs: opts.stepTimeoutMs ?? 20_000 };
      return Promise.all(starts.map((start, i) => driveCitizen(delivery, inbox, def, firstChatId + i, firstChatId + i, start)));
    },
    async drained(timeoutMs = 120_000) {
      // One atomic read of every state (BullMQ's getCounts script): jobs retried through an
      // outage move delayed -> wait -> active -> delayed every few ms, and key-by-key reads
      // (each a TYPE, then an LLEN/ZCARD) can see every key empty while the jobs move on.
      // The outbox stream first: the relay deletes an entry only after its jobs are added.
      await waitUntil(async () => (await probe.xlen(`${PREFIX}:outbox`)) === 0 && Object.values(await answersQueue().getJobCounts(...PENDING_STATES)).every((n) => n === 0), 'answers drained', timeoutMs);
    },
    async midSurvey(n) {
      await waitUntil(() => fake.acceptedSendsTo().filter((c) => /^Câu 1\//.test(String(c.body.text))).length >= n, `${n} citizens at their first question`, 120_000);
    },
    async pauseAnswers(paused) {
      const queue = new Queue('answers', { connection: probe as ConnectionOptions, prefix: PREFIX });
      await (paused ? queue.pause() : queue.resume());
      await queue.close();
    },
    async waitForSends(chatId, n, timeoutMs = 30_000) {
      return waitUntil(
        () => {
          const count = fake.acceptedSendsTo(chatId).length;
          return count >= n ? count : false;
        },
        `${n} messages to chat ${chatId}`,
        timeoutMs,
      );
    },
    async post(update) {
      await deliverOnce({ webhookUrl, secret: TEST_TG_SECRET, copies: 1, stepTimeoutMs: 0 }, update, Date.now() + 120_000);
    },
    setTelegramLatency(ms) {
      fakeOptions.latencyMs = ms;
    },
    async transientRetries() {
      const [byQueue, failed, dead] = await Promise.all([probe.hgetall(`${PREFIX}:outage-retries`), size(`${PREFIX}:answers:failed`), size(`${PREFIX}:dead-letter:wait`)]);
      return { postponed: Object.values(byQueue).reduce((sum, n) => sum + Number(n), 0), failedJobs: failed + dead };
    },
    logs: () => output + [...webs, ...workers].map((p) => `--- ${p.name} (running, pid ${p.pid}) ---\n${p.output()}\n`).join(''),
    async close() {
      await answers?.close().catch(() => undefined);
      probe.disconnect();
      await kill([...webs, ...workers], 'SIGKILL');
      await fake.close();
      await redis.destroy();
      await ownPg.destroy();
    },
  };
}
