import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every child this process started, so an error or a signal still stops them all. */
const running = new Set<Managed>();

export type Managed = {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Everything the child wrote (also appended to its log file). */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
};

/**
 * Starts a TypeScript entry point with `node --import tsx` (plus extra node flags such as
 * `--cpu-prof`), with exactly `env` on top of PATH/HOME. Output goes to `logFile`.
 */
export function spawnTs(name: string, entry: string, opts: { args?: string[]; env?: Record<string, string>; nodeFlags?: string[]; logFile: string }): Managed {
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', entry, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  let out = '';
  const keep = (d: Buffer) => {
    log.write(d);
    // Keep the tail only: enough to find ready lines and errors.
    out = (out + d.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(m);
      log.end();
      resolve(code ?? (signal ? 128 : null));
    }),
  );
  const m: Managed = {
    name,
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
  running.add(m);
  return m;
}

/** Stops every child still running (used on errors and signals). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((m) => m.stop(5_000)));
}

process.on('exit', () => {
  for (const m of running) m.child.kill('SIGKILL');
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

/** Polls `check` every `everyMs` until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Waits until `GET url` answers 200, or the child exits (then throws with its output). */
export async function waitHttpReady(m: Managed, url: string, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void m.exited.then(() => (exited = true));
  await waitFor(
    `${m.name} at ${url}`,
    async () => {
      if (exited) throw new Error(`${m.name} exited before it was ready:\n${m.output().slice(-3000)}`);
      try {
        const res = await fetch(url);
        return res.ok;
      } catch {
        return false;
      }
    },
    timeoutMs,
    200,
  );
}

/** Waits until the child printed `marker`, or exits. */
export async function waitOutput(m: Managed, marker: string | RegExp, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void m.exited.then(() => (exited = true));
  await waitFor(
    `${m.name} to print ${String(marker)}`,
    () => {
      if (exited) throw new Error(`${m.name} exited:\n${m.output().slice(-3000)}`);
      const out = m.output();
      return typeof marker === 'string' ? out.includes(marker) : marker.test(out);
    },
    timeoutMs,
    100,
  );
}

/** kB figures of /proc/<pid>/status (VmRSS, VmHWM), in MiB; undefined when the process is gone. */
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
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: utime is the 12th, stime the 13th (0-based 11, 12).
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

export const round1 = (n: number) => Math.round(n * 10) / 10;
