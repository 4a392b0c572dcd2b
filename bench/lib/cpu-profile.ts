import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../test/support/spawn-script.js';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  file: string;
  /** Wall time covered by the profile (the process lifetime). */
  profiledMs: number;
  /** Samples that were not idle. */
  busyMs: number;
  /**
   * Self time by area, busy time only: the npm package or folder of ours whose code is on
   * the stack nearest to the sample (so a socket write made by ioredis counts for ioredis,
   * not for node internals); GC and native time outside JS are kept apart.
   */
  byArea: { area: string; ms: number; share: number }[];
  /** Heaviest functions by self time. */
  topFunctions: { fn: string; where: string; ms: number; share: number }[];
};

/** Where a frame belongs: an npm package, a folder of ours, node internals, GC, … */
function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return '(program: native, outside JS)';
  if (fn === '(idle)') return '(idle)';
  if (!url) return fn.startsWith('(') ? fn : 'native / builtins';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const rel = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  const m = /^(src\/[^/]+|webhooks|bench\/[^/]+)/.exec(rel);
  return m ? m[1]! : rel;
}

const short = (url: string) => url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/^.*node_modules\//, '');

/** Self-time summary of a `.cpuprofile` written by `node --cpu-prof`. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ownerArea = (id: number): string => {
    const self = byId.get(id)!;
    const selfArea = areaOf(self.callFrame.url, self.callFrame.functionName);
    if (['GC', '(idle)', '(program: native, outside JS)'].includes(selfArea)) return selfArea;
    for (let cur: number | undefined = id, depth = 0; cur !== undefined && depth < 200; cur = parent.get(cur), depth++) {
      const f = byId.get(cur)!.callFrame;
      const a = areaOf(f.url, f.functionName);
      // WebAssembly (Prisma's query compiler, undici's HTTP parser) counts for the JS package that called it.
      if (a !== 'node internals' && a !== 'native / builtins' && !a.startsWith('(') && !a.startsWith('wasm://')) return a;
    }
    return selfArea;
  };
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const areas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (areaOf(url, functionName) === '(idle)') continue;
    const area = ownerArea(id);
    busy += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = functionName || '(anonymous)';
    const key = `${name}@${url}:${lineNumber}`;
    const f = fns.get(key) ?? { fn: name, where: url ? `${short(url)}:${lineNumber + 1}` : area, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / Math.max(1, busy)) * 1000) / 1000;
  return {
    file: path.relative(ROOT, file),
    profiledMs: ms(p.endTime - p.startTime),
    busyMs: ms(busy),
    byArea: [...areas.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([area, us]) => ({ area, ms: ms(us), share: share(us) })),
    topFunctions: [...fns.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ fn: f.fn, where: f.where, ms: ms(f.us), share: share(f.us) })),
  };
}

/**
 * The main-thread profile of process `pid` in `dir`: node names them
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, and tsx's loader runs in a worker
 * thread that writes its own (thread 1); the main thread is 0.
 */
export function newestProfile(dir: string, pid: number): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.0.`));
  files.sort();
  return files.length ? path.join(dir, files.at(-1)!) : undefined;
}
