import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS } from '../../src/queues/job-defaults.js';
import { outboundJobs } from '../../src/outbound/outbound-job.js';
import type { FakeBotApi, FakeBotApiStats } from '../lib/fake-bot-api.js';
import { loadAverage, type LoadAverage } from '../lib/machine.js';
import { cpuSecondsOf, sampleRss, sleep } from '../lib/proc.js';
import { BENCH_PREFIX, startProduct } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { round2 } from '../lib/stats.js';
import { PRODUCT_DB } from '../webhook/bench-webhook.js';

/** The limiter configured for the Telegram outbound queue in src/runtime/worker-registrations.ts. */
export const CONFIGURED_JOBS_PER_SECOND = 25;
const FAKE_LIMITS = { globalPerSecond: 30, perChatIntervalMs: 1000 };

export type BroadcastResult = {
  messages: number;
  chats: number;
  singleMessageChats: number;
  burstChats: number;
  burstSize: number;
  configuredJobsPerSecond: number;
  fakeLimits: typeof FAKE_LIMITS;
  /** From resuming the queue until the fake accepted the last message. */
  durationMs: number;
  achievedPerSecond: number;
  /** Accepted messages between the first and the last accepted one. */
  steadyPerSecond: number;
  completed: boolean;
  fake: FakeBotApiStats;
  failedJobs: number;
  workerCpuSeconds: number;
  rss: { peakRssMiB: number; hwmMiB: number };
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

/**
 * The messages of the run: `singles` chats get one message each (the broadcast proper:
 * invitations), `bursts` chats get `burstSize` consecutive messages (a conversation's
 * replies, or an invitation followed by reminders) — enqueued back to back, which is
 * where per-chat order and the per-chat limit are at stake. Texts carry "#<seq>" for
 * the fake's order check.
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

/** Benchmark 4: N outbound messages through the product's Telegram queue against a fake that enforces Telegram's limits. */
export async function runBroadcastBench(o: { messages: number; fake: FakeBotApi; logDir: string; log: (s: string) => void }): Promise<BroadcastResult> {
  await deleteKeys(BENCH_PREFIX);
  o.fake.reset();
  o.fake.setLimits(FAKE_LIMITS);
  const worker = await startProduct({ database: PRODUCT_DB, telegramApiRoot: o.fake.url, logDir: o.logDir, label: 'broadcast', role: 'worker' });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(outboundJobs.telegram.queue, { connection, prefix: BENCH_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  try {
    const p = plan(o.messages);
    await queue.pause();
    for (let i = 0; i < p.jobs.length; i += 1000) {
      await queue.addBulk(
        p.jobs.slice(i, i + 1000).map((j, k) => {
          const data = outboundJobs.telegram.schema.parse({
            batchId: `bc-${i + k}`,
            userRef: String(j.chatId),
            messages: [{ type: 'text', text: `#${j.seq} Kính mời Ông/Bà tham gia khảo sát mức độ hài lòng (SIPAS).` }],
            kind: 'reminder',
          });
          return { name: outboundJobs.telegram.name, data, opts: { jobId: outboundJobs.telegram.jobId(data) } };
        }),
      );
    }
    o.log(`broadcast: ${p.jobs.length} messages queued (${p.singles} single-message chats, ${p.bursts} chats × ${p.burstSize}); sending at the configured ${CONFIGURED_JOBS_PER_SECOND} jobs/s`);
    const loadBefore = loadAverage();
    const cpu0 = cpuSecondsOf(worker.proc.pid) ?? 0;
    const rss = sampleRss(worker.proc.pid, 200);
    const t0 = Date.now();
    await queue.resume();
    // Generous bound: three times the time the configured rate needs.
    const deadline = t0 + Math.max(60_000, (o.messages / CONFIGURED_JOBS_PER_SECOND) * 3000);
    let lastLog = t0;
    while (o.fake.stats().accepted < o.messages && Date.now() < deadline) {
      await sleep(100);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        const s = o.fake.stats();
        o.log(`broadcast: ${s.accepted}/${o.messages} accepted, 429s ${s.rejected429Global} global / ${s.rejected429PerChat} per chat`);
      }
    }
    const durationMs = Date.now() - t0;
    const fake = o.fake.stats();
    const cpu1 = cpuSecondsOf(worker.proc.pid) ?? 0;
    const mem = rss.stop();
    for (let i = 0; i < 50; i++) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed');
      if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
      await sleep(100);
    }
    const failedJobs = (await queue.getJobCounts('failed')).failed ?? 0;
    const steadyMs = fake.firstAcceptedAt && fake.lastAcceptedAt ? fake.lastAcceptedAt - fake.firstAcceptedAt : 0;
    return {
      messages: o.messages,
      chats: p.singles + p.bursts,
      singleMessageChats: p.singles,
      burstChats: p.bursts,
      burstSize: p.burstSize,
      configuredJobsPerSecond: CONFIGURED_JOBS_PER_SECOND,
      fakeLimits: FAKE_LIMITS,
      durationMs,
      achievedPerSecond: round2((fake.accepted / durationMs) * 1000),
      steadyPerSecond: steadyMs > 0 ? round2(((fake.accepted - 1) / steadyMs) * 1000) : 0,
      completed: fake.accepted >= o.messages,
      fake,
      failedJobs,
      workerCpuSeconds: round2(cpu1 - cpu0),
      rss: mem,
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    o.fake.setLimits(undefined);
    await queue.close();
    connection.disconnect();
    await worker.proc.stop(60_000);
    await deleteKeys(BENCH_PREFIX);
  }
}
