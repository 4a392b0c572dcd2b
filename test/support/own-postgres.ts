import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './spawn-script.js';

const run = promisify(execFile);

/** A PostgreSQL server of the test's own (never the machine's), in a temporary directory on a free port. */
export type OwnPostgres = {
  port: number;
  url(database: string): string;
  /** Starts it again after `stop` or `kill9` (crash recovery runs after a kill). */
  start(): Promise<void>;
  /** A clean, fast shutdown: connections are cut, the server refuses new ones until `start`. */
  stop(): Promise<void>;
  /** The postmaster dies at once, as in a crash. */
  kill9(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
};

async function binDir(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** PostgreSQL refuses to run as root: the server runs as the `postgres` user when we are root. */
const asPostgres = (cmd: string, args: string[]) => (process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));

/** A process that runs (a zombie counts as dead). */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.split(') ')[1]?.[0] !== 'Z';
}

/** Live processes of the server in `dir` (its backends carry no path, so the socket directory's postmaster is the parent). */
async function serverProcesses(dir: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map(Number);
  const out: number[] = [];
  for (const pid of pids) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(dir) && (await alive(pid))) out.push(pid);
  }
  return out;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = await binDir();
  const dir = await mkdtemp(path.join(tmpdir(), 'sipas-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  await asPostgres(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
  const port = await freePort();
  const ctl = (args: string[]) => asPostgres(`${bin}/pg_ctl`, ['-D', data, ...args]);
  const start = async () => {
    await ctl(['-w', '-t', '60', '-l', path.join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  };
  await start();
  return {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop: async () => {
      await ctl(['-w', '-m', 'fast', 'stop']);
    },
    kill9: async () => {
      const pidFile = path.join(data, 'postmaster.pid');
      const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      // Its backends notice the postmaster's death and exit on their own. The killed
      // postmaster may linger as a zombie (the sandbox's init reaps late), which would make
      // the next start believe it still runs: once it is dead, its lock file is stale.
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && ((await alive(pid)) || (await serverProcesses(dir)).length > 0)) await new Promise((r) => setTimeout(r, 100));
      await rm(pidFile, { force: true });
      await rm(path.join(dir, `.s.PGSQL.${port}.lock`), { force: true });
    },
    destroy: async () => {
      await ctl(['-w', '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
