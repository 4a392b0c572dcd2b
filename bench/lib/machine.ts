import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export type LoadAverage = { at: string; load1: number; load5: number; load15: number; uptime: string };

/** `uptime` and its load averages (other developers may be running tests on this machine). */
export function loadAverage(): LoadAverage {
  const [load1, load5, load15] = os.loadavg().map((n) => Math.round(n * 100) / 100) as [number, number, number];
  let uptime = '';
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average: ${load1}, ${load5}, ${load15}`;
  }
  return { at: new Date().toISOString(), load1, load5, load15, uptime };
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch (err) {
    return `(${cmd} failed: ${(err as Error).message.split('\n')[0]})`;
  }
}

export type MachineInfo = {
  nproc: string;
  cpuModel: string;
  freeH: string;
  node: string;
  postgres: string;
  redis: string;
  kernel: string;
  diskWork: string;
};

export function machineInfo(pgVersion: string, redisVersion: string): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: run('nproc', []),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    freeH: run('free', ['-h']),
    node: process.version,
    postgres: pgVersion,
    redis: redisVersion,
    kernel: `${os.type()} ${os.release()}`,
    diskWork: run('df', ['-h', '/work']),
  };
}

/**
 * CPU time the hypervisor gave to other guests ("steal", /proc/stat's 8th field) and all
 * CPU time, in ticks: on this shared virtual machine a high steal share is why every
 * figure of a run, baselines included, is lower than in a quieter hour.
 */
export function stealTicks(): { steal: number; total: number } {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { steal: v[7] ?? 0, total: v.reduce((s, n) => s + n, 0) };
}

/** Share of CPU time stolen between two `stealTicks()` readings. */
export const stealShare = (a: { steal: number; total: number }, b: { steal: number; total: number }) =>
  b.total > a.total ? Math.round(((b.steal - a.steal) / (b.total - a.total)) * 1000) / 1000 : 0;

/** Busy share of all CPUs between two readings of /proc/stat. */
export function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((s, n) => s + n, 0);
  return { busy: total - idle, total };
}

export function busyShare(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  const dt = b.total - a.total;
  return dt > 0 ? Math.round(((b.busy - a.busy) / dt) * 1000) / 1000 : 0;
}

export type ServiceCpu = Map<number, { name: 'postgres' | 'redis'; seconds: number }>;

/**
 * CPU seconds used so far by each process named `postgres` or `redis-server` (the shared
 * engines; other users' queries on this machine count too), by pid.
 */
export function serviceCpuSeconds(): ServiceCpu {
  const out: ServiceCpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = comm === 'postgres' ? 'postgres' : comm === 'redis-server' ? 'redis' : undefined;
      if (!name) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), { name, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * CPU used between two readings by the processes alive at the second one (a process
 * started meanwhile counts fully; one that ended meanwhile is missed).
 */
export function serviceCpuDelta(a: ServiceCpu, b: ServiceCpu): { postgres: number; redis: number } {
  const out = { postgres: 0, redis: 0 };
  for (const [pid, end] of b) out[end.name] += end.seconds - (a.get(pid)?.seconds ?? 0);
  return { postgres: Math.round(out.postgres * 100) / 100, redis: Math.round(out.redis * 100) / 100 };
}

/**
 * The database each PostgreSQL process works for, by pid. Backends are titled
 * "postgres: <cluster>: <user> <database> <client> <state>"; a parallel worker,
 * "postgres: <cluster>: parallel worker for PID <leader>", works for its leader's
 * database (the raw-answer reports use two). Background processes have none.
 */
function postgresDatabases(procs: readonly { pid: number; comm: string }[]): Map<number, string> {
  const titles = new Map<number, string>();
  for (const p of procs) {
    if (p.comm !== 'postgres') continue;
    try {
      titles.set(p.pid, readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // ended meanwhile
    }
  }
  const out = new Map<number, string>();
  const leaders = new Map<number, number>();
  for (const [pid, title] of titles) {
    const leader = /^postgres: [^:]+: parallel worker for PID (\d+)/.exec(title)?.[1];
    if (leader) leaders.set(pid, Number(leader));
    else if (!/^postgres: [^:]+: (autovacuum|logical replication|background|walwriter|checkpointer|archiver|startup)/.test(title)) {
      const db = /^postgres: [^:]+: \S+ (\S+) /.exec(title)?.[1];
      if (db) out.set(pid, db);
    }
  }
  for (const [pid, leader] of leaders) {
    const db = out.get(leader);
    if (db) out.set(pid, db);
  }
  return out;
}

/**
 * CPU time used by processes that are not this benchmark's: neither descendants of this
 * process nor PostgreSQL backends (and their parallel workers) of a sipas_bench* database. PostgreSQL's
 * background processes and Redis serve everybody and are left out. Sampled every second
 * (a foreign process that starts and ends between two samples is missed), so it tells
 * whether other developers' test suites ran meanwhile.
 */
export class ForeignCpuMonitor {
  private readonly last = new Map<number, number>();
  private total = 0;
  private first = true;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly rootPid = process.pid) {}

  start(everyMs = 1000): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Foreign CPU seconds so far (takes a fresh sample). */
  seconds(): number {
    this.sample();
    return Math.round(this.total * 100) / 100;
  }

  private sample(): void {
    const procs: { pid: number; ppid: number; comm: string; cpu: number }[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        procs.push({ pid: Number(entry), ppid: Number(f[1]), comm, cpu: (Number(f[11]) + Number(f[12])) / 100 });
      } catch {
        // ended meanwhile
      }
    }
    const children = new Map<number, number[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
    const ours = new Set<number>();
    const stack = [this.rootPid];
    for (let i = 0; stack.length && i < 100_000; i++) {
      const pid = stack.pop()!;
      ours.add(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    const databaseOf = postgresDatabases(procs);
    for (const p of procs) {
      if (ours.has(p.pid) || p.pid === 2 || p.ppid === 2 || p.comm === 'redis-server') continue;
      if (p.comm === 'postgres') {
        const db = databaseOf.get(p.pid);
        if (!db || db.startsWith('sipas_bench')) continue;
      }
      const prev = this.last.get(p.pid);
      if (prev !== undefined) this.total += Math.max(0, p.cpu - prev);
      else if (!this.first) this.total += p.cpu;
      this.last.set(p.pid, p.cpu);
    }
    this.first = false;
  }
}
