/**
 * Load generator (its own process): N simulated citizens, each posting a whole sipas-2017
 * survey to a Telegram webhook as real-shaped updates — `/start <token>`, the consent
 * button, then one update per question — strictly in order per chat (the next update
 * only after the previous one was acknowledged, as Telegram delivers per chat), all chats
 * at once. A non-2xx answer is retried like Telegram would (same update, after a pause).
 *
 * Closed loop (default): every citizen sends its next update as soon as the previous one
 * is acknowledged, so the load is whatever the target can take, and latency is mostly
 * time spent queued behind the other citizens. Open loop (`ratePerSecond`): the citizens
 * together offer a fixed rate — each sends one update every `citizens / ratePerSecond`
 * seconds, their starts spread over one such interval — so latency is measured at a
 * known load. A citizen whose previous update is still unacknowledged when its next one
 * is due sends it right after the ack and the send counts as late (the target fell behind).
 * With `concurrent`, citizens arrive over time instead of all at once (see LoadInput).
 *
 *   node --import tsx bench/webhook/load-generator.ts <input.json> <output.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { latestBuiltinQuestionnaire } from '../../src/index.js';
import { percentiles, round2 } from '../lib/stats.js';
import { citizenPlan } from '../../test/support/survey-plan.js';
import { callbackUpdate, textUpdate } from './telegram-update.js';

export type LoadInput = {
  /** Webhook URL on 127.0.0.1. */
  url: string;
  secret: string;
  citizens: { chatId: number; chatIndex: number; startText: string }[];
  /** update_id of a citizen's step s = updateIdBase + citizen position * 100 + s. */
  updateIdBase: number;
  /** Attempts per update before the citizen gives up. */
  maxAttempts: number;
  questionnaire: string;
  /** Open loop: updates per second offered by all citizens together (absent: closed loop). */
  ratePerSecond?: number;
  /**
   * Open loop with steady arrivals: the citizens arrive evenly over two surveys' time, so in
   * the middle stretch (one survey long) exactly this many answer at once and starts are
   * spread as in a steady stream of citizens; only that stretch is measured.
   */
  concurrent?: number;
  /** Target processes whose loop probe (loop-probe.ts) is signalled when the first update leaves and after the last is acknowledged: its window is the load phase. */
  probePids?: number[];
};

export type LoadOutput = {
  citizens: number;
  updates: number;
  attempts: number;
  durationMs: number;
  updatesPerSecond: number;
  latencyMs: Record<string, number>;
  /** Steady arrivals: the measured stretch (the rate counts acks inside it; latencies and late sends are of the sends due in it). */
  measuredWindowMs?: number;
  measuredUpdates?: number;
  /** The steady rate counts acks in the stretch (results without it counted sends due there: only right for a target that kept up). */
  rateFromAcks?: boolean;
  /** The /start updates alone (absent in results written before it existed). */
  startLatencyMs?: Record<string, number>;
  statusCounts: Record<string, number>;
  abandonedCitizens: number;
  citizenSurveyMs: Record<string, number>;
  startedAt: number;
  finishedAt: number;
  generatorCpuSeconds: number;
  /** Open loop only: the offered rate, and sends that left after their due time because the previous update was still unacknowledged. */
  offeredPerSecond: number | null;
  lateSends: number;
};

const [inputPath, outputPath] = process.argv.slice(2);
if (!inputPath || !outputPath) {
  process.stderr.write('usage: load-generator.ts <input.json> <output.json>\n');
  process.exit(2);
}
const input = JSON.parse(readFileSync(inputPath, 'utf8')) as LoadInput;
const def = latestBuiltinQuestionnaire(input.questionnaire);
if (!def) throw new Error(`questionnaire ${input.questionnaire} not found`);

const target = new URL(input.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, input.citizens.length), scheduling: 'fifo' });
const latencies: number[] = [];
/** The first update of each survey (/start, which resolves its invitation in PostgreSQL) apart from the rest. */
const startLatencies: number[] = [];
const statusCounts: Record<string, number> = {};
let attempts = 0;
let updates = 0;
let abandoned = 0;
let lateSends = 0;
const concurrent = input.concurrent ?? input.citizens.length;
const interval = input.ratePerSecond ? (concurrent / input.ratePerSecond) * 1000 : 0;
const steady = interval > 0 && input.concurrent !== undefined;
/** One survey's time at the offered rate (steady arrivals): citizens arrive over twice this; the second stretch is measured. */
const surveyMs = steady ? (input.citizens.reduce((sum, c) => sum + 2 + citizenPlan(def, c.chatIndex).steps.length, 0) / input.citizens.length) * interval : 0;
let windowUpdates = 0;
let windowAcks = 0;
let runStart = 0;

function post(body: string): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': input.secret },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
        res.on('error', () => resolve({ status: -1, ms: performance.now() - t0 }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: -1, ms: performance.now() - t0 }));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function citizen(pos: number, c: LoadInput['citizens'][number]): Promise<number> {
  const plan = citizenPlan(def!, c.chatIndex);
  const date = Math.floor(Date.now() / 1000);
  const base = input.updateIdBase + pos * 100;
  const bodies = [
    JSON.stringify(textUpdate(base, c.chatId, c.startText, date)),
    JSON.stringify(callbackUpdate(base + 1, c.chatId, 's:consent:yes', 1, date)),
    ...plan.steps.map((s, i) =>
      JSON.stringify(s.kind === 'text' ? textUpdate(base + 2 + i, c.chatId, s.text, date) : callbackUpdate(base + 2 + i, c.chatId, s.data, 10 + i, date)),
    ),
  ];
  const t0 = performance.now();
  // Open loop: this citizen's sends are due every `interval` ms from its own offset.
  let due = t0 + ((steady ? 2 * surveyMs : interval) * pos) / input.citizens.length;
  for (const [k, body] of bodies.entries()) {
    const measured = !steady || (due - runStart >= surveyMs && due - runStart < 2 * surveyMs);
    if (interval > 0) {
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else if (wait < -1 && measured) lateSends++;
      due += interval;
    }
    let ok = false;
    for (let attempt = 1; attempt <= input.maxAttempts && !ok; attempt++) {
      const r = await post(body);
      attempts++;
      if (measured) latencies.push(r.ms);
      if (measured && k === 0) startLatencies.push(r.ms);
      statusCounts[String(r.status)] = (statusCounts[String(r.status)] ?? 0) + 1;
      ok = r.status >= 200 && r.status < 300;
      // Telegram backs off before redelivering; keep it short so the run stays a load test.
      if (!ok) await sleep(Math.min(1000, 50 * attempt));
    }
    if (!ok) {
      abandoned++;
      return performance.now() - t0;
    }
    updates++;
    if (measured) windowUpdates++;
    // The achieved rate counts acknowledgements inside the stretch, so a target that falls behind shows it.
    const ackAt = performance.now() - runStart;
    if (ackAt >= surveyMs && ackAt < 2 * surveyMs) windowAcks++;
  }
  return performance.now() - t0;
}

const signalProbes = () => {
  for (const pid of input.probePids ?? []) process.kill(pid, 'SIGUSR2');
};
const cpu0 = process.cpuUsage();
signalProbes();
const startedAt = Date.now();
const t0 = performance.now();
runStart = t0;
const citizenMs = await Promise.all(input.citizens.map((c, i) => citizen(i, c)));
const durationMs = performance.now() - t0;
signalProbes();
const finishedAt = Date.now();
const cpu = process.cpuUsage(cpu0);
agent.destroy();

const out: LoadOutput = {
  citizens: input.citizens.length,
  updates,
  attempts,
  durationMs: round2(durationMs),
  updatesPerSecond: round2(steady ? (windowAcks / surveyMs) * 1000 : (updates / durationMs) * 1000),
  ...(steady ? { measuredWindowMs: round2(surveyMs), measuredUpdates: windowUpdates, rateFromAcks: true } : {}),
  latencyMs: { ...percentiles(latencies, [50, 90, 99, 100]), mean: round2(latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length)) },
  startLatencyMs: percentiles(startLatencies, [50, 99, 100]),
  statusCounts,
  abandonedCitizens: abandoned,
  citizenSurveyMs: percentiles(citizenMs, [50, 99]),
  startedAt,
  finishedAt,
  generatorCpuSeconds: round2((cpu.user + cpu.system) / 1e6),
  offeredPerSecond: input.ratePerSecond ?? null,
  lateSends,
};
writeFileSync(outputPath, JSON.stringify(out));
