/**
 * Renders docs/BENCHMARKS.md from a results file of `npm run bench`: the text is
 * bench/doc/BENCHMARKS.template.md (and its parts), the figures come from the results.
 *
 *   npx tsx bench/render-doc.ts [bench/results/<timestamp>.json]   # default: the newest full run
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
  if (r.webhook && !isError(r.webhook)) for (const p of r.webhook.profiles) p.profile = refresh(p.profile) ?? null;
  if (r.persistence && !isError(r.persistence) && r.persistence.profile) r.persistence.profile.profile = refresh(r.persistence.profile.profile) ?? null;
  if (r.scoring && !isError(r.scoring) && r.scoring.profile) r.scoring.profile.profile = refresh(r.scoring.profile.profile) ?? null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ? path.resolve(process.argv[2]) : newestFullResult();
  const r = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  refreshProfiles(r);
  const out = path.join(ROOT, 'docs', 'BENCHMARKS.md');
  writeFileSync(out, renderDoc(r, path.relative(ROOT, file)));
  process.stdout.write(`rendered ${path.relative(ROOT, out)} from ${path.relative(ROOT, file)}\n`);
}
