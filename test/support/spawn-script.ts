/**
 * Running the product's scripts as their own processes — `src/main.ts` (as `npm start`),
 * the command-line tools, the benchmarks' targets — the way the tests and the benchmarks
 * both do it: `node --import tsx <entry>` from the repository root, with exactly the given
 * environment on top of PATH, HOME and TZ (never the caller's whole environment, so a
 * developer's DATABASE_URL cannot leak into a test). Every child is tracked, so an error,
 * a signal or the end of this process still stops it; its output is kept (the tail) and,
 * given a log file, written there too. Also: readiness waits, and RSS / CPU sampling of a
 * child from /proc for the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait-until.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ScriptProcess = {
  name: string;
  child: ChildProcess;
  pid: number;
  /** What the child wrote to stdout and stderr, interleaved (the last 200,000 characters). */
  output(): string;
  /** The exit code (128 when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
};

export type SpawnOptions = {
  /** For messages and logs (default: the entry). */
  name?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Node flags before `--import tsx`, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Appends the child's output to this file as well. */
  logFile?: string;
  /** Written to the child's standard input, which is then closed (e.g. a password for --password-stdin). */
  stdin?: string;
};

const running = new Set<ScriptProcess>();
const EXIT_WITH_PARENT = path.join(ROOT, 'test/support/exit-with-parent.ts');

/** Starts a TypeScript entry point (a path from the repository root) with `node --import tsx`. */
export function spawnScript(entry: string, opts: SpawnOptions = {}): ScriptProcess {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...(process.env.TZ ? { TZ: process.env.TZ } : {}) };
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', '--import', EXIT_WITH_PARENT, entry, ...(opts.args ?? [])], { cwd: ROOT, env: { ...base, ...opts.env }, stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  let out = '';
  const keep = (d: Buffer) => {
    log?.write(d);
    // The tail is enough to find ready lines and errors, and bounds a long benchmark's memory.
    out = (out + d.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(proc);
      log?.end();
      resolve(code ?? (signal ? 128 : null));
    }),
  );
  const proc: ScriptProcess = {
    name: opts.name ?? entry,
    child,
    pid: child.pid ?? -1,
    output: () => out,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(proc);
  return proc;
}

/** Runs a script to its end: its exit code and everything it printed. */
export async function runScript(entry: string, args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number | null; out: string }> {
  const proc = spawnScript(entry, { args, env, ...(stdin === undefined ? {} : { stdin }) });
  const code = await proc.exited;
  return { code, out: proc.output() };
}

/** Starts `src/main.ts` as `npm start` would (LOG_LEVEL info unless given). */
export function spawnMain(env: Record<string, string>, args: string[] = []): ScriptProcess {
  return spawnScript('src/main.ts', { args, env: { LOG_LEVEL: 'info', ...env } });
}

/** Stops every child still running (on errors and signals). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop(5_000)));
}

process.on('exit', () => {
  for (const p of running) p.child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` while the child runs; throws with the child's output when it exits first. */
function whileRunning<T>(p: ScriptProcess, what: string, check: () => Promise<T> | T, timeoutMs: number, everyMs: number) {
  let exited = false;
  void p.exited.then(() => (exited = true));
  return waitUntil(
    () => {
      if (exited) throw new Error(`${p.name} exited before ${what}:\n${p.output().slice(-3000)}`);
      return check();
    },
    `${p.name}: ${what}`,
    timeoutMs,
    everyMs,
  );
}

/** Waits until `GET url` answers 2xx. */
export async function waitHttpReady(p: ScriptProcess, url: string, timeoutMs = 60_000): Promise<void> {
  await whileRunning(p, `it answered ${url}`, () => fetch(url).then((res) => res.ok, () => false), timeoutMs, 200);
}

/** Waits until the child printed `marker`. */
export async function waitOutput(p: ScriptProcess, marker: string | RegExp, timeoutMs = 60_000): Promise<void> {
  await whileRunning(p, `it printed ${String(marker)}`, () => (typeof marker === 'string' ? p.output().includes(marker) : marker.test(p.output())), timeoutMs, 100);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** VmRSS and VmHWM of /proc/<pid>/status in MiB; undefined when the process is gone. */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command: utime is the 12th field, stime the 13th (0-based 11, 12).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs`; `stop()` returns the peak seen and VmHWM. */
export function sampleRss(pid: number, everyMs = 50): { stop(): { peakRssMiB: number; hwmMiB: number } } {
  let peak = memoryOf(pid)?.rssMiB ?? 0;
  const timer = setInterval(() => {
    const m = memoryOf(pid);
    if (m && m.rssMiB > peak) peak = m.rssMiB;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const m = memoryOf(pid);
      if (m && m.rssMiB > peak) peak = m.rssMiB;
      return { peakRssMiB: round1(peak), hwmMiB: round1(m?.hwmMiB ?? NaN) };
    },
  };
}
