/**
 * Renders docs/BENCHMARKS.md from a results file of `npm run bench`.
 *
 *   npx tsx bench/render-doc.ts [bench/results/<timestamp>.json]   # default: the newest full run
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BroadcastResult } from './broadcast/bench-broadcast.js';
import { TELEGRAM_SEND_CONCURRENCY } from '../src/channels/telegram/telegram-lanes.js';
import { summarizeProfile, type ProfileSummary } from './lib/cpu-profile.js';
import type { LoadAverage } from './lib/machine.js';
import { ROOT } from './lib/proc.js';
import { median } from './lib/stats.js';
import type { PersistenceResult } from './persistence/bench-persistence.js';
import type { BenchError, RunResults } from './run-all.js';
import type { ScoringResult } from './scoring/bench-scoring.js';
import type { LevelRun, WebhookResult } from './webhook/bench-webhook.js';

const TARGET = { ratio: 4, p99Ms: 25, answersPerSecond: 20_000, reportMs: 200, xlsxMs: 3000 };

const n0 = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US'));
const n1 = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '–' : (Math.round(v * 10) / 10).toLocaleString('en-US', { maximumFractionDigits: 1 }));
const n2 = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '–' : (Math.round(v * 100) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 }));
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v >= 10_000 ? `${n1(v / 1000)} s` : `${v >= 100 ? n0(v) : n1(v)} ms`);
const pct = (v: number) => `${Math.round(v * 1000) / 10} %`;
const mib = (v: number) => `${n0(v)} MiB`;
const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${n1(bytes / 1024 / 1024)} MiB` : `${n0(bytes / 1024)} KiB`);

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

const isErr = (x: unknown): x is BenchError => typeof x === 'object' && x !== null && 'message' in x && !('runs' in x) && !('worker' in x) && !('seed' in x) && !('fake' in x);

function loadNote(l: LoadAverage): string {
  return `${n2(l.load1)} / ${n2(l.load5)} / ${n2(l.load15)}`;
}

function profileSection(title: string, p: ProfileSummary | null | undefined, note: string): string {
  if (!p) return `*${title}: no profile was written.*\n`;
  return [
    `**${title}** — \`${p.file}\` (${n1(p.profiledMs / 1000)} s profiled, ${n1(p.busyMs / 1000)} s on the CPU; ${note})`,
    '',
    table(
      ['area (nearest package or folder on the stack)', 'self time', 'share'],
      p.byArea.slice(0, 10).map((a) => [a.area, ms(a.ms), pct(a.share)]),
    ),
    '',
    table(
      ['heaviest functions (self time)', 'where', 'self time', 'share'],
      p.topFunctions.slice(0, 10).map((f) => [`\`${f.fn}\``, `\`${f.where}\``, ms(f.ms), pct(f.share)]),
    ),
    '',
  ].join('\n');
}

function verdictAtLeast(value: number, target: number): string {
  if (value >= target) return `met (${pct(value / target)} of the target)`;
  return `**missed** — ${pct(value / target)} of the target; ${n1(target / value)}× more needed`;
}

function verdictAtMost(value: number, target: number): string {
  if (value <= target) return 'met';
  return `**missed** by ${ms(value - target)} (${n1(value / target)}× the target)`;
}

type Ctx = { r: RunResults; cpus: number };

const LABEL: Record<LevelRun['target'], string> = {
  bare: 'bare fastify',
  product: '**product** (one process)',
  'product-split': '**product** (web + worker processes)',
  grammy: 'grammY + conversations',
};

/** Updates per second until every answer was in PostgreSQL (ack phase + drain); the ack rate for the bare route. */
function sustained(x: LevelRun): number {
  return x.endToEndMs ? (x.load.updates / x.endToEndMs) * 1000 : NaN;
}

/** The table of the top level's rounds, when it was measured more than once. */
function topRoundsLines(w: WebhookResult): string[] {
  const rounds = topRounds(w);
  if (rounds.length < 2) return [];
  const targets = (['bare', 'product', 'product-split', 'grammy'] as const).filter((t) => rounds[0]!.some((x) => x.target === t));
  const rate = (round: LevelRun[], t: LevelRun['target']) => round.find((x) => x.target === t)?.load.updatesPerSecond ?? NaN;
  const rows = rounds.map((round, i) => [
    String(i + 1),
    ...targets.map((t) => n0(rate(round, t))),
    `${n2(rate(round, 'product') / rate(round, 'grammy'))}×`,
    `${n2(rate(round, 'product-split') / rate(round, 'grammy'))}×`,
  ]);
  return [
    `The top level (${w.levels.at(-1)} citizens) measured ${rounds.length} times, every target once per round, rounds back to back (round 1 is the level run above): the machine's speed drifts by tens of percent within minutes, so a single product-vs-grammY pair can land on different speeds. The summary's ratios are the median of the rounds.`,
    '',
    table(['round', ...targets.map((t) => `${LABEL[t]} (acked/s)`), 'product / grammY', 'product (web + worker) / grammY'], rows),
    '',
  ];
}

/** The top level's rounds: the level run first, then the extra rounds (results files before them: the level run only). */
function topRounds(w: WebhookResult): LevelRun[][] {
  const top = w.levels.at(-1)!;
  return [w.runs.filter((x) => x.citizens === top), ...(w.topRounds ?? [])];
}

type RoundRatio = { acked: number; e2e: number };
/** `target` vs grammY in each round of the top level (rounds where both ran). */
function roundRatios(w: WebhookResult, target: LevelRun['target']): RoundRatio[] {
  return topRounds(w).flatMap((round) => {
    const p = round.find((x) => x.target === target);
    const g = round.find((x) => x.target === 'grammy');
    return p && g ? [{ acked: p.load.updatesPerSecond / g.load.updatesPerSecond, e2e: sustained(p) / sustained(g) }] : [];
  });
}

/** "3.12×" for one round; "3.12× (median of 3 rounds: 3.0×, 3.12×, 3.3×)" for several. */
function ratioText(values: number[]): string {
  const m = median(values);
  return values.length > 1 ? `${n2(m)}× (median of ${values.length} rounds: ${values.map((v) => `${n2(v)}×`).join(', ')})` : `${n2(m)}×`;
}

/** An open-loop run kept up with the offered rate when at most 1 % of its sends left late. */
function keptUp(x: LevelRun): boolean {
  return x.load.lateSends <= 0.01 * Math.max(1, x.load.updates);
}

function pacedSection(w: WebhookResult): string {
  const p = w.paced;
  if (!p) return '';
  const rows = p.runs.map((x) => [
    LABEL[x.target],
    n0(x.load.offeredPerSecond ?? p.ratePerSecond),
    n0(x.load.updatesPerSecond),
    ms(x.load.latencyMs.p50),
    ms(x.load.latencyMs.p90),
    ms(x.load.latencyMs.p99),
    ms(x.load.latencyMs.p100),
    `${n0(x.load.lateSends)} / ${n0(x.load.updates)}`,
    keptUp(x) ? 'yes' : '**no**',
    x.lostAnswers === null ? '–' : `${x.lostAnswers} / ${n0(x.expectedAnswers)}`,
    n2(x.targetCores),
    pct(x.machineBusyShare),
  ]);
  return [
    '### Open loop at the target load',
    '',
    `The closed-loop levels above measure latency at saturation: every citizen sends again the moment it is answered, so p50 grows with the citizens in flight (Little's law) whatever the server does. To read the ack latency *at the load the throughput target names*, the same generator then offers a fixed rate: ${n0(p.ratePerSecond)} updates/s, ${p.ratio} × grammY's closed-loop rate at ${p.citizens} citizens in this run (${n0(p.basisUpdatesPerSecond)}/s), spread over ${p.citizens} citizens, each sending one update every ${n0((p.citizens / p.ratePerSecond) * 1000)} ms (their starts staggered over one interval; still strictly one update at a time per chat). A send whose previous update was still unacknowledged at its due time leaves right after the ack and counts as late: more than 1 % late means the target did not sustain the offered rate, and its latency is again queueing.`,
    '',
    table(['target', 'offered updates/s', 'achieved updates/s', 'p50', 'p90', 'p99', 'max', 'late sends', 'sustained', 'lost / expected', 'CPU (cores)', 'machine busy'], rows),
    '',
  ].join('\n');
}

function webhookRuns(w: WebhookResult, target: LevelRun['target']): LevelRun[] {
  return w.runs.filter((x) => x.target === target);
}

/** Shares of a profile's busy time by groups of areas. */
function groupShare(p: ProfileSummary | null | undefined, match: (area: string) => boolean): number {
  if (!p) return NaN;
  return p.byArea.filter((a) => match(a.area)).reduce((sum, a) => sum + a.share, 0);
}

const DB_CLIENT = (a: string) => a === 'pg' || a.startsWith('pg-') || a.startsWith('@prisma/');
const REDIS_CLIENT = (a: string) => a === 'ioredis' || a === 'bullmq';

function productAnalysis(pTop: LevelRun, top: number, rc: WebhookResult['redisPerUpdate'], profile: ProfileSummary | null | undefined, handoff: WebhookResult['handoff']): string {
  const jobsPerUpdate = rc ? ((rc.byCommand['evalsha answers'] ?? 0) + (rc.byCommand['evalsha outbound-telegram'] ?? 0)) / rc.updates : NaN;
  const lines = [
    `- **product** at ${top} citizens: ${n0(pTop.load.updatesPerSecond)} updates/s with the product process at ${n2(pTop.targetCores)} cores — its one JavaScript thread is saturated — while the machine was ${pct(pTop.machineBusyShare)} busy (the load generator, Redis and PostgreSQL share the other core). The web role, the answers worker and the reply sender share one Node.js event loop: ${n0(pTop.expectedAnswers)} answers were acknowledged in ${ms(pTop.load.durationMs)} and the last of them reached PostgreSQL ${ms(pTop.drainAfterLastAckMs)} later (none lost) — end to end, ${n0(sustained(pTop))} updates/s. Ack latency is queueing for that one thread: p50 grows with the citizens in flight.`,
  ];
  if (profile) {
    lines.push(
      `  - Where the product's CPU goes (profile below, same load): the PostgreSQL client stack of the answers worker (pg, Prisma and its query compiler) ${pct(groupShare(profile, DB_CLIENT))}, Redis clients (ioredis, BullMQ) ${pct(groupShare(profile, REDIS_CLIENT))}, garbage collection ${pct(groupShare(profile, (a) => a === 'GC'))}, zod ${pct(groupShare(profile, (a) => a === 'zod'))}, fastify ${pct(groupShare(profile, (a) => a === 'fastify'))}, our own code (\`src/\`, \`webhooks/\`) ${pct(groupShare(profile, (a) => a.startsWith('src/') || a === 'webhooks'))}. The answers worker writes whole batches of updates per transaction (§2), so persistence is no longer the larger part; what is left per update is the session read and compare-and-set, the reply job and its chat-lane script, and the HTTP and JSON work of the webhook itself.`,
    );
  }
  if (rc) {
    lines.push(
      `  - Redis per update, measured with MONITOR on one whole survey against a web-only process: ${n1(rc.clientPerUpdate)} commands sent (${Object.entries(rc.byCommand)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} for ${rc.updates} updates) and ${n1(rc.luaPerUpdate)} more run inside Lua scripts. With one citizen at a time, as here, every update still makes its own answers job (${n1(jobsPerUpdate)} job adds per update with the reply job): group commit only merges updates that arrive while a hand-off is in flight, which is what happens under load. The rest is the session read and compare-and-set, the reply's sequence number in its chat lane and the reminder bookkeeping.`,
    );
  }
  if (handoff) {
    const w = handoff.summary['with hand-off'];
    const wo = handoff.summary['without hand-off'];
    lines.push(
      `  - **The outbox hand-off is the largest single part of the request path** (\`bench/webhook/handoff-cost.ts\`: the conversation path in one process — session read, engine, compare-and-set — without HTTP and without workers, ${n0(handoff.citizens)} concurrent citizens answering whole surveys, the two variants interleaved over ${n0(handoff.rounds.length / 2)} rounds each, medians): with the hand-off (the answers batch, the reply job and its chat-lane number, reminder bookkeeping, clearing the outbox) ${n0(w.nodeCpuUsPerUpdate)} µs of Node.js CPU and ${n0(w.redisCpuUsPerUpdate)} µs of Redis CPU per update, ${n0(w.updatesPerSecond)} updates/s; without it ${n0(wo.nodeCpuUsPerUpdate)} µs and ${n0(wo.redisCpuUsPerUpdate)} µs, ${n0(wo.updatesPerSecond)} updates/s. The hand-off is ${pct(handoff.handoffShare.node)} of that path's Node.js CPU and ${pct(handoff.handoffShare.redis)} of its Redis CPU. (Redis CPU is read from \`INFO cpu\`, the whole server.)`,
    );
  }
  return lines.join('\n');
}

function summary(c: Ctx): string {
  const rows: string[][] = [];
  const { r } = c;
  if (r.webhook && !isErr(r.webhook)) {
    const top = r.webhook.levels.at(-1)!;
    const at = (t: LevelRun['target']) => r.webhook && !isErr(r.webhook) ? r.webhook.runs.find((x) => x.target === t && x.citizens === top) : undefined;
    const g = at('grammy');
    for (const t of ['product', 'product-split'] as const) {
      const p = at(t);
      if (!p || !g) continue;
      const rounds = roundRatios(r.webhook, t);
      const ratio = median(rounds.map((x) => x.acked));
      const e2e = median(rounds.map((x) => x.e2e));
      const first = rounds.length > 1 ? 'first round: ' : '';
      const name = t === 'product' ? 'product, one process (`npm start`)' : 'product, web + worker processes';
      rows.push([`Webhook throughput vs grammY + conversations, ${name}, ${top} citizens (updates acknowledged)`, `≥ ${TARGET.ratio}×`, `${ratioText(rounds.map((x) => x.acked))}; ${first}${n0(p.load.updatesPerSecond)} vs ${n0(g.load.updatesPerSecond)} updates/s`, verdictAtLeast(ratio, TARGET.ratio)]);
      rows.push([`… counted until every answer is in PostgreSQL`, `≥ ${TARGET.ratio}×`, `${ratioText(rounds.map((x) => x.e2e))}; ${first}${n0(sustained(p))} vs ${n0(sustained(g))} updates/s`, verdictAtLeast(e2e, TARGET.ratio)]);
      const paced = r.webhook.paced?.runs.find((x) => x.target === t);
      if (paced && r.webhook.paced) {
        const kept = keptUp(paced);
        rows.push([
          `p99 ack latency at that load, ${name}: open loop, ${n0(r.webhook.paced.ratePerSecond)} updates/s offered (${r.webhook.paced.ratio} × grammY's ${n0(r.webhook.paced.basisUpdatesPerSecond)}/s) by ${paced.citizens} citizens`,
          `≤ ${TARGET.p99Ms} ms`,
          `${ms(paced.load.latencyMs.p99)}; achieved ${n0(paced.load.updatesPerSecond)} updates/s${kept ? '' : ` (fell behind: ${n0(paced.load.lateSends)} of ${n0(paced.load.updates)} sends late)`}; closed loop at ${top} citizens: ${ms(p.load.latencyMs.p99)}`,
          kept ? verdictAtMost(paced.load.latencyMs.p99!, TARGET.p99Ms) : '**missed** — the offered load was not sustained',
        ]);
      } else {
        rows.push([`p99 ack latency at that load, ${name}`, `≤ ${TARGET.p99Ms} ms`, ms(p.load.latencyMs.p99), verdictAtMost(p.load.latencyMs.p99!, TARGET.p99Ms)]);
      }
    }
    const productRuns = r.webhook.runs.filter((x) => x.target === 'product' || x.target === 'product-split');
    const lost = productRuns.reduce((s, x) => s + (x.lostAnswers ?? 0), 0);
    const stray = productRuns.reduce((s, x) => s + (x.strayResponses ?? 0), 0);
    const incomplete = productRuns.reduce((s, x) => s + (x.citizens - (x.completedResponses ?? 0)), 0);
    rows.push(['Answers lost by the product (all levels, both deployments)', '0', `${lost} lost, ${incomplete} responses not completed${stray ? `, ${stray} responses recorded without their invitation` : ''}`, lost === 0 && incomplete === 0 ? 'met' : '**missed**']);
  }
  if (r.persistence && !isErr(r.persistence)) {
    const w = r.persistence.worker;
    rows.push(['Answers persisted per second (answers worker, with rollups)', `≥ ${n0(TARGET.answersPerSecond)}/s`, `${n0(w.answersPerSecond)}/s`, verdictAtLeast(w.answersPerSecond, TARGET.answersPerSecond)]);
  }
  if (r.scoring && !isErr(r.scoring)) {
    const s = r.scoring;
    const rep = s.inProcess.find((t) => t.label.startsWith('report from rollups, whole year'));
    if (rep) rows.push([`Index report from rollups (${n0(s.seed.responses)} responses, whole year)`, `≤ ${TARGET.reportMs} ms`, ms(rep.medianMs), verdictAtMost(rep.medianMs, TARGET.reportMs)]);
    const json = s.downloads.find((d) => d.label.startsWith('index report JSON'));
    if (json) rows.push([`… the same through \`GET /api/v1/reports/index?format=json\``, `≤ ${TARGET.reportMs} ms`, ms(json.medianMs), verdictAtMost(json.medianMs, TARGET.reportMs)]);
    const xlsx = s.downloads.find((d) => d.label === 'index report XLSX (HTTP)');
    if (xlsx) rows.push([`XLSX download, ${n0(s.seed.units)} units, whole year`, '≤ 3 s', ms(xlsx.medianMs), verdictAtMost(xlsx.medianMs, TARGET.xlsxMs)]);
    const micro = s.downloads.find((d) => d.label.startsWith('microdata CSV, all'));
    const peak = Math.max(...s.downloads.map((d) => d.peakRssMiB));
    rows.push([
      'No download holds all responses in memory',
      'flat RSS',
      `peak RSS of the web process ${mib(peak)} over all downloads` + (micro ? `; microdata of ${n0((micro.lines ?? 1) - 1)} responses (${kib(micro.bytes)}) streamed with peak ${mib(micro.peakRssMiB)} (${mib(micro.rssBeforeMiB)} before)` : ''),
      micro && micro.peakRssMiB - micro.rssBeforeMiB < 200 ? 'met (streamed)' : 'see §3',
    ]);
  }
  if (r.broadcast && !isErr(r.broadcast)) {
    const b = r.broadcast;
    const total429 = b.fake.rejected429Global + b.fake.rejected429PerChat;
    rows.push([`Broadcast: 429s at the configured limit (${n0(b.messages)} messages)`, '0', `${n0(total429)} (${n0(b.fake.rejected429Global)} global, ${n0(b.fake.rejected429PerChat)} per chat)`, total429 === 0 ? 'met' : '**missed**']);
    rows.push(['Broadcast: per-chat order kept', 'yes', b.fake.outOfOrder === 0 ? 'yes' : `no: ${b.fake.outOfOrder} messages out of order in ${b.fake.chatsWithOutOfOrder} chats`, b.fake.outOfOrder === 0 ? 'met' : '**missed**']);
    if (b.invitations) rows.push([`Broadcast: invitations created through the bulk API and sent`, 'all', `${n0(b.invitations.sent)} of ${n0(b.invitations.created)} sent, ${n0(b.invitations.undeliverable)} undeliverable`, b.invitations.sent === b.invitations.created ? 'met' : '**missed**']);
    if (b.replies) rows.push(['Broadcast: a citizen who writes during the broadcast waits for the answer (no target; median / longest)', '–', `${ms(b.replies.latencyMs.p50!)} / ${ms(b.replies.maxMs)} (${b.replies.answered} of ${b.replies.sent} answered)`, '–']);
    rows.push(['Broadcast: achieved rate vs configured limit', `${b.configuredJobsPerSecond}/s`, `${n1(b.achievedPerSecond)} messages/s`, `${pct(b.achievedPerSecond / b.configuredJobsPerSecond)} of the limit`]);
  }
  return table(['What', 'Target (issue 6)', 'Measured', 'Verdict'], rows);
}

function machineSection(c: Ctx): string {
  const { r } = c;
  const m = r.machine;
  const per = Object.entries(r.load.perBench);
  const foreign = (l: (typeof per)[number][1]) => (l.foreignCpuSeconds === undefined ? '–' : `${n1(l.foreignCpuSeconds)} CPU s (${pct(l.foreignShare)})`);
  const busyBenches = per.filter(([, l]) => (l.foreignShare ?? 0) > 0.05).map(([name, l]) => `${name} (${pct(l.foreignShare)} of the machine)`);
  const stolenBenches = per.filter(([, l]) => (l.stealShare ?? 0) > 0.03).map(([name, l]) => `${name} (${pct(l.stealShare ?? 0)})`);
  return [
    table(
      ['', ''],
      [
        ['Date (UTC)', `${r.startedAt.replace('T', ' ').slice(0, 19)} → ${r.finishedAt.replace('T', ' ').slice(0, 19)}`],
        ['CPU', `${m.cpuModel}, \`nproc\` = ${m.nproc}`],
        ['Memory (`free -h`)', m.freeH.split('\n')[1]?.replace(/\s+/g, ' ') ?? ''],
        ['Node.js', m.node],
        ['PostgreSQL', `${m.postgres} (${Object.entries(r.postgresSettings).map(([k, v]) => `${k} ${v}`).join(', ')})`],
        ['Redis', m.redis],
        ['Kernel', m.kernel],
        ['Disk (`df -h /work`)', m.diskWork.split('\n')[1]?.replace(/\s+/g, ' ') ?? ''],
        ['Mode', `${r.mode} — \`${r.command}\``],
        ['Load average (1/5/15 min) at start → end', `${loadNote(r.load.start)} → ${loadNote(r.load.end)}`],
      ],
    ),
    '',
    table(
      ['Benchmark', 'duration', 'load before', 'load after', "other users' processes meanwhile", 'CPU stolen by the hypervisor'],
      per.map(([name, l]) => [name, ms(l.durationMs), loadNote(l.before), loadNote(l.after), foreign(l), l.stealShare === undefined ? '–' : pct(l.stealShare)]),
    ),
    '',
    'The load averages include the benchmark\'s own processes (targets, load generator, PostgreSQL, Redis). The last column is CPU used meanwhile by processes that are not the benchmark\'s — neither its children nor PostgreSQL backends (and their parallel workers) of its `sipas_bench*` databases — i.e. other developers\' test suites on this shared 2-core machine (sampled every second). "CPU stolen" is the share of CPU time the hypervisor gave to other virtual machines on the same host (`steal` in `/proc/stat`): it slows every target of the run alike, baselines included, and is one reason absolute figures differ between runs of the same code. Even with no steal recorded, the host\'s speed differs by tens of percent between days, for every target alike (the baselines beside each figure show it): compare ratios within one run, and read an absolute figure close to its target (either side) as depending on the day.',
    '',
    busyBenches.length
      ? `**The machine was not quiet**: other users' processes took a noticeable share of the CPUs during ${busyBenches.join(', ')}; those figures are likely lower than on an idle machine. Within a benchmark the product and its baselines ran interleaved in the same minutes, so the ratios are fairer than the absolute numbers.`
      : 'Other users\' processes took less than 5 % of the machine during every benchmark: the figures were measured on an otherwise quiet machine (the load averages above are the benchmark\'s own processes).',
    ...(stolenBenches.length
      ? ['', `**The host was busy**: the hypervisor took CPU time from this machine during ${stolenBenches.join(', ')}; every figure of those benchmarks is lower than in a quiet hour, the baselines' as much as the product's.`]
      : []),
    '',
  ].join('\n');
}

function webhookSection(c: Ctx, w: WebhookResult): string {
  const rows = w.runs.map((x) => [
    x.citizens,
    LABEL[x.target],
    n0(x.load.updatesPerSecond),
    x.endToEndMs === null ? '–' : n0(sustained(x)),
    ms(x.load.latencyMs.p50),
    ms(x.load.latencyMs.p90),
    ms(x.load.latencyMs.p99),
    ms(x.load.latencyMs.p100),
    Object.entries(x.load.statusCounts).filter(([s]) => s !== '200').map(([s, k]) => `${k}×${s}`).join(' ') || '0',
    x.lostAnswers === null ? '–' : `${x.lostAnswers} / ${n0(x.expectedAnswers)}`,
    x.completedResponses === null ? '–' : `${x.completedResponses}/${x.citizens}`,
    ms(x.drainAfterLastAckMs),
    x.failedAnswerAttempts === null ? '–' : String(x.failedAnswerAttempts),
    x.workerRss ? `${mib(x.rss.peakRssMiB)} + ${mib(x.workerRss.peakRssMiB)}` : mib(x.rss.peakRssMiB),
    n2(x.targetCores),
    `${n1(x.serviceCpuSeconds.postgres)} / ${n1(x.serviceCpuSeconds.redis)}`,
    pct(x.machineBusyShare),
    `${n2(x.loadBefore.load1)}→${n2(x.loadAfter.load1)}`,
  ]);
  const ratioRows = w.levels.map((lvl) => {
    const run = (t: LevelRun['target']) => w.runs.find((x) => x.target === t && x.citizens === lvl);
    const get = (t: LevelRun['target']) => run(t)?.load.updatesPerSecond ?? NaN;
    const e2e = (t: LevelRun['target']) => { const x = run(t); return x ? sustained(x) : NaN; };
    const p = get('product');
    const ps = get('product-split');
    const g = get('grammy');
    const b = get('bare');
    return [lvl, `${n2(p / g)}×`, `${n2(ps / g)}×`, `${n2(e2e('product') / e2e('grammy'))}×`, `${n2(e2e('product-split') / e2e('grammy'))}×`, `${n2(p / b)}×`, `${n2(g / b)}×`];
  });
  const product = webhookRuns(w, 'product');
  const grammy = webhookRuns(w, 'grammy');
  const top = w.levels.at(-1)!;
  const pTop = product.find((x) => x.citizens === top);
  const gTop = grammy.find((x) => x.citizens === top);
  const within = product.filter((x) => (x.load.latencyMs.p99 ?? Infinity) <= TARGET.p99Ms).map((x) => x.citizens);
  const split = webhookRuns(w, 'product-split');
  const sTop = split.find((x) => x.citizens === top);
  const splitWithin = split.filter((x) => (x.load.latencyMs.p99 ?? Infinity) <= TARGET.p99Ms).map((x) => x.citizens);
  const rc = w.redisPerUpdate;
  const pProfile = w.profiles.find((p) => p.target === 'product');
  const gProfile = w.profiles.find((p) => p.target === 'grammy');
  const calls = (key: string) =>
    Object.entries(w.botApiCalls[key] ?? {})
      .map(([m, k]) => `${m} ${n0(k)}`)
      .join(', ');
  return [
    `N simulated citizens each post a whole sipas-2017 survey (\`/start <token>\`, the consent button, then one update per question: buttons for the scale, single-choice and yes/no questions, typed text for the multi-choice and free-text ones; 30 % of citizens say they filed a complaint and so answer element 5: 34 or 38 updates, 32 or 36 answers per citizen). Every citizen waits for the HTTP answer before sending its next update (Telegram's per-chat order); all citizens start at once. The load generator is a separate process (\`bench/webhook/load-generator.ts\`, keep-alive HTTP/1.1); each target runs in its own process and all four run at the same time, measured one after another at each level after a warm-up of ${w.warmupCitizens} citizens. The Bot API is a local fake (\`bench/lib/fake-bot-api.ts\`, no latency, no limits).`,
    '',
    '- **product (one process)**: `node --import tsx src/main.ts` (web and workers in one process, as `npm start`), own database `sipas_bench`, a Redis prefix of its own per benchmark run; every citizen has an invitation made through `POST /api/v1/invitations`. Its replies go through the paced outbound queue (25 messages/s for the bot, 1 s between two messages to one chat, each chat in order), so most of them are still queued when a level ends; the queue is emptied between levels.',
    '- **product (web + worker processes)**: the same code started as `src/main.ts --web` and `src/main.ts --worker` (the supported split deployment, `npm run start:web` / `start:worker`), own database `sipas_bench_split` and prefix `{bench-split}`; RSS is shown as web + worker, CPU as their sum.',
    '- **grammY + conversations**: `bench/webhook/grammy-conversations-bot.ts` — grammY 1.46 `webhookCallback(bot, "fastify")`, @grammyjs/conversations 2 with `@grammyjs/storage-redis`, the same questions with inline keyboards; per answer it answers the callback query, removes the spent keyboard, sends the next question (all awaited, in the request) and writes the answer with a single-row `INSERT` in `conversation.external()` into its own database `sipas_bench_grammy`.',
    '- **bare fastify**: `bench/webhook/bare-server.ts` — the same fastify, the route checks the secret header and answers 200: the ceiling of this machine with this generator.',
    '',
    '"drain" is the time from the last acknowledged update until every answer is in PostgreSQL and every response is completed (polled every 25 ms). "lost" is expected answers minus answers stored. "retried jobs" counts answers-job attempts that failed and were retried (BullMQ backoff from 1 s) — typically an answer processed before its response row was committed, since the worker runs 16 jobs at once. "CPU (cores)" is the target process\'s CPU time divided by the load phase\'s wall time; "PG / Redis CPU s" sums all postgres and redis-server processes on the machine during the load phase (other users\' queries included).',
    '',
    table(['citizens', 'target', 'updates/s (acked)', 'updates/s (until in PostgreSQL)', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'lost / expected', 'completed', 'drain', 'retried jobs', 'peak RSS', 'CPU (cores)', 'PG / Redis CPU s', 'machine busy', 'load1'], rows),
    '',
    'Ratios at each level. "acked" compares how fast updates were acknowledged; "until in PostgreSQL" compares updates divided by the time until every answer was stored (load phase + drain). The product acknowledges first and persists later through its queue, so the first ratio is its webhook speed and the second what it sustains end to end; the grammY bot writes each answer before acknowledging, so for it both are the same.',
    '',
    table(['citizens', 'product / grammY (acked)', 'product (web + worker) / grammY (acked)', 'product / grammY (until in PostgreSQL)', 'product (web + worker) / grammY (until in PostgreSQL)', 'product / bare (acked)', 'grammY / bare (acked)'], ratioRows),
    '',
    ...topRoundsLines(w),
    `Bot API calls made during the top level: product ${calls(`product-${top}`) || '–'} (rate-limited, the rest still queued); grammY ${calls(`grammy-${top}`) || '–'}.`,
    '',
    '### What limits these numbers',
    '',
    `- **The machine.** Two cores are shared by the target, the load generator, PostgreSQL, Redis and the fake Bot API (and by other developers' tests). The bare route reaches ${n0(webhookRuns(w, 'bare').at(-1)?.load.updatesPerSecond)} updates/s with the same generator: that is the ceiling of HTTP + JSON on this machine, far above both bots.`,
    pTop ? productAnalysis(pTop, top, rc, pProfile?.profile, w.handoff) : '',
    gTop
      ? `- **grammY + conversations** at ${top} citizens: ${n0(gTop.load.updatesPerSecond)} updates/s, ${n2(gTop.targetCores)} cores. The conversations plugin replays the conversation function from its start on every update (its state is the log of everything awaited so far, read from and written back to Redis as one JSON value), so the work per update grows with the position in the survey; garbage collection and the Redis (de)serialisation of that log dominate its profile. Three Bot API calls are awaited inside each webhook request (the fake answers at once; with the real Bot API, 50–300 ms away, its ack latency would grow by that much per call).`
      : '',
    sTop && pTop
      ? `- **Split deployment** (web and worker processes) at ${top} citizens: ${n0(sTop.load.updatesPerSecond)} updates/s (${n2(sTop.load.updatesPerSecond / pTop.load.updatesPerSecond)}× the one-process figure), p99 ${ms(sTop.load.latencyMs.p99)} (one process: ${ms(pTop.load.latencyMs.p99)}), ${n2(sTop.targetCores)} cores for web + worker with the machine ${pct(sTop.machineBusyShare)} busy. A second process gives the worker its own event loop, but on two cores there is no idle core to run it on: the web process, the worker, PostgreSQL, Redis and the load generator compete for the same CPUs, and the extra process costs its own overhead.`
      : '',
    `- **The p99 floor of the measurement.** With every citizen sending its next update as soon as the previous one is acknowledged, the bare route's p99 is ${webhookRuns(w, 'bare').map((x) => `${ms(x.load.latencyMs.p99)} at ${x.citizens}`).join(', ')} citizens: on two cores shared with the load generator, a p99 of ${TARGET.p99Ms} ms at a few hundred requests in flight is out of reach even for a route that does nothing. That is why the target is read in open loop at the load it names (next section)${(() => { const b = w.paced?.runs.find((x) => x.target === 'bare'); return b && w.paced ? `, where the same bare route holds p99 ${ms(b.load.latencyMs.p99)} at ${n0(w.paced.ratePerSecond)} updates/s offered` : ''; })()}.`,
    `- **p99 ≤ ${TARGET.p99Ms} ms** holds for the product at: ${within.length ? within.map((x) => `${x} citizens`).join(', ') : 'none of the measured levels'} (one process); ${splitWithin.length ? splitWithin.map((x) => `${x} citizens`).join(', ') : 'none of the measured levels'} (web + worker).`,
    '',
    pacedSection(w),
    profileSection(`Profile: product at ${pProfile?.citizens ?? top} citizens`, pProfile?.profile, `under --cpu-prof it did ${n0(pProfile?.load.updatesPerSecond)} updates/s; includes start-up: migrations, tsx compiling the sources`),
    profileSection(`Profile: grammY + conversations at ${gProfile?.citizens ?? top} citizens`, gProfile?.profile, `under --cpu-prof it did ${n0(gProfile?.load.updatesPerSecond)} updates/s; includes start-up`),
  ].join('\n');
}

function persistenceSection(p: PersistenceResult): string {
  const w = p.worker;
  const runs = p.workerRuns?.length ? p.workerRuns : [w];
  // The results file holds copies: find the median run by its figures.
  const medianAt = runs.findIndex((x) => x.answersPerSecond === w.answersPerSecond && x.drainMs === w.drainMs);
  const b = p.baseline;
  const cpuPerAnswerMs = ((w.workerCpuSeconds + w.serviceCpuSeconds.postgres + w.serviceCpuSeconds.redis) / Math.max(1, w.storedAnswers)) * 1000;
  return [
    `${n0(w.citizens)} citizens' surveys are run through the pure conversation engine (\`bench/lib/engine-citizen.ts\`) to get exactly the items the webhook path hands to the answers queue: one per applied event (\`response_started\`, one \`answer_recorded\` per answer, the last with \`response_completed\`, which carries the final answers and adds the rollups), each carrying its response's creation as \`flushOutbox\` does, interleaved across citizens as concurrent conversations arrive. They go through the product's own group commit (\`AnswersBatcher\`, \`src/responses/answers-batcher.ts\`), submitted all at once as many concurrent webhook requests would, which made ${n0(w.jobs)} \`persist-answers\` jobs of ${n1(w.itemsPerJob.mean)} items on average (at most ${n0(w.itemsPerJob.max)}). They are queued while the queue is paused; then the product's worker process (\`src/main.ts --worker\`, answers concurrency 4, batch statements through its node-postgres pool) drains them into its own database \`sipas_bench_persist\`, after draining ${n0(p.warmupCitizens ?? 0)} other citizens' items first as a warm-up (a long-running worker has its code optimised and its connections open). ${runs.length > 1 ? `This is done ${runs.length} times, each with a fresh worker process and database; the median run is the figure, and every run is shown because this shared virtual machine's speed varies by ±15 % from minute to minute.` : ''} The time runs from resuming the queue until BullMQ reports every job completed (a job completes only after its transaction committed); the stored answers and completed responses are then counted. The baseline writes the same number of answer rows as single-row autocommit \`INSERT\`s from 16 connections into a copy of the answers table (same columns, defaults and indexes, no foreign key).`,
    '',
    table(
      ['', 'rows', 'items / jobs', 'time', 'answers (rows)/s', 'lost', 'retried attempts', 'process CPU (cores)', 'PG / Redis CPU s', 'machine busy', 'peak RSS', 'load1'],
      [
        ...runs.map((x, i) => [
          runs.length > 1 ? `answers worker (with rollups), run ${i + 1}${i === medianAt ? ' — **median**' : ''}` : '**answers worker** (with rollups)',
          `${n0(x.storedAnswers)} / ${n0(x.expectedAnswers)}`,
          `${n0(x.items)} / ${n0(x.jobs)}`,
          ms(x.drainMs),
          i === medianAt ? `**${n0(x.answersPerSecond)}**` : n0(x.answersPerSecond),
          x.lostAnswers,
          x.failedAttempts,
          n2(x.workerCores),
          `${n1(x.serviceCpuSeconds.postgres)} / ${n1(x.serviceCpuSeconds.redis)}`,
          pct(x.machineBusyShare),
          mib(x.rss.peakRssMiB),
          `${n2(x.loadBefore.load1)}→${n2(x.loadAfter.load1)}`,
        ]),
        ['single-row INSERT baseline (16 connections)', n0(b.rows), '–', ms(b.ms), n0(b.rowsPerSecond), '–', '–', '–', `${n1(b.serviceCpuSeconds.postgres)} / ${n1(b.serviceCpuSeconds.redis)}`, '–', '–', `${n2(b.loadBefore.load1)}→${n2(b.loadAfter.load1)}`],
      ],
    ),
    '',
    `Worker vs baseline: ${n2(w.answersPerSecond / b.rowsPerSecond)}×. Handing the ${n0(w.items)} items to the queue took ${ms(w.enqueueMs)} (not counted). PostgreSQL committed ${n0(w.transactions.committed)} transactions in the worker's database during the drain (${n2(w.transactions.perJob)} per job; ${n0(w.transactions.rolledBack)} rolled back), inserting ${n0(w.transactions.tuplesInserted)} and updating ${n0(w.transactions.tuplesUpdated)} rows.`,
    '',
    '### How the worker writes',
    '',
    'One job is a batch of many events, usually of many citizens, persisted in one transaction (`src/responses/persist-batch.ts`) on a node-postgres connection of its own (`src/db/sql-pool.ts`: the same tagged SQL as through Prisma, without Prisma\'s per-query handling of large array parameters, which was the worker\'s largest cost): one `SELECT` of the referenced responses, one multi-row insert of the responses not stored yet, one multi-row answer upsert (only the newest change per response and question), and for the completions one conditional `UPDATE … RETURNING` that flips them exactly once, one read of their stored answers (only missing, older or stale answers are written) and one multi-row upsert per rollup table (daily and monthly, criteria and options). Conversations with a stop, resume or abandon are applied in order instead, effect by effect through Prisma, in a transaction of their own (the property test in `test/responses/persist-batch.test.ts` checks the set-based path against that one). If the transaction fails, each conversation is retried in a transaction of its own, so one bad item cannot hold back the others. Rollup tables carry no foreign keys (they are derived and rebuilt by `npm run scoring:verify -- --rebuild`); the checks cost two lookups and a row lock per rollup row.',
    '',
    '### What limits this number',
    '',
    `During the drain the worker used ${n2(w.workerCores)} cores, PostgreSQL ${n2(w.serviceCpuSeconds.postgres / (w.drainMs / 1000))} cores and Redis ${n2(w.serviceCpuSeconds.redis / (w.drainMs / 1000))} cores (machine ${pct(w.machineBusyShare)} busy): about ${n0(cpuPerAnswerMs * 1000)} µs of CPU per stored answer across the three, where 20,000 answers/s on two cores allows at most 100 µs. Per answer the work is one row inserted into \`answers\` (two indexes and its foreign-key check against \`responses\`), its share of the completion (its stored answers read back once, and its share of the rollup rows upserted per completed response: daily and monthly, one per criterion and one per chosen option, \`__answered\` denominator and response marker), and in the worker the JSON decoding of the job (BullMQ), its zod validation, and the driver's encoding of the array parameters (see the profile). Worker and PostgreSQL take about the same share. The figure did not change with the worker's concurrency (2, 4 or 8 jobs at a time), nor with a second worker process, nor with \`synchronous_commit = off\`, nor with named (prepared) batch statements (A/B runs on 2026-12-01) — within the ±15 % this machine varies between minutes.`,
    '',
    ...rollupShareLines(p),
    '',
    profileSection('Profile: answers worker', p.profile?.profile, `the profiled run drained ${n0(p.profile?.run.answersPerSecond)} answers/s (${n0(p.profile?.run.citizens)} citizens); includes start-up`),
  ].join('\n');
}

/** The rollup writes replayed alone (absent from results files made before it existed). */
function rollupShareLines(p: PersistenceResult): string[] {
  const r = p.rollups;
  if (!r) return [];
  return [
    `**The rollup writes are the largest single part of PostgreSQL's work.** The median run's rollup writes replayed alone (the same ${n0(r.completions)} completions, grouped as in the run's jobs — the interleaving puts them in ${n0(r.transactions)} of its jobs, one transaction each — through the worker's own \`applyRollupIncrements\`, ${r.concurrency} transactions at a time, into empty rollup tables after the warm-up's): ${n0(r.rowsUpserted)} rollup rows written (${n1(r.rowsUpserted / Math.max(1, r.completions))} per completion, counted before rows of the same key in one transaction are merged) in ${ms(r.ms)}, ${n1(r.postgresCpuSeconds)} s of PostgreSQL CPU — ${n1(r.postgresUsPerAnswer)} µs per answer, ${pct(r.shareOfWorkerRunPostgres)} of the ${n1(r.workerRunPostgresUsPerAnswer)} µs PostgreSQL spent per answer in the worker run. (Earlier versions of this document said the figure did not change with the rollup writes switched off. That does not hold: with \`applyRollupIncrements\` made a no-op in the source, three runs drained 20,616, 21,157 and 21,751 answers/s where the same code with rollups drained 15,549, 13,738 and 17,072 a minute before, and PostgreSQL's CPU per answer fell from 43–56 to 26–28 µs; checked by hand on 2026-12-01, not part of \`npm run bench\`. A switch passed through the environment does not reach the worker, which the harness starts with an environment of its own.)`,
  ];
}

/** Seed phases in the order they run (the stored JSON does not keep key order). */
function seedPhases(t: Record<string, number>): [string, number][] {
  const order = ['migrate', 'units', 'responses+answers', 'answers indexes', 'answers foreign key', 'vacuum analyze (raw)', 'rebuildRollups', 'vacuum analyze (rollups)'];
  const known = order.filter((k) => k in t).map((k): [string, number] => [k, t[k]!]);
  return [...known, ...Object.entries(t).filter(([k]) => !order.includes(k))];
}

function scoringSection(s: ScoringResult): string {
  const seed = s.seed;
  const crit = s.explain[0];
  return [
    `Database \`${seed.database}\`: ${n0(seed.responses)} completed sipas-2017 responses over ${n0(seed.units)} units (20 departments, 80 districts, 600 communes; responses skewed towards the first units), completion times uniform over 2025, ${n0(seed.answers)} answers (${n1(seed.answers / seed.responses)} per response: the 18–22 criterion answers plus gender, field, complaint and overall — perception, expectation and free-text answers are left out to keep the table small; reports read only criterion and option answers). Seeded by \`bench/scoring/seed-scale.ts\` with set-based \`INSERT … SELECT generate_series\` inside PostgreSQL (50,000 responses per statement, two connections), the answers' unique index and foreign key dropped during the load and rebuilt after; rollups built by the product's \`rebuildRollups\` (SQL aggregation of the raw answers). ${seed.reused ? `This run reused the database seeded at ${seed.seededAt}; the seed timings below are from that seed.` : 'Seeded in this run.'}`,
    '',
    table(['seed phase', 'time'], seedPhases(seed.timingsMs).map(([k, v]) => [k, ms(v)])),
    '',
    `Sizes: ${Object.entries(seed.sizes).map(([k, v]) => `${k} ${v}`).join(', ')}. Rollup rows: ${n0(seed.rollupRows.criterion)} criterion rows, ${n0(seed.rollupRows.option)} option rows per unit × criterion/option × completion day, and ${n0(seed.rollupRows.monthlyCriterion ?? 0)} / ${n0(seed.rollupRows.monthlyOption ?? 0)} per unit × criterion/option × month.`,
    '',
    'In-process (the product\'s functions called by the benchmark as the reports route calls them: rollup queries through a node-postgres pool, the rest through the Prisma client):',
    '',
    table(['what', 'median', 'runs', 'detail'], s.inProcess.map((t) => [t.label, `**${ms(t.medianMs)}**`, t.runsMs.map((v) => ms(v)).join(', '), t.detail ? Object.entries(t.detail).map(([k, v]) => `${k} ${typeof v === 'number' ? n0(v) : v}`).join(', ') : ''])),
    '',
    'Through the product\'s HTTP routes (`src/main.ts --web` process, admin key; body counted and dropped by the client; RSS of the web process sampled every 20 ms):',
    '',
    table(
      ['download', 'median', 'runs', 'first byte', 'size', 'lines', 'RSS before → peak'],
      s.downloads.map((d) => [d.label, `**${ms(d.medianMs)}**`, d.runs.map((r) => ms(r.ms)).join(', '), ms(d.runs[0]?.ttfbMs), kib(d.bytes), d.lines === undefined ? '–' : n0(d.lines), `${mib(d.rssBeforeMiB)} → ${mib(d.peakRssMiB)}`]),
    ),
    '',
    '### What limits these numbers',
    '',
    `- **Report from rollups.** Rollups are kept per unit × criterion × day and, in the same transaction, per unit × criterion × month (\`src/scoring/apply-rollup-increments.ts\`). A report splits its period into leading days, whole months and trailing days (\`splitPeriod\` in \`src/scoring/load-rollup-counts.ts\`) and sums monthly rows for the whole months and daily rows only for the edges, with one \`GROUP BY\` per table over a \`UNION ALL\`; each query returns one JSON array. A whole year therefore reads about ${n0((seed.rollupRows.monthlyCriterion ?? 0) + (seed.rollupRows.monthlyOption ?? 0))} monthly rows instead of ${n0(seed.rollupRows.criterion + seed.rollupRows.option)} daily ones; its cost grows with units × criteria × months, not with responses. A period with partial months at both ends (mid-month to mid-month above) also reads the edge days through the \`(questionnaire_id, day)\` index, which is why it costs more than a whole year. The split above shows the two queries (PostgreSQL) against building the report tree in JavaScript.`,
    crit ? `- Plan of the criterion rollup query (EXPLAIN ANALYZE, whole year): \`${crit.plan.find((l) => /Execution Time/.test(l))?.trim() ?? ''}\`:\n\n\`\`\`\n${crit.plan.slice(0, 24).join('\n')}\n\`\`\`` : '',
    '- **Report from raw answers** joins every answer of completed responses in the period to its response and aggregates: its cost grows with the number of answers.',
    '- **HTTP downloads** add the audit row, the serialisation (JSON ~10 MB for 700 units, CSV, or the XLSX workbook built with exceljs\' streaming writer) and the transfer to the report computation. The microdata export streams responses in batches of 500 (keyset over the id) and never holds more than a batch.',
    '',
    profileSection('Profile: web process during the downloads', s.profile?.profile, 'the whole life of the web process: start-up and every download above, dominated by the two microdata exports (Prisma reading responses with their answers, 500 at a time)'),
  ].join('\n');
}

function broadcastSection(b: BroadcastResult): string {
  return [
    b.invitations
      ? `${n0(b.messages)} messages through the product's Telegram outbound queue (\`outbound-telegram\`, worker concurrency ${TELEGRAM_SEND_CONCURRENCY}, paced by the chat lanes at ${b.configuredJobsPerSecond} messages/s) in one product process (\`src/main.ts\`, web and workers, as \`npm start\`), against the fake Bot API enforcing Telegram's limits: at most ${b.fakeLimits.globalPerSecond} messages in any rolling second and ${b.fakeLimits.perChatIntervalMs} ms between two messages to one chat, otherwise \`429 Too Many Requests\` with \`retry_after\` (whole seconds), as Telegram answers. The broadcast proper is ${n0(b.invitations.requested)} invitations, one per chat, created through \`POST /api/v1/invitations/bulk\` (${n0(b.invitations.bulkRequests)} requests of at most 5,000 rows, ${ms(b.invitations.createMs)}) and turned into outbound jobs by the product's invitations worker; besides them ${n0(b.burstChats)} chats get ${b.burstSize} consecutive messages each (a burst of replies or reminders) through \`enqueueOutboundMany\`, the helper every outbound enqueue uses, back to back; each burst text carries its per-chat sequence number so the fake can check the order. The outbound queue is paused until everything is queued, so the run measures the pacing. Afterwards ${n0(b.invitations.sent)} of ${n0(b.invitations.created)} invitations were marked sent (${n0(b.invitations.undeliverable)} undeliverable).`
      : `${n0(b.messages)} messages through the product's Telegram outbound queue (\`outbound-telegram\`, worker concurrency ${TELEGRAM_SEND_CONCURRENCY}, paced by the chat lanes at ${b.configuredJobsPerSecond} messages/s; one message per job, enqueued through \`enqueueOutboundMany\`, which numbers each chat's jobs) in a worker process (\`src/main.ts --worker\`), against the fake Bot API enforcing Telegram's limits: at most ${b.fakeLimits.globalPerSecond} messages in any rolling second and ${b.fakeLimits.perChatIntervalMs} ms between two messages to one chat, otherwise \`429 Too Many Requests\` with \`retry_after\` (whole seconds), as Telegram answers. ${n0(b.singleMessageChats)} chats get one message (the broadcast proper) and ${n0(b.burstChats)} chats get ${b.burstSize} consecutive messages (an invitation followed by reminders, or a burst of replies), enqueued back to back; each text carries its per-chat sequence number so the fake can check the order.`,
    '',
    table(
      ['messages', 'chats', 'time', 'achieved rate', 'configured', 'max in one wall-clock / rolling second', 'least gap in one chat', '429 global', '429 per chat', 'Bot API calls', 'out of order (chats)', 'repeated', 'failed jobs', 'worker CPU s', 'peak RSS'],
      [
        [
          n0(b.messages),
          n0(b.chats),
          ms(b.durationMs),
          `**${n1(b.achievedPerSecond)}/s**`,
          `${b.configuredJobsPerSecond}/s`,
          `${b.fake.maxAcceptedInOneSecond} / ${b.fake.maxAcceptedInRollingSecond}`,
          b.fake.minChatGapMs === null ? '–' : ms(b.fake.minChatGapMs),
          n0(b.fake.rejected429Global),
          n0(b.fake.rejected429PerChat),
          n0(b.fake.calls.sendMessage ?? 0),
          `${b.fake.outOfOrder} (${b.fake.chatsWithOutOfOrder})`,
          b.fake.duplicates,
          b.failedJobs,
          n1(b.workerCpuSeconds),
          mib(b.rss.peakRssMiB),
        ],
      ],
    ),
    '',
    ...(b.replies ? repliesDuringBroadcast(b) : []),
    '### What limits this number',
    '',
    `- **Per chat** (\`src/outbound/chat-lanes.ts\`): each job gets its chat's next sequence number when enqueued (atomically in Redis, idempotent per job id); before each send a Lua script checks that it is the job's turn and that the chat's previous job finished at least ${b.fakeLimits.perChatIntervalMs} ms ago; otherwise the job is moved to delayed without spending an attempt, and other chats keep flowing. A job that is sent, dropped or given up releases the chat's next one, so a failure never stalls a chat. Postponed jobs go to the back of the queue, so a burst chat's ${b.burstSize} messages are spread over the broadcast rather than sent a second apart.`,
    `- **Bot-wide**: sends are spaced one slot every ${n0(1000 / b.configuredJobsPerSecond)} ms (${b.configuredJobsPerSecond}/s), and a log of recent sends caps any rolling second below Telegram's ${b.fakeLimits.globalPerSecond}, counting a send from just before the request until a second after its answer, so delayed or bunched requests cannot exceed the window. A 429 spends neither a slot nor an attempt and pauses the whole queue for \`retry_after\` (\`queue.rateLimit\`). The achieved rate is ${pct(b.achievedPerSecond / b.configuredJobsPerSecond)} of the configured one; the rest is the time jobs spend being postponed and picked up again.`,
    '',
  ].join('\n');
}

function repliesDuringBroadcast(b: BroadcastResult): string[] {
  const r = b.replies;
  return [
    '### Conversations during the broadcast',
    '',
    `While the broadcast drains, ${r.sent} citizens write \`/start\` to the bot through the webhook (one every 2 s from 3 s after the start; a median of ${n0(r.backlogAtProbe)} broadcast messages were still queued at each). The wait is from the webhook POST until the fake accepted the bot's first answer to that chat. Invitations and reminders are enqueued with a BullMQ priority, which BullMQ takes after jobs without one, so a reply does not queue behind the broadcast (\`src/outbound/enqueue-outbound.ts\`); a reply whose own chat still has a prioritized job ahead of it moves that job to the front (\`src/outbound/promote-head.ts\`). Before this change, with one FIFO queue, a standalone run of 2,000 messages (\`npx tsx bench/broadcast/bench-broadcast.ts --messages 2000\`, about 1,420 messages still queued at each probe) measured a median wait of 33.3 s and a longest of 53.0 s: in FIFO order a reply waits for the whole backlog at ${b.configuredJobsPerSecond}/s, which for the ${n0(r.backlogAtProbe)} queued here would be about ${n0(r.backlogAtProbe / b.configuredJobsPerSecond / 60)} minutes. The same standalone run after the change: median 656 ms, longest 677 ms.`,
    '',
    table(['citizens', 'answered', 'wait p50', 'p90', 'p99', 'longest'], [[r.sent, r.answered, ms(r.latencyMs.p50!), ms(r.latencyMs.p90!), ms(r.latencyMs.p99!), ms(r.maxMs)]]),
    '',
    `What remains is the bot-wide pacer: each of the ${TELEGRAM_SEND_CONCURRENCY} jobs the worker runs at once has reserved its send slot (one every ${n0(1000 / b.configuredJobsPerSecond)} ms) before it waits for it, so a reply taken next waits for the ${TELEGRAM_SEND_CONCURRENCY} sends ahead of it: about ${n0((TELEGRAM_SEND_CONCURRENCY * 1000) / b.configuredJobsPerSecond)} ms.`,
    '',
  ];
}

/** The structural step the hand-off measurement points at (empty when the results have none). */
function handoffClosing(h: WebhookResult['handoff']): string {
  if (!h) return '';
  const saved = h.summary['with hand-off'].nodeCpuUsPerUpdate - h.summary['without hand-off'].nodeCpuUsPerUpdate;
  return ` The larger step is structural: the hand-off measured in §1 costs ${n0(saved)} µs of Node.js CPU per update (${pct(h.handoffShare.node)} of the conversation path) and ${pct(h.handoffShare.redis)} of its Redis CPU, mostly the reply's BullMQ job and chat-lane script, although the bot's replies leave at 25 messages/s whatever the webhook rate. Appending the outbox to a Redis stream inside the session's compare-and-set script, read by the answers and outbound workers (consumer groups; the outbox id already makes the hand-off idempotent), would leave one script call per update on the request path instead of the job adds, the lane script and the clear; the measurement bounds what that can save. It changes how replies are queued, prioritised and retried, so it needs its own issue.`;
}

function closingSection(c: Ctx): string {
  const out: string[] = [];
  const { r } = c;
  if (r.webhook && !isErr(r.webhook)) {
    out.push(
      `- **Webhook throughput vs grammY + conversations (≥ ${TARGET.ratio}×)**. Done so far: the session's outbox lives in a hash field of its own (handing it over deletes the field instead of rewriting the document), the session scripts run as EVALSHA, the request path's Redis connection is auto-pipelined (commands of concurrent requests leave in one write; BullMQ workers keep a connection of their own), the engine copies the session field by field instead of \`structuredClone\`, the answers worker in the same process writes through node-postgres instead of Prisma, and a button press is answered in the webhook's own response (\`answerCallbackQuery\` as the reply body) instead of by the outbound job — which mainly fixes the spinner waiting behind the outbound queue; in this benchmark the sender is held at Telegram's 25/s anyway, so it saves little CPU here. What is left per update is spread thin (see the profile): about six Redis commands (session read and compare-and-set, the reply's lane number and job, the answers hand-off, clearing the outbox), the engine itself, JSON and zod for the session, the update and each job payload, fastify, garbage collection, and — in the one-process deployment — the answers worker's share. Next steps, in order of expected gain: (1) number the reply in its chat lane inside the session compare-and-set script (one round trip less) and add concurrent replies with one \`addBulk\`; (2) validate engine-produced job payloads once (in the worker) instead of on enqueue too. Splitting web and worker processes does not help on two cores.${handoffClosing(r.webhook.handoff)}`,
      r.webhook.paced
        ? `- **p99 ≤ ${TARGET.p99Ms} ms at that load.** Measured in open loop at ${n0(r.webhook.paced.ratePerSecond)} updates/s (${r.webhook.paced.ratio} × grammY): ${r.webhook.paced.runs.map((x) => `${LABEL[x.target]} p99 ${ms(x.load.latencyMs.p99)} at ${n0(x.load.updatesPerSecond)}/s achieved${keptUp(x) ? '' : ' (did not sustain the offered rate)'}`).join('; ')}. While the product cannot sustain the offered rate its latency is queueing, so this target follows the throughput one. The bare route shows what the machine itself allows at that rate.`
        : `- **p99 ≤ ${TARGET.p99Ms} ms at that load**: no open-loop run in this results file (it needs the grammY target at the top level).`,
    );
  }
  if (r.persistence && !isErr(r.persistence)) {
    const w = r.persistence.worker;
    if (w.answersPerSecond < TARGET.answersPerSecond) {
      out.push(
        `- **Persistence ≥ ${n0(TARGET.answersPerSecond)} answers/s** (median ${n0(w.answersPerSecond)}/s, ${pct(w.answersPerSecond / TARGET.answersPerSecond)} of the target). The per-job and per-transaction costs are gone and the batch statements no longer go through Prisma; concurrency, a second worker process, commit flushing and statement planning were each ruled out as the limit (§2).${r.persistence.rollups ? ` The rollup writes are ${pct(r.persistence.rollups.shareOfWorkerRunPostgres)} of PostgreSQL's CPU per answer (§2), about ${n0(r.persistence.rollups.rowsUpserted / Math.max(1, r.persistence.rollups.completions))} row upserts per completed response.` : ''} What would close the gap, in order of expected gain: (1) keep one rollup row per unit × period with the counts in an array laid out by the questionnaire version (2 row upserts per completion instead of ~${n0((r.persistence.rollups?.rowsUpserted ?? 188_800) / Math.max(1, r.persistence.rollups?.completions ?? 2000))}; with the rollup writes removed altogether the worker drained 20,616–21,751 answers/s on this machine); the catch is the report, which would then sum arrays instead of rows: measured by hand on 2026-12-01 on the 1M-response database (8,400 monthly arrays of 157 counts, a whole year), PostgreSQL takes 97–150 ms to hand them over as JSON (plus 5–24 ms to parse and sum them in JavaScript), 64–96 ms as text (plus 72–93 ms to split and sum), and node-postgres' own int[] decoding 207–299 ms, against 110–130 ms for today's row aggregation — and node-postgres cannot read binary results (pg-protocol has no binary mode). Arrays at both levels would trade the met report target for this one; arrays for the daily level only halve the rollup rows and leave whole months in rows, at the cost of slower edge days in month-misaligned periods; (2) persist in-progress answers at checkpoints (idle, or every N answers) instead of per event, so each answer row is written once and never read back at completion — a durability trade-off, since a session lost from Redis is rebuilt from what is stored; (3) drop the surrogate \`answers.id\` so an answer insert maintains one index instead of two; (4) a cheaper check of the job payload in the worker (it is validated on enqueue too).`,
      );
    }
  }
  if (r.scoring && !isErr(r.scoring)) {
    const rep = r.scoring.inProcess.find((t) => t.label.startsWith('report from rollups, whole year'));
    if (rep && rep.medianMs > TARGET.reportMs) {
      out.push(
        `- **Report from rollups ≤ ${TARGET.reportMs} ms** (median ${ms(rep.medianMs)}, runs ${rep.runsMs.map((v) => ms(v)).join(', ')}): what is left is the hash aggregation of ~385,000 monthly rows in PostgreSQL (the two queries run in parallel, through node-postgres) and the report building in JavaScript, and the spread between runs is the machine. A yearly rollup level (or caching the report per period until the next completion in it) would make whole-year reports independent of the month count.${(() => { const j = r.scoring.downloads.find((d) => d.label.startsWith('index report JSON')); return j ? ` Through HTTP the JSON report takes ${ms(j.medianMs)}: the same computation plus the audit row and serialising and sending ${kib(j.bytes)} (every unit's criteria, elements, intervals and ranks); a cache would serve the bytes directly.` : ''; })()}`,
      );
    }
    const json = r.scoring.downloads.find((d) => d.label.startsWith('index report JSON'));
    if (rep && rep.medianMs <= TARGET.reportMs && json && json.medianMs > TARGET.reportMs) {
      out.push(
        `- **The same report through HTTP JSON** (median ${ms(json.medianMs)} against ${TARGET.reportMs} ms; the in-process report meets its target at ${ms(rep.medianMs)}): the route adds the audit row, \`JSON.stringify\` of ${kib(json.bytes)} (about 60–100 ms on this machine; measured alone), the garbage it leaves, and sending it. The size is the contract's shape: every unit carries its full tree of elements and criteria with titles, intervals, counts and full-precision indexes (DESIGN.md §4). What would close it: a per-period cache of the serialised report, invalidated when a completion lands in the period (a whole-year report then costs a lookup until the next completion), or an opt-in compact shape (titles once, indexes rounded) for dashboards.`,
      );
    }
    const xlsx = r.scoring.downloads.find((d) => d.label === 'index report XLSX (HTTP)');
    if (xlsx && xlsx.medianMs > TARGET.xlsxMs) out.push('- **XLSX ≤ 3 s**: most of the time is the rollup report itself (above); the workbook writing is the rest (see the web-process profile).');
  }
  if (r.broadcast && !isErr(r.broadcast)) {
    const b = r.broadcast;
    const total429 = b.fake.rejected429Global + b.fake.rejected429PerChat;
    if (total429 > 0 || b.fake.outOfOrder > 0) {
      out.push(`- **Broadcast**: ${n0(total429)} 429s and ${n0(b.fake.outOfOrder)} messages out of order remain; see §4 for how the lanes pace and order sends.`);
    }
  }
  return out.length ? out.join('\n') : 'Every target of this run is met.';
}

export function renderDoc(r: RunResults, resultsFile: string): string {
  const c: Ctx = { r, cpus: Number(r.machine.nproc) || 2 };
  const parts: string[] = [
    '# Benchmarks',
    '',
    `> Generated by \`bench/render-doc.ts\` from \`${resultsFile}\` (a ${r.mode} run of \`${r.command}\`, ${r.startedAt.slice(0, 10)}). Do not edit by hand: rerun \`npm run bench\` (or render again with \`npx tsx bench/render-doc.ts <results.json>\`). Benchmarks print and write figures; they never pass or fail. The results JSON (gitignored) holds every raw number, per-run load averages and the profile summaries.`,
    '',
    '## Summary against the targets',
    '',
    summary(c),
    '',
    '## Machine and run',
    '',
    machineSection(c),
  ];
  const section = <T>(title: string, v: T | BenchError | undefined, render: (x: T) => string) => {
    parts.push(`## ${title}`, '');
    if (v === undefined) parts.push('*Not run in this run.*', '');
    else if (isErr(v)) parts.push(`*The benchmark crashed:* \`${v.message}\``, '');
    else parts.push(render(v), '');
  };
  section('1. Webhook throughput and latency', r.webhook, (w) => webhookSection(c, w));
  section('2. Persistence: answers worker vs single-row inserts', r.persistence, persistenceSection);
  section('3. Scoring and exports at scale', r.scoring, scoringSection);
  section('4. Broadcast pacing through the Telegram outbound queue', r.broadcast, broadcastSection);
  parts.push('## What would close each gap', '', closingSection(c), '');
  parts.push(
    '## Reproduce',
    '',
    '```sh',
    'npm run bench                         # all four, full sizes (~20 min on this machine; the first run also seeds 1M responses, ~4 min)',
    'npm run bench -- --quick              # small sizes, a few minutes; writes bench/results/ only',
    'npm run bench -- --only webhook       # one benchmark (webhook, persistence, scoring, broadcast; comma-separated)',
    'npm run bench -- --reseed             # rebuild the 1M-response database (sipas_bench_scale)',
    'npm run bench -- --no-profile         # skip the node --cpu-prof runs',
    'npm run bench -- --only webhook --levels 200 --targets product,grammy   # a subset of levels and targets (no doc rendered)',
    'npx tsx bench/scoring/seed-scale.ts --responses 1000000   # the seed alone (skips when already seeded)',
    'npx tsx bench/render-doc.ts bench/results/<timestamp>.json # re-render this file',
    '```',
    '',
    'Needs PostgreSQL on 127.0.0.1:5432 (user `postgres`, trust) and Redis on 127.0.0.1:6379. The benchmarks use only the databases `sipas_bench*` and the Redis keys `{bench*}` (`{bench-<pid>}` per run, `{bench-split}`, `{bench-grammy}`, `{bench-count}`, `{bench-broadcast}` prefixes), and stop every process they start (also on errors and Ctrl-C). Work files — load-generator inputs and outputs, process logs, `.cpuprofile` files — go to `bench/results/<timestamp>/`.',
    '',
  );
  return parts.join('\n');
}

function newestFullResult(): string {
  const dir = path.join(ROOT, 'bench', 'results');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .reverse();
  for (const f of files) {
    const r = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as RunResults;
    if (r.mode === 'full') return path.join(dir, f);
  }
  if (files[0]) return path.join(dir, files[0]);
  throw new Error('no results in bench/results/: run npm run bench first');
}

/** Recomputes the profile summaries from the saved .cpuprofile files (when still present) with the current summariser. */
function refreshProfiles(r: RunResults): void {
  const refresh = (p: ProfileSummary | null | undefined): ProfileSummary | null | undefined => {
    if (!p) return p;
    const file = path.join(ROOT, p.file);
    return existsSync(file) ? summarizeProfile(file) : p;
  };
  if (r.webhook && !isErr(r.webhook)) for (const p of r.webhook.profiles) p.profile = refresh(p.profile) ?? null;
  if (r.persistence && !isErr(r.persistence) && r.persistence.profile) r.persistence.profile.profile = refresh(r.persistence.profile.profile) ?? null;
  if (r.scoring && !isErr(r.scoring) && r.scoring.profile) r.scoring.profile.profile = refresh(r.scoring.profile.profile) ?? null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ? path.resolve(process.argv[2]) : newestFullResult();
  const r = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  refreshProfiles(r);
  const out = path.join(ROOT, 'docs', 'BENCHMARKS.md');
  writeFileSync(out, renderDoc(r, path.relative(ROOT, file)));
  process.stdout.write(`rendered ${path.relative(ROOT, out)} from ${path.relative(ROOT, file)}\n`);
}
