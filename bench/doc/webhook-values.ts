import type { ProfileSummary } from '../lib/cpu-profile.js';
import type { LevelRun, WebhookResult } from '../webhook/bench-webhook.js';
import type { Values } from './fill-template.js';
import { ms, n0, n1, n2, pct, profileValues, rows } from './format.js';
import { TARGET } from './targets.js';
import { webhookLoopValues } from './webhook-loop.js';
import { deploymentSummary, keptUp, LABEL, levelRow, ratioRow, roundsTable, sustained, topRounds } from './webhook-runs.js';

/** Shares of a profile's busy time by groups of areas. */
function groupShare(p: ProfileSummary, match: (area: string) => boolean): string {
  return pct(p.byArea.filter((a) => match(a.area)).reduce((sum, a) => sum + a.share, 0));
}

function productValues(w: WebhookResult, pTop: LevelRun): Values {
  const profile = w.profiles.find((p) => p.target === 'product')?.profile;
  const rc = w.redisPerUpdate;
  const jobs = rc ? ((rc.byCommand['evalsha answers'] ?? 0) + (rc.byCommand['evalsha outbound-telegram'] ?? 0)) / rc.updates : NaN;
  const v: Values = {
    'w.p': 'yes',
    'w.p.rate': n0(pTop.load.updatesPerSecond),
    'w.p.cores': n2(pTop.targetCores),
    'w.p.busy': pct(pTop.machineBusyShare),
    'w.p.answers': n0(pTop.expectedAnswers),
    'w.p.ackMs': ms(pTop.load.durationMs),
    'w.p.drain': ms(pTop.drainAfterLastAckMs),
    'w.p.e2eRate': n0(sustained(pTop)),
    'w.p.p99': ms(pTop.load.latencyMs.p99),
  };
  if (profile) {
    Object.assign(v, {
      'w.cpu': 'yes',
      'w.cpu.db': groupShare(profile, (a) => a === 'pg' || a.startsWith('pg-') || a.startsWith('@prisma/')),
      'w.cpu.redis': groupShare(profile, (a) => a === 'ioredis' || a === 'bullmq'),
      'w.cpu.gc': groupShare(profile, (a) => a === 'GC'),
      'w.cpu.zod': groupShare(profile, (a) => a === 'zod'),
      'w.cpu.fastify': groupShare(profile, (a) => a === 'fastify'),
      'w.cpu.ours': groupShare(profile, (a) => a.startsWith('src/') || a === 'webhooks'),
    });
  }
  if (rc) {
    const byCommand = Object.entries(rc.byCommand).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    Object.assign(v, { 'w.rc': 'yes', 'w.rc.perUpdate': n1(rc.clientPerUpdate), 'w.rc.byCommand': byCommand, 'w.rc.updates': rc.updates, 'w.rc.lua': n1(rc.luaPerUpdate), 'w.rc.jobs': n1(jobs) });
  }
  return v;
}

function pacedValues(w: WebhookResult): Values {
  const p = w.paced;
  if (!p) return {};
  const bare = p.runs.find((x) => x.target === 'bare');
  const cells = p.runs.map((x) => [
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
  return {
    'w.paced': 'yes',
    'w.paced.rate': n0(p.ratePerSecond),
    'w.paced.ratio': p.ratio,
    'w.paced.basis': n0(p.basisUpdatesPerSecond),
    'w.paced.citizens': p.citizens,
    'w.paced.interval': n0((p.citizens / p.ratePerSecond) * 1000),
    'w.paced.rows': rows(cells),
    'w.paced.bare': bare ? ms(bare.load.latencyMs.p99) : undefined,
    'c.pacedRuns': p.runs.map((x) => `${LABEL[x.target]} p99 ${ms(x.load.latencyMs.p99)} at ${n0(x.load.updatesPerSecond)}/s achieved${keptUp(x) ? '' : ' (did not sustain the offered rate)'}`).join('; '),
  };
}

/** Everything docs/BENCHMARKS.md says about the webhook benchmark: its summary rows, §1, and its part of the closing section. */
export function webhookValues(w: WebhookResult): Values {
  const top = w.levels.at(-1)!;
  const at = (t: LevelRun['target']) => w.runs.find((x) => x.target === t && x.citizens === top);
  const runsOf = (t: LevelRun['target']) => w.runs.filter((x) => x.target === t);
  const [pTop, gTop, sTop] = [at('product'), at('grammy'), at('product-split')];
  const products = w.runs.filter((x) => x.target === 'product' || x.target === 'product-split');
  const within = (t: LevelRun['target']) => runsOf(t).filter((x) => (x.load.latencyMs.p99 ?? Infinity) <= TARGET.p99Ms).map((x) => `${x.citizens} citizens`).join(', ');
  const calls = (key: string) => Object.entries(w.botApiCalls[key] ?? {}).map(([m, k]) => `${m} ${n0(k)}`).join(', ') || '–';
  const stray = products.reduce((s, x) => s + (x.strayResponses ?? 0), 0);
  const lost = products.reduce((s, x) => s + (x.lostAnswers ?? 0), 0);
  const incomplete = products.reduce((s, x) => s + (x.citizens - (x.completedResponses ?? 0)), 0);
  const pProfile = w.profiles.find((p) => p.target === 'product');
  const gProfile = w.profiles.find((p) => p.target === 'grammy');
  const rounds = topRounds(w).length;
  return {
    w: 'yes',
    'w.top': top,
    'w.warmup': w.warmupCitizens,
    ...(gTop ? { 's.grammy.rate': n0(gTop.load.updatesPerSecond), 's.grammy.e2eRate': n0(sustained(gTop)) } : {}),
    ...deploymentSummary(w, 'product', 's.product'),
    ...deploymentSummary(w, 'product-split', 's.split'),
    's.lost': lost,
    's.incomplete': incomplete,
    's.stray': stray || undefined,
    's.lostVerdict': lost === 0 && incomplete === 0 ? 'met' : '**missed**',
    'w.levelRows': rows(w.runs.map(levelRow)),
    'w.ratioRows': rows(w.levels.map((lvl) => ratioRow(w, lvl))),
    'w.rounds': rounds > 1 ? rounds : undefined,
    'w.roundsTable': rounds > 1 ? roundsTable(w) : undefined,
    'w.productCalls': calls(`product-${top}`),
    'w.grammyCalls': calls(`grammy-${top}`),
    'w.bareTop': n0(runsOf('bare').at(-1)?.load.updatesPerSecond),
    ...(pTop ? productValues(w, pTop) : {}),
    ...(gTop ? { 'w.g': 'yes', 'w.g.rate': n0(gTop.load.updatesPerSecond), 'w.g.cores': n2(gTop.targetCores) } : {}),
    ...(sTop && pTop ? { 'w.split': 'yes', 'w.split.rate': n0(sTop.load.updatesPerSecond), 'w.split.vsOne': n2(sTop.load.updatesPerSecond / pTop.load.updatesPerSecond), 'w.split.p99': ms(sTop.load.latencyMs.p99), 'w.split.cores': n2(sTop.targetCores), 'w.split.busy': pct(sTop.machineBusyShare) } : {}),
    'w.bareP99s': runsOf('bare').map((x) => `${ms(x.load.latencyMs.p99)} at ${x.citizens}`).join(', '),
    'w.within': within('product'),
    'w.splitWithin': within('product-split'),
    ...pacedValues(w),
    ...webhookLoopValues(w),
    ...profileValues('pr.product', pProfile?.profile),
    'pr.product.citizens': pProfile?.citizens ?? top,
    'pr.product.rate': n0(pProfile?.load.updatesPerSecond),
    ...profileValues('pr.grammy', gProfile?.profile),
    'pr.grammy.citizens': gProfile?.citizens ?? top,
    'pr.grammy.rate': n0(gProfile?.load.updatesPerSecond),
    'c.webhook': 'yes',
    'c.any': 'yes',
  };
}
