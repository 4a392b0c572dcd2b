/**
 * Renders docs/BENCHMARKS.md from a results file of `npm run bench`: the text is
 * bench/doc/BENCHMARKS.template.md (and its parts), the figures come from the results.
 *
 *   npx tsx bench/render-doc.ts [bench/results/<timestamp>.json]   # default: the newest complete run
 *   npx tsx bench/render-doc.ts --merge bench/results/<partial>.json [bench/results/<complete>.json]
 *       # the benchmarks of a partial run (e.g. --only webhook) over a complete run (default: the newest),
 *       # saved as bench/results/<partial>-merged.json and rendered from there
 *   npx tsx bench/render-doc.ts --splice bench/results/<webhook or persistence run>.json
 *       # no complete run at hand: only that run's sections (with their summary rows and closing bullets) are replaced
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spliceSection } from './splice-section.js';
import { ROOT } from '../test/support/spawn-script.js';
import { broadcastValues } from './doc/broadcast-values.js';
import { bulkValues } from './doc/bulk-values.js';
import { progressValues } from './doc/progress-values.js';
import { consoleValues } from './doc/console-values.js';
import { fillTemplate, type Values } from './doc/fill-template.js';
import { hostileValues } from './doc/hostile-values.js';
import { machineValues } from './doc/machine-values.js';
import { n0 } from './doc/format.js';
import { persistenceValues } from './doc/persistence-values.js';
import { scoringValues } from './doc/scoring-values.js';
import { TARGET } from './doc/targets.js';
import { webhookValues } from './doc/webhook-values.js';
import { summarizeProfile, type ProfileSummary } from './lib/cpu-profile.js';
import { isError, type BenchError } from './lib/bench-error.js';
import type { RunResults } from './run-all.js';

/** A benchmark's values, or the flags that say it did not run or crashed. */
function part<T>(key: string, v: T | BenchError | undefined, values: (x: T) => Values): Values {
  if (v === undefined) return { [`${key}.notRun`]: 'yes' };
  if (isError(v)) return { [`${key}.crashed`]: v.message };
  return values(v);
}

/** A run of the console benchmark alone: its section and the machine table (docs/BENCHMARKS-console.md). */
export function renderConsoleDoc(r: RunResults, resultsFile: string): string {
  return fillTemplate('BENCHMARKS-console.template', { resultsFile, mode: r.mode, command: r.command, date: r.startedAt.slice(0, 10), ...machineValues(r), ...part('cp', r.console, consoleValues) });
}

export function renderDoc(r: RunResults, resultsFile: string): string {
  // Schema 2: the benchmarks reached the product through its public entry points (see bench/README.md).
  const publicEntryPoints = r.schema >= 2;
  return fillTemplate('BENCHMARKS.template', {
    resultsFile,
    mode: r.mode,
    command: r.command,
    date: r.startedAt.slice(0, 10),
    'target.ratio': TARGET.ratio,
    'target.p99': TARGET.p99Ms,
    'target.answers': n0(TARGET.answersPerSecond),
    'target.report': TARGET.reportMs,
    ...machineValues(r),
    ...part('w', r.webhook, webhookValues),
    ...part('p', r.persistence, (p) => persistenceValues(p, publicEntryPoints)),
    ...part('sc', r.scoring, (s) => scoringValues(s, publicEntryPoints)),
    ...part('b', r.broadcast, broadcastValues),
    ...part('h', r.hostile, hostileValues),
    ...part('bk', r.bulk, bulkValues),
    ...part('pg', r.progress, progressValues),
    ...part('cp', r.console, consoleValues),
  });
}

/** A full-size run of every benchmark (`--only`, `--levels` or `--targets` make a partial one), or a merge over one. */
const isComplete = (r: RunResults) => r.mode === 'full' && (Boolean(r.mergedFrom) || !r.argv.some((a) => /^--(only|levels|targets)\b/.test(a)));

export function newestFullResult(): string {
  const dir = path.join(ROOT, 'bench', 'results');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .reverse();
  for (const f of files) {
    const r = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as RunResults;
    if (isComplete(r)) return path.join(dir, f);
  }
  if (files[0]) return path.join(dir, files[0]);
  throw new Error('no results in bench/results/: run npm run bench first');
}

/** Sections `--splice` can put into the published document, with their summary rows and closing bullets. */
const SPLICEABLE = [
  { key: 'webhook', heading: '## 1. Webhook throughput and latency', summaryRows: ['| Webhook throughput', '| … counted until every answer', '| p99 ack latency at that load', '| Answers lost by the product'], closingBullets: ['- **Webhook throughput', '- **p99 ≤'] },
  { key: 'persistence', heading: '## 2. Persistence: answers worker vs single-row inserts', summaryRows: ['| Answers persisted per second'], closingBullets: ['- **Persistence'] },
] as const;

const BENCH_KEYS = ['webhook', 'persistence', 'scoring', 'broadcast', 'hostile', 'bulk', 'progress', 'console'] as const;

/**
 * The benchmarks a partial run measured, put over a complete run's results: the rest of the
 * document keeps the complete run's figures. Machine and settings stay the complete run's
 * (same machine); each benchmark's load row is the run's that measured it.
 */
export function mergeResults(base: RunResults, baseFile: string, partial: RunResults, partialFile: string): RunResults {
  const merged: RunResults = { ...base, load: { ...base.load, perBench: { ...base.load.perBench } }, mergedFrom: [baseFile, partialFile] };
  const taken: string[] = [];
  for (const key of BENCH_KEYS) {
    if (partial[key] === undefined) continue;
    (merged as Record<string, unknown>)[key] = partial[key];
    if (partial.load.perBench[key]) merged.load.perBench[key] = partial.load.perBench[key];
    taken.push(key);
  }
  if (partial.mode === 'quick') merged.mode = 'quick';
  // The header quotes the command in backticks: none inside.
  merged.command = `${base.command}; ${taken.join(', ')} from ${partial.command} (${partial.startedAt.slice(0, 16).replace('T', ' ')})`;
  merged.finishedAt = partial.finishedAt > base.finishedAt ? partial.finishedAt : base.finishedAt;
  return merged;
}

/** Merges `partialFile` over `baseFile`, saves the merge beside the partial run and renders docs/BENCHMARKS.md from it. */
export function renderMerged(partialFile: string, baseFile: string): string {
  const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as RunResults;
  const merged = mergeResults(read(baseFile), path.relative(ROOT, baseFile), read(partialFile), path.relative(ROOT, partialFile));
  const out = partialFile.replace(/\.json$/, '-merged.json');
  writeFileSync(out, JSON.stringify(merged, null, 2));
  refreshProfiles(merged);
  writeFileSync(path.join(ROOT, 'docs', 'BENCHMARKS.md'), renderDoc(merged, path.relative(ROOT, out)));
  return out;
}

/** Recomputes the profile summaries from the saved .cpuprofile files (when still present) with the current summariser. */
function refreshProfiles(r: RunResults): void {
  const refresh = (p: ProfileSummary | null | undefined): ProfileSummary | null | undefined => {
    if (!p) return p;
    const file = path.join(ROOT, p.file);
    return existsSync(file) ? summarizeProfile(file) : p;
  };
  if (r.webhook && !isError(r.webhook)) for (const p of r.webhook.profiles) p.profile = refresh(p.profile) ?? null;
  if (r.persistence && !isError(r.persistence) && r.persistence.profile) r.persistence.profile.profile = refresh(r.persistence.profile.profile) ?? null;
  if (r.scoring && !isError(r.scoring) && r.scoring.profile) r.scoring.profile.profile = refresh(r.scoring.profile.profile) ?? null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--merge') {
  if (!process.argv[3]) throw new Error('usage: render-doc.ts --merge <partial results.json> [<complete results.json>]');
  const partial = path.resolve(process.argv[3]);
  const base = process.argv[4] ? path.resolve(process.argv[4]) : newestFullResult();
  const out = renderMerged(partial, base);
  process.stdout.write(`rendered docs/BENCHMARKS.md from ${path.relative(ROOT, out)} (${path.relative(ROOT, partial)} over ${path.relative(ROOT, base)})\n`);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--splice') {
  if (!process.argv[3]) throw new Error('usage: render-doc.ts --splice <results.json of a webhook or persistence run>');
  const file = path.resolve(process.argv[3]);
  const r = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  refreshProfiles(r);
  const out = path.join(ROOT, 'docs', 'BENCHMARKS.md');
  const source = `\`${path.relative(ROOT, file)}\` (${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${r.machine.nproc} cores, ${r.machine.cpuModel})`;
  let doc = readFileSync(out, 'utf8');
  const fresh = renderDoc(r, path.relative(ROOT, file));
  for (const section of SPLICEABLE.filter((x) => r[x.key] !== undefined)) doc = spliceSection(doc, fresh, { ...section, source });
  writeFileSync(out, doc);
  process.stdout.write(`spliced ${SPLICEABLE.filter((x) => r[x.key] !== undefined).map((x) => x.key).join(', ')} into ${path.relative(ROOT, out)} from ${path.relative(ROOT, file)}\n`);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ? path.resolve(process.argv[2]) : newestFullResult();
  const r = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  refreshProfiles(r);
  const out = path.join(ROOT, 'docs', 'BENCHMARKS.md');
  writeFileSync(out, renderDoc(r, path.relative(ROOT, file)));
  process.stdout.write(`rendered ${path.relative(ROOT, out)} from ${path.relative(ROOT, file)}\n`);
}
