import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { enqueueOutboundMany } from '../../src/outbound/enqueue-outbound.js';
import { outboundJobs } from '../../src/queues/job-catalog.js';
import { TELEGRAM_MESSAGES_PER_SECOND } from '../../src/channels/telegram/telegram-lanes.js';
import { JobQueues } from '../../src/queues/job-queues.js';
import { QUEUE } from '../../src/queues/queue-names.js';
import { FakeBotApi, type FakeBotApiStats } from '../lib/fake-bot-api.js';
import { loadAverage, type LoadAverage } from '../lib/machine.js';
import { cpuSecondsOf, sampleRss, sleep } from '../lib/proc.js';
import pg from 'pg';
import { MAX_BULK_INVITATIONS } from '../../src/invitations/parse-bulk-invitations.js';
import { dbUrl } from '../lib/pg.js';
import { api, BENCH_TG_SECRET, startProduct } from '../lib/product.js';
import { benchUnits } from '../lib/units.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { percentiles, round2 } from '../lib/stats.js';
import { textUpdate } from '../webhook/telegram-update.js';

/** The bot-wide rate the Telegram outbound lanes are configured for (src/outbound/outbound-lanes.ts), in messages/s. */
export const CONFIGURED_JOBS_PER_SECOND = TELEGRAM_MESSAGES_PER_SECOND;
const FAKE_LIMITS = { globalPerSecond: 30, perChatIntervalMs: 1000 };
/** Own database and Redis prefix, so a benchmark of another kind running meanwhile cannot clear this one's queue. */
const BROADCAST_DB = 'sipas_bench_broadcast';
const BROADCAST_PREFIX = '{bench-broadcast}';
/** Citizens who write to the bot while the broadcast drains: one every PROBE_EVERY_MS, from PROBE_FROM_MS after the start. */
const REPLY_PROBES = 20;
const PROBE_EVERY_MS = 2000;
const PROBE_FROM_MS = 3000;
const PROBE_CHAT_BASE = 970_000_000;

export type ReplyProbes = {
  sent: number;
  /** Probes whose first reply the fake accepted before the broadcast finished. */
  answered: number;
  /** From the webhook POST until the fake accepted the first reply message to that chat. */
  latencyMs: Record<string, number>;
  maxMs: number;
  /** Broadcast messages still queued when each probe was posted (median). */
  backlogAtProbe: number;
};

export type BroadcastResult = {
  messages: number;
  chats: number;
  singleMessageChats: number;
  burstChats: number;
  burstSize: number;
  /** Messages per second configured (one message per job here, so also jobs per second). */
  configuredJobsPerSecond: number;
  fakeLimits: typeof FAKE_LIMITS;
  /** Time to create the invitations through the bulk API and enqueue the bursts (not counted in durationMs). */
  enqueueMs: number;
  /** The broadcast proper: invitations created through `POST /api/v1/invitations/bulk`, one per single-message chat. */
  invitations: { requested: number; created: number; bulkRequests: number; createMs: number; sent: number; undeliverable: number };
  /** From resuming the queue until the fake accepted the last message. */
  durationMs: number;
  achievedPerSecond: number;
  /** Accepted messages between the first and the last accepted one. */
  steadyPerSecond: number;
  completed: boolean;
  fake: FakeBotApiStats;
  /** Conversations during the broadcast: how long a citizen who writes waits for the bot's answer. */
  replies: ReplyProbes;
  failedJobs: number;
  workerCpuSeconds: number;
  rss: { peakRssMiB: number; hwmMiB: number };
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

/**
 * The messages of the run: `singles` chats get one message each — the broadcast proper,
 * invitations created through the product's bulk API and delivered by its invitations
 * worker — and `bursts` chats get `burstSize` consecutive messages (a conversation's
 * replies, or reminders) enqueued back to back through the product's outbound helper,
 * which is where per-chat order and the per-chat limit are at stake. Burst texts carry
 * "#<seq>" for the fake's order check.
 */
function plan(messages: number): { jobs: { chatId: number; seq: number }[]; singles: number; bursts: number; burstSize: number } {
  const burstSize = 4;
  const bursts = Math.floor((messages * 0.4) / burstSize);
  const singles = messages - bursts * burstSize;
  const jobs: { chatId: number; seq: number }[] = [];
  const perBlock = Math.max(1, Math.floor(singles / Math.max(1, bursts)));
  let s = 0;
  for (let b = 0; b < Math.max(bursts, 1); b++) {
    for (let i = 0; i < perBlock && s < singles; i++, s++) jobs.push({ chatId: 900_000_000 + s, seq: 1 });
    if (b < bursts) for (let k = 1; k <= burstSize; k++) jobs.push({ chatId: 950_000_000 + b, seq: k });
  }
  for (; s < singles; s++) jobs.push({ chatId: 900_000_000 + s, seq: 1 });
  return { jobs, singles, bursts, burstSize };
}

/**
 * While the broadcast drains, citizens write to the bot (`/start` from a new chat, through
 * the webhook, as Telegram delivers it): the time until the bot's first answer reaches the
 * fake says whether conversations wait behind the broadcast's backlog.
 */
function startReplyProbes(productUrl: string, fake: FakeBotApi, broadcastSize: number) {
  const chats = Array.from({ length: REPLY_PROBES }, (_, i) => PROBE_CHAT_BASE + i);
  const postedAt = new Map<number, number>();
  const backlog: number[] = [];
  const accepted = () => chats.reduce((s, c) => s + (fake.acceptedFor(c)?.count ?? 0), 0);
  let stopped = false;
  const run = (async () => {
    await sleep(PROBE_FROM_MS);
    for (const [i, chatId] of chats.entries()) {
      if (stopped) break;
      backlog.push(broadcastSize - (fake.stats().accepted - accepted()));
      postedAt.set(chatId, Date.now());
      const res = await fetch(`${productUrl}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_TG_SECRET },
        body: JSON.stringify(textUpdate(800_000_000 + i, chatId, '/start', Math.floor(Date.now() / 1000))),
      });
      if (res.status !== 200) throw new Error(`reply probe: webhook answered ${res.status}`);
      await sleep(PROBE_EVERY_MS);
    }
  })();
  return {
    accepted,
    async result(): Promise<{ accepted: number; summary: ReplyProbes }> {
      stopped = true;
      await run;
      const waits = [...postedAt].flatMap(([chat, at]) => {
        const first = fake.acceptedFor(chat)?.firstAt;
        return first === undefined ? [] : [first - at];
      });
      const latencyMs = percentiles(waits, [50, 90, 99]);
      return { accepted: accepted(), summary: { sent: postedAt.size, answered: waits.length, latencyMs, maxMs: waits.length ? Math.max(...waits) : NaN, backlogAtProbe: percentiles(backlog, [50]).p50! } };
    },
  };
}

/** Benchmark 4: N outbound messages through the product's Telegram queue against a fake that enforces Telegram's limits. */
export async function runBroadcastBench(o: { messages: number; fake: FakeBotApi; logDir: string; log: (s: string) => void }): Promise<BroadcastResult> {
  await deleteKeys(BROADCAST_PREFIX);
  o.fake.reset();
  o.fake.setLimits(FAKE_LIMITS);
  // Web and workers in one process (as `npm start`): the bulk API, the invitations worker and the sender.
  const product = await startProduct({ database: BROADCAST_DB, prefix: BROADCAST_PREFIX, telegramApiRoot: o.fake.url, logDir: o.logDir, label: 'broadcast' });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = new JobQueues(connection, BROADCAST_PREFIX);
  const queue = queues.queue(QUEUE.outboundTelegram);
  const db = new pg.Pool({ connectionString: dbUrl(BROADCAST_DB), max: 2 });
  try {
    const p = plan(o.messages);
    await api(`${product.url}/api/v1/units`, 'PUT', benchUnits());
    await db.query('TRUNCATE invitations, outbound_messages CASCADE');
    // Nothing is sent until everything is queued, so the run measures pacing, not the enqueue.
    await queue.pause();
    const e0 = Date.now();
    const units = benchUnits();
    const singles = p.jobs.filter((j) => j.seq === 1 && j.chatId < 950_000_000);
    let created = 0;
    let bulkRequests = 0;
    for (let i = 0; i < singles.length; i += MAX_BULK_INVITATIONS) {
      const rows = singles.slice(i, i + MAX_BULK_INVITATIONS).map((j, k) => ({
        unitCode: units[(i + k) % units.length]!.code,
        channel: 'telegram',
        procedureCode: '1.001234',
        dossierCode: `BC-${i + k}`,
        recipient: { telegramChatId: String(j.chatId) },
      }));
      const res = await api<{ created: number; errors: number }>(`${product.url}/api/v1/invitations/bulk`, 'POST', { invitations: rows });
      bulkRequests++;
      created += res.json.created;
      if (res.json.errors > 0) throw new Error(`bulk invitations: ${res.json.errors} rows refused`);
    }
    const createMs = Date.now() - e0;
    // The invitations worker turns each invitation into an outbound job (numbered in its chat's lane).
    for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; await sleep(200)) {
      const c = await queue.getJobCounts('waiting', 'prioritized');
      if ((c.waiting ?? 0) + (c.prioritized ?? 0) >= singles.length) break;
    }
    // The bursts through the product's helper, as the product enqueues replies: each job gets its chat's next sequence number.
    const bursts = p.jobs.filter((j) => j.chatId >= 950_000_000);
    for (let i = 0; i < bursts.length; i += 1000) {
      await enqueueOutboundMany(
        { queues, redis: connection, prefix: BROADCAST_PREFIX },
        outboundJobs.telegram,
        bursts.slice(i, i + 1000).map((j, k) => ({
          batchId: `bc-${i + k}`,
          userRef: String(j.chatId),
          messages: [{ type: 'text', text: `#${j.seq} Kính mời Ông/Bà tiếp tục trả lời phiếu khảo sát mức độ hài lòng (SIPAS).` }],
          kind: 'reminder',
        })),
      );
    }
    const enqueueMs = Date.now() - e0;
    o.log(
      `broadcast: ${created} invitations created through ${bulkRequests} bulk requests in ${createMs} ms and ${bursts.length} burst messages enqueued; ${p.jobs.length} messages queued in ${enqueueMs} ms (${p.singles} single-message chats, ${p.bursts} chats × ${p.burstSize}); sending at the configured ${CONFIGURED_JOBS_PER_SECOND} messages/s`,
    );
    const loadBefore = loadAverage();
    const cpu0 = cpuSecondsOf(product.proc.pid) ?? 0;
    const rss = sampleRss(product.proc.pid, 200);
    const t0 = Date.now();
    await queue.resume();
    const probes = startReplyProbes(product.url!, o.fake, o.messages);
    const broadcastAccepted = () => o.fake.stats().accepted - probes.accepted();
    // Generous bound: three times the time the configured rate needs.
    const deadline = t0 + Math.max(60_000, (o.messages / CONFIGURED_JOBS_PER_SECOND) * 3000);
    let lastLog = t0;
    while (broadcastAccepted() < o.messages && Date.now() < deadline) {
      await sleep(100);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        const s = o.fake.stats();
        o.log(`broadcast: ${s.accepted}/${o.messages} accepted, 429s ${s.rejected429Global} global / ${s.rejected429PerChat} per chat, out of order ${s.outOfOrder}`);
      }
    }
    const durationMs = Date.now() - t0;
    const replies = await probes.result();
    const fake = o.fake.stats();
    const cpu1 = cpuSecondsOf(product.proc.pid) ?? 0;
    const mem = rss.stop();
    for (let i = 0; i < 50; i++) {
      const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      if ((c.waiting ?? 0) + (c.prioritized ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
      await sleep(100);
    }
    const failedJobs = (await queue.getJobCounts('failed')).failed ?? 0;
    const statuses = await db.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM invitations GROUP BY 1`);
    const byStatus = new Map(statuses.rows.map((r) => [r.status, r.n]));
    const steadyMs = fake.firstAcceptedAt && fake.lastAcceptedAt ? fake.lastAcceptedAt - fake.firstAcceptedAt : 0;
    return {
      messages: o.messages,
      chats: p.singles + p.bursts,
      singleMessageChats: p.singles,
      burstChats: p.bursts,
      burstSize: p.burstSize,
      configuredJobsPerSecond: CONFIGURED_JOBS_PER_SECOND,
      fakeLimits: FAKE_LIMITS,
      enqueueMs,
      invitations: { requested: singles.length, created, bulkRequests, createMs, sent: byStatus.get('sent') ?? 0, undeliverable: byStatus.get('undeliverable') ?? 0 },
      durationMs,
      // The probes' replies go through the same pacer, so they count in the achieved rate.
      achievedPerSecond: round2((fake.accepted / durationMs) * 1000),
      steadyPerSecond: steadyMs > 0 ? round2(((fake.accepted - 1) / steadyMs) * 1000) : 0,
      completed: fake.accepted - replies.accepted >= o.messages,
      fake,
      replies: replies.summary,
      failedJobs,
      workerCpuSeconds: round2(cpu1 - cpu0),
      rss: mem,
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    o.fake.setLimits(undefined);
    await queues.close();
    connection.disconnect();
    await db.end();
    await product.proc.stop(60_000);
    await deleteKeys(BROADCAST_PREFIX);
  }
}

/** Standalone run for iteration: `npx tsx bench/broadcast/bench-broadcast.ts [--messages 2000]` (same database, prefix and fake as in `npm run bench`). */
async function main(): Promise<void> {
  const i = process.argv.indexOf('--messages');
  const messages = i > 0 ? Number(process.argv[i + 1]) : 2000;
  const logDir = path.join('bench', 'results', `broadcast-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(logDir, { recursive: true });
  const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const fake = await new FakeBotApi().start();
  try {
    const r = await runBroadcastBench({ messages, fake, logDir, log });
    const f = r.fake;
    log(JSON.stringify(r, null, 2));
    log(
      `${r.messages} messages in ${(r.durationMs / 1000).toFixed(1)} s: ${r.achievedPerSecond}/s (steady ${r.steadyPerSecond}/s) of ${r.configuredJobsPerSecond}/s configured; ` +
        `429s ${f.rejected429Global} global / ${f.rejected429PerChat} per chat; out of order ${f.outOfOrder} (${f.chatsWithOutOfOrder} chats); repeated ${f.duplicates}; ` +
        `max ${f.maxAcceptedInRollingSecond} in a rolling second; min gap in one chat ${f.minChatGapMs ?? '–'} ms; failed jobs ${r.failedJobs}; ` +
        `replies during the broadcast: ${r.replies.answered}/${r.replies.sent} answered, wait p50 ${r.replies.latencyMs.p50} ms, max ${r.replies.maxMs} ms (backlog ${r.replies.backlogAtProbe})`,
    );
  } finally {
    await fake.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
