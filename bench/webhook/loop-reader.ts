import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ROOT, sleep, type ScriptProcess } from '../../test/support/spawn-script.js';
import type { LoopStats } from './loop-probe.js';

export type { LoopStats } from './loop-probe.js';

/**
 * Node flags that preload the probe. spawnScript puts given flags before its own
 * `--import tsx`, so tsx is imported here first to load a TypeScript probe (a second
 * `--import tsx` is the same module, not run again); flags such as --cpu-prof go before these.
 */
export const LOOP_PROBE_FLAGS = ['--import', 'tsx', '--import', pathToFileURL(path.join(ROOT, 'bench/webhook/loop-probe.ts')).href];

/** The benchmark's side of one process's probe: signal it, wait for its snapshot. */
export class LoopProbe {
  constructor(
    readonly proc: ScriptProcess,
    readonly file: string,
  ) {}

  private seq(): number {
    if (!existsSync(this.file)) throw new Error(`${this.proc.name}: the loop probe is not loaded (no ${this.file}); not signalling it`);
    return (JSON.parse(readFileSync(this.file, 'utf8')) as LoopStats).seq;
  }

  /** What the process saw since the previous signal; starts a new window. Throws when the probe is not loaded. */
  async snapshot(timeoutMs = 20_000): Promise<LoopStats> {
    const before = this.seq();
    this.proc.child.kill('SIGUSR2');
    return this.waitFor(before + 1, timeoutMs);
  }

  /**
   * The window the load generator closed: snapshot `seq`. Should its two signals have merged
   * into one (the kernel keeps one pending signal of a kind), the window is closed here instead.
   */
  async loadWindow(seq: number): Promise<LoopStats> {
    if (this.proc.child.exitCode !== null || this.proc.child.signalCode !== null) throw new Error(`${this.proc.name} exited during the load phase`);
    return this.waitFor(seq, 5_000).catch(() => this.snapshot());
  }

  /** The snapshot numbered `seq` (or a later one), once written: for signals sent by another process (the load generator). */
  async waitFor(seq: number, timeoutMs = 20_000): Promise<LoopStats> {
    // A saturated process runs the handler late: poll rather than expect the file at once.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.proc.child.exitCode !== null || this.proc.child.signalCode !== null) throw new Error(`${this.proc.name} exited before writing its loop snapshot`);
      if (this.seq() >= seq) return JSON.parse(readFileSync(this.file, 'utf8')) as LoopStats;
      if (Date.now() > deadline) throw new Error(`${this.proc.name}: no loop snapshot ${seq} within ${timeoutMs} ms`);
      await sleep(10);
    }
  }
}
