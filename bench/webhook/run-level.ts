import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { latestBuiltinQuestionnaire } from '../../src/index.js';
import { cpuSecondsOf, sampleRss, sleep, spawnScript } from '../../test/support/spawn-script.js';
import { citizenPlan } from '../../test/support/survey-plan.js';
import { busyShare, cpuTimes, loadAverage, serviceCpuDelta, serviceCpuSeconds, type LoadAverage } from '../lib/machine.js';
import { api, BENCH_TG_SECRET } from '../lib/product.js';
import { round2 } from '../lib/stats.js';
import { benchUnits } from '../lib/units.js';
import type { LoadInput, LoadOutput } from './load-generator.js';
import type { LoopStats } from './loop-reader.js';
import { isProduct, type Started, type Target } from './webhook-targets.js';

export type LevelRun = {
  target: Target;
  citizens: number;
  load: LoadOutput;
  expectedAnswers: number | null;
  storedAnswers: number | null;
  lostAnswers: number | null;
  completedResponses: number | null;
  /** From the last acknowledged update until every answer is in PostgreSQL. */
  drainAfterLastAckMs: number | null;
  /** From the first update sent until every answer is in PostgreSQL. */
  endToEndMs: number | null;
  /** Product only: responses created during the level that belong to no invitation (a /start that did not resolve to its invitation). */
  strayResponses: number | null;
  /** Failed jobs of the answers queue (product only). */
  failedAnswerJobs: number | null;
  /** Answers-job attempts that failed and were retried (e.g. an answer before its response row): "job failed" log lines. */
  failedAnswerAttempts: number | null;
  rss: { peakRssMiB: number; hwmMiB: number };
  /** product-split only: the worker process. */
  workerRss: { peakRssMiB: number; hwmMiB: number } | null;
  /** CPU seconds of the target's processes (web + worker for product-split). */
  targetCpuSeconds: number;
  /** CPU seconds of the target per second of the load phase (1.0 = one core). */
  targetCores: number;
  machineBusyShare: number;
  /** CPU seconds of all postgres / redis-server processes during the load phase. */
  serviceCpuSeconds: { postgres: number; redis: number };
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
  /**
   * Event-loop delay and GC pauses of the target's processes during the load phase (web:
   * the one process, or the web process of product-split). Absent in results written before the probe existed.
   */
  loop?: { web: LoopStats; worker: LoopStats | null };
};


function failedAttemptsIn(logFile: string | undefined): number {
  if (!logFile) return 0;
  try {
    return readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"msg":"job failed"') && l.includes('"queue":"answers"')).length;
  } catch {
    return 0;
  }
}

const sipas2017 = () => latestBuiltinQuestionnaire('sipas-2017');

let runCounter = 0;

async function runGenerator(o: { url: string; citizens: LoadInput['citizens']; resultsDir: string; logDir: string; tag: string; probePids: number[]; rate?: number; concurrent?: number }): Promise<LoadOutput> {
  const input: LoadInput = {
    url: `${o.url}/webhooks/telegram`,
    secret: BENCH_TG_SECRET,
    citizens: o.citizens,
    updateIdBase: runCounter * 1_000_000,
    maxAttempts: 20,
    questionnaire: 'sipas-2017',
    probePids: o.probePids,
    ...(o.rate ? { ratePerSecond: o.rate } : {}),
    ...(o.concurrent ? { concurrent: o.concurrent } : {}),
  };
  const inPath = path.join(o.resultsDir, `load-${o.tag}.in.json`);
  const outPath = path.join(o.resultsDir, `load-${o.tag}.out.json`);
  writeFileSync(inPath, JSON.stringify(input));
  const gen = spawnScript('bench/webhook/load-generator.ts', { name: `generator(${o.tag})`, args: [inPath, outPath], logFile: path.join(o.logDir, 'load-generator.log') });
  const code = await gen.exited;
  if (code !== 0) throw new Error(`load generator failed (${code}):\n${gen.output().slice(-3000)}`);
  return JSON.parse(readFileSync(outPath, 'utf8')) as LoadOutput;
}

/** Citizens of one run: fresh chat ids; product citizens get an invitation each (created through the API). */
async function prepareCitizens(t: Started, n: number, tag: string): Promise<{ citizens: LoadInput['citizens']; invitationIds: string[] }> {
  runCounter++;
  const citizens: LoadInput['citizens'] = [];
  const invitationIds: string[] = [];
  const units = benchUnits();
  for (let i = 0; i < n; i++) {
    const chatId = 700_000_000 + runCounter * 10_000 + i;
    let startText = `/start bench${String(runCounter).padStart(6, '0')}x${String(i).padStart(8, '0')}`;
    if (isProduct(t.target)) {
      const unit = units[i % units.length]!;
      const res = await api<{ id: string; token: string }>(`${t.url}/api/v1/invitations`, 'POST', { unitCode: unit.code, channel: 'telegram', dossierCode: `BENCH-${tag}-${runCounter}-${i}`, procedureCode: '1.001234' });
      invitationIds.push(res.json.id);
      startText = `/start ${res.json.token}`;
    }
    citizens.push({ chatId, chatIndex: i, startText });
  }
  return { citizens, invitationIds };
}

/**
 * A completed response keeps no link to its invitation (anonymity at rest): completions are
 * read from the invitations' status, answers as the growth of the table since the level began
 * (levels run one after another on a target's own database).
 */
async function productCounts(pool: pg.Pool, invitationIds: string[], answersBefore: number): Promise<{ answers: number; completed: number }> {
  const r = await pool.query<{ answers: number; completed: number }>(
    `SELECT (SELECT count(*)::int FROM answers) AS answers,
            (SELECT count(*)::int FROM invitations WHERE id = ANY($1::uuid[]) AND status = 'completed') AS completed`,
    [invitationIds],
  );
  return { answers: r.rows[0]!.answers - answersBefore, completed: r.rows[0]!.completed };
}

const answersIn = async (pool: pg.Pool) => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM answers')).rows[0]!.n;

/** Responses not started from an invitation (the bench only sends invitation starts). */
async function strayResponses(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM responses WHERE source = 'open'")).rows[0]!.n;
}

async function grammyCounts(pool: pg.Pool, chatIds: number[]): Promise<{ answers: number; completed: number }> {
  const r = await pool.query<{ answers: number; completed: number }>(
    `SELECT (SELECT count(*)::int FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.chat_id = ANY($1::bigint[])) AS answers,
            (SELECT count(*)::int FROM survey_responses WHERE chat_id = ANY($1::bigint[]) AND completed_at IS NOT NULL) AS completed`,
    [chatIds],
  );
  return r.rows[0]!;
}

export async function runLevel(
  t: Started,
  n: number,
  o: { resultsDir: string; logDir: string; grammyPool: pg.Pool; drainTimeoutMs: number; tag: string; rate?: number; steadyArrivals?: boolean },
): Promise<LevelRun> {
  const def = sipas2017();
  // Steady arrivals: twice the citizens, arriving over two surveys' time, n of them answering at once in the measured stretch.
  const { citizens, invitationIds } = await prepareCitizens(t, o.steadyArrivals ? 2 * n : n, o.tag);
  const expected = citizens.reduce((s, c) => s + citizenPlan(def, c.chatIndex).answers.length, 0);
  const failedBefore = t.answersQueue ? ((await t.answersQueue.getJobCounts('failed')).failed ?? 0) : 0;
  const attemptsBefore = failedAttemptsIn(t.workerLog);
  const strayBefore = t.pool ? await strayResponses(t.pool) : 0;
  const answersBefore = t.pool ? await answersIn(t.pool) : 0;
  const loadBefore = loadAverage();
  const cpuOf = () => (cpuSecondsOf(t.proc.pid) ?? 0) + (t.worker ? (cpuSecondsOf(t.worker.pid) ?? 0) : 0);
  const cpu0 = cpuOf();
  const sys0 = cpuTimes();
  const svc0 = serviceCpuSeconds();
  const rss = sampleRss(t.proc.pid);
  const workerRss = t.worker ? sampleRss(t.worker.pid) : undefined;
  // The probes are loaded (this throws otherwise); the generator signals them when its first update leaves and after the last ack.
  const [web0, worker0] = await Promise.all([t.probes.web.snapshot(), t.probes.worker?.snapshot()]);
  const probePids = [t.proc.pid, ...(t.worker ? [t.worker.pid] : [])];
  const load = await runGenerator({ url: t.url, citizens, resultsDir: o.resultsDir, logDir: o.logDir, tag: `${o.tag}-${t.target}-${n}`, probePids, ...(o.rate ? { rate: o.rate } : {}), ...(o.steadyArrivals ? { concurrent: n } : {}) });
  const cpu1 = cpuOf();
  const sys1 = cpuTimes();
  const svc1 = serviceCpuSeconds();
  const [loopWeb, loopWorker] = await Promise.all([t.probes.web.loadWindow(web0.seq + 2), worker0 ? t.probes.worker!.loadWindow(worker0.seq + 2) : null]);

  let stored: number | null = null;
  let completed: number | null = null;
  let drain: number | null = null;
  let failedJobs: number | null = null;
  let failedAttempts: number | null = null;
  let stray: number | null = null;
  if (t.target !== 'bare') {
    const counts = t.pool ? () => productCounts(t.pool!, invitationIds, answersBefore) : () => grammyCounts(o.grammyPool, citizens.map((c) => c.chatId));
    const deadline = Date.now() + o.drainTimeoutMs;
    for (;;) {
      const c = await counts();
      stored = c.answers;
      completed = c.completed;
      if ((c.answers >= expected && c.completed >= n) || Date.now() > deadline) break;
      await sleep(25);
    }
    drain = Date.now() - load.finishedAt;
    if (t.answersQueue) failedJobs = ((await t.answersQueue.getJobCounts('failed')).failed ?? 0) - failedBefore;
    if (t.workerLog) failedAttempts = failedAttemptsIn(t.workerLog) - attemptsBefore;
    if (t.pool) stray = (await strayResponses(t.pool)) - strayBefore;
  }
  const mem = rss.stop();
  const workerMem = workerRss?.stop() ?? null;
  const loadAfter = loadAverage();
  const seconds = load.durationMs / 1000;
  return {
    target: t.target,
    citizens: n,
    load,
    expectedAnswers: t.target === 'bare' ? null : expected,
    storedAnswers: stored,
    lostAnswers: stored === null ? null : expected - stored,
    completedResponses: completed,
    drainAfterLastAckMs: drain,
    endToEndMs: drain === null ? null : drain + Math.round(load.durationMs),
    failedAnswerJobs: failedJobs,
    failedAnswerAttempts: failedAttempts,
    strayResponses: stray,
    rss: mem,
    workerRss: workerMem,
    targetCpuSeconds: round2(cpu1 - cpu0),
    targetCores: round2((cpu1 - cpu0) / seconds),
    machineBusyShare: busyShare(sys0, sys1),
    serviceCpuSeconds: serviceCpuDelta(svc0, svc1),
    loadBefore,
    loadAfter,
    loop: { web: loopWeb, worker: loopWorker },
  };
}
