import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { FakeTelegramServer } from '../../test/support/fake-telegram-server.js';
import { cpuSecondsOf, sleep } from '../../test/support/spawn-script.js';
import { startBulk, waitBulkDone, type BulkBatch } from '../lib/bulk-invitations.js';
import { loadAverage, type LoadAverage } from '../lib/machine.js';
import { dbUrl } from '../lib/pg.js';
import { api, BENCH_TG_SECRET, startProduct } from '../lib/product.js';
import { deleteKeys } from '../lib/redis-keys.js';
import { percentiles, round2 } from '../lib/stats.js';
import { textUpdate } from '../webhook/telegram-update.js';

/** Own database and Redis prefix, so another benchmark running meanwhile cannot take this one's jobs. */
const BULK_DB = 'sipas_bench_bulk';
const BULK_PREFIX = '{bench-bulk}';
const PROBE_CHAT_BASE = 980_000_000;
const BULK_CHAT_BASE = 990_000_000;
/** What issue 17 allows: a 5,000-row upload may slow citizens' replies by at most this factor. */
export const BULK_SLOWDOWN_TARGET = 2;

export type BulkSizes = { rows: number; probesPerSecond: number; baselineMs: number };

/** Citizens' replies measured in one phase. */
export type ProbePhase = {
  name: 'baseline' | 'creation' | 'creationAndDelivery';
  durationMs: number;
  probes: number;
  /** Probes whose reply the fake accepted. */
  answered: number;
  /** From the webhook POST until its 200 (the update is in Redis). */
  ackMs: Record<string, number>;
  /** From the webhook POST until the fake Bot API accepted the bot's reply to that chat. */
  replyMs: Record<string, number>;
  maxReplyMs: number;
  /** The bulk upload running meanwhile (absent for the baseline). */
  bulk?: { rows: number; withRecipients: boolean; created: number; errors: number; createMs: number; rowsPerSecond: number };
};

export type Slowdown = { ackP50: number; ackP99: number; replyP50: number; replyP99: number };

export type BulkResult = {
  sizes: BulkSizes;
  phases: ProbePhase[];
  /** Each upload phase over the baseline, per figure. */
  slowdown: Record<'creation' | 'creationAndDelivery', Slowdown>;
  /** Invitations of the delivering upload the fake had accepted when the run ended. */
  delivered: number;
  productCpuSeconds: number;
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

/**
 * Open-loop probes: `probesPerSecond` citizens a second, each from a new chat, send
 * `/start <token>` of an invitation through the webhook (as Telegram delivers it) while
 * `running()` holds; the bot answers with the consent question.
 */
async function probe(o: { url: string; fake: FakeTelegramServer; tokens: string[]; nextChat: () => number; perSecond: number; running: () => boolean }) {
  const sent: { chat: number; at: number; ack?: number }[] = [];
  const inFlight: Promise<void>[] = [];
  const every = 1000 / o.perSecond;
  const t0 = Date.now();
  for (let i = 0; o.running(); i++) {
    const due = t0 + i * every;
    if (due > Date.now()) await sleep(due - Date.now());
    const token = o.tokens.pop();
    if (!token) throw new Error('bulk bench: out of probe invitations');
    const chat = o.nextChat();
    const entry: (typeof sent)[number] = { chat, at: Date.now() };
    sent.push(entry);
    inFlight.push(
      fetch(`${o.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_TG_SECRET },
        body: JSON.stringify(textUpdate(chat - PROBE_CHAT_BASE + 1, chat, `/start ${token}`, Math.floor(Date.now() / 1000))),
      }).then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`bulk bench: webhook answered ${res.status}`);
        entry.ack = Date.now() - entry.at;
      }),
    );
  }
  const durationMs = Date.now() - t0;
  await Promise.all(inFlight);
  // Replies still on their way: a few seconds at most.
  for (const until = Date.now() + 15_000; Date.now() < until && sent.some((s) => !o.fake.acceptedFor(s.chat)); ) await sleep(50);
  const replies = sent.flatMap((s) => {
    const first = o.fake.acceptedFor(s.chat)?.firstAt;
    return first === undefined ? [] : [first - s.at];
  });
  return {
    durationMs,
    probes: sent.length,
    answered: replies.length,
    ackMs: percentiles(sent.map((s) => s.ack!), [50, 90, 99]),
    replyMs: percentiles(replies, [50, 90, 99]),
    maxReplyMs: replies.length ? Math.max(...replies) : NaN,
  };
}

/** A 5,000-row one-stop-shop export (";", Vietnamese headers); `chats`: each row names a Telegram chat to deliver to. */
function uploadCsv(rows: number, units: string[], run: string, chats: boolean): string {
  const lines = ['\uFEFFMã đơn vị;Kênh;Mã thủ tục;Mã hồ sơ;Mã Telegram'];
  for (let i = 0; i < rows; i++) lines.push(`${units[i % units.length]};telegram;1.000656;BULK-${run}-${i};${chats ? BULK_CHAT_BASE + i : ''}`);
  return lines.join('\r\n');
}

/**
 * Issue 17's benchmark: citizens' webhook replies (the ack, and the reply the fake Bot API
 * accepts) in one product process (`src/main.ts`, web and workers, as `npm start`) without
 * a bulk upload, then while a 5,000-row upload is created in the background (rows without
 * recipient: the creation work alone), then while another is created and delivered (every
 * row names a chat: its invitations go out through the paced Telegram queue too).
 */
export async function runBulkBench(o: { sizes: BulkSizes; logDir: string; log: (s: string) => void }): Promise<BulkResult> {
  const { sizes, log } = o;
  await deleteKeys(BULK_PREFIX);
  const fake = await new FakeTelegramServer({ recordCalls: false, username: 'sipas_bench_bot' }).start();
  const product = await startProduct({ database: BULK_DB, prefix: BULK_PREFIX, telegramApiRoot: fake.url, logDir: o.logDir, label: 'bulk' });
  const db = new pg.Pool({ connectionString: dbUrl(BULK_DB), max: 2 });
  const url = product.url!;
  try {
    const units = Array.from({ length: 20 }, (_, i) => ({ code: `BULK-${i + 1}`, name: `Bộ phận Một cửa ${i + 1}`, group: 'commune' }));
    await api(`${url}/api/v1/units`, 'PUT', units);
    await db.query('TRUNCATE invitations, invitation_batches, outbound_messages CASCADE');
    // Probe invitations (no recipient: the citizen opens them by their link), one per probe with room to spare.
    const expectedSeconds = sizes.baselineMs / 1000 + 2 * 120;
    const tokens: string[] = [];
    for (let i = 0; i < Math.ceil(sizes.probesPerSecond * expectedSeconds); i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, k) => api<{ token: string }>(`${url}/api/v1/invitations`, 'POST', { unitCode: units[(i + k) % units.length]!.code, channel: 'telegram', dossierCode: `PROBE-${i + k}` })),
      );
      tokens.push(...batch.map((r) => r.json.token));
    }
    let chat = PROBE_CHAT_BASE;
    const probes = (running: () => boolean) => probe({ url, fake, tokens, nextChat: () => chat++, perSecond: sizes.probesPerSecond, running });
    const loadBefore = loadAverage();
    const cpu0 = cpuSecondsOf(product.proc.pid) ?? 0;

    log(`bulk: baseline, ${sizes.probesPerSecond} citizens/s for ${sizes.baselineMs / 1000} s`);
    const t0 = Date.now();
    const phases: ProbePhase[] = [{ name: 'baseline', ...(await probes(() => Date.now() - t0 < sizes.baselineMs)) }];

    for (const withRecipients of [false, true]) {
      const name = withRecipients ? 'creationAndDelivery' : 'creation';
      const csv = uploadCsv(sizes.rows, units.map((u) => u.code), withRecipients ? 'D' : 'C', withRecipients);
      const s0 = Date.now();
      const started = await startBulk(url, csv);
      let done: BulkBatch | undefined;
      const waiting = waitBulkDone(url, started.batchId, { everyMs: 500 }).then((b) => {
        done = b;
      });
      log(`bulk: ${name}, ${sizes.rows} rows uploaded (${started.accepted} accepted); probing until the batch is done`);
      const measured = await probes(() => !done);
      await waiting;
      const createMs = Date.now() - s0;
      phases.push({ name, ...measured, bulk: { rows: sizes.rows, withRecipients, created: done!.created, errors: done!.errors, createMs, rowsPerSecond: round2((done!.created / createMs) * 1000) } });
      log(`bulk: ${name}: ${done!.created} created in ${createMs} ms; ack p50/p99 ${measured.ackMs.p50}/${measured.ackMs.p99} ms, reply p50/p99 ${measured.replyMs.p50}/${measured.replyMs.p99} ms`);
    }
    const cpu1 = cpuSecondsOf(product.proc.pid) ?? 0;
    const base = phases[0]!;
    const over = (name: ProbePhase['name']): Slowdown => {
      const p = phases.find((x) => x.name === name)!;
      const r = (f: (x: ProbePhase) => number) => round2(f(p) / f(base));
      return { ackP50: r((x) => x.ackMs.p50!), ackP99: r((x) => x.ackMs.p99!), replyP50: r((x) => x.replyMs.p50!), replyP99: r((x) => x.replyMs.p99!) };
    };
    let delivered = 0;
    for (let i = 0; i < sizes.rows; i++) if (fake.acceptedFor(BULK_CHAT_BASE + i)) delivered++;
    return {
      sizes,
      phases,
      slowdown: { creation: over('creation'), creationAndDelivery: over('creationAndDelivery') },
      delivered,
      productCpuSeconds: round2(cpu1 - cpu0),
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    await db.end();
    await product.proc.stop(60_000);
    await fake.close();
    await deleteKeys(BULK_PREFIX);
  }
}

/** Standalone run for iteration: `npx tsx bench/bulk/bench-bulk.ts [--rows 5000] [--baseline-ms 10000]` (same database and prefix as in `npm run bench`). */
async function main(): Promise<void> {
  const arg = (flag: string, fallback: number) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const dir = path.join('bench', 'results', `bulk-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const r = await runBulkBench({ sizes: { rows: arg('--rows', 5000), probesPerSecond: arg('--probes', 5), baselineMs: arg('--baseline-ms', 10_000) }, logDir: dir, log });
  writeFileSync(path.join(dir, 'bulk.json'), JSON.stringify(r, null, 2));
  log(JSON.stringify(r, null, 2));
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
