import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnScript } from '../../test/support/spawn-script.js';
import { dropDatabase } from '../lib/pg.js';
import { productEnv } from '../lib/product.js';
import { deleteKeys } from '../lib/redis-keys.js';
import type { HandoffRound, HandoffVariant } from './handoff-cost-child.js';

const PREFIX = '{bench-handoff}';
const DATABASE = 'sipas_bench_handoff';

type PerUpdate = { nodeCpuUsPerUpdate: number; redisCpuUsPerUpdate: number; updatesPerSecond: number };
export type HandoffCost = {
  citizens: number;
  rounds: HandoffRound[];
  summary: Record<HandoffVariant, PerUpdate>;
  /** Share of the conversation path's CPU that is the outbox hand-off (medians of the rounds). */
  handoffShare: { node: number; redis: number };
};

/**
 * What the outbox hand-off costs per update: the webhook's conversation path (session
 * read, engine, compare-and-set, and — in the first variant — handing the outbox to the
 * queues: the answers batch, the reply job with its chat-lane number, reminder
 * bookkeeping, clearing the outbox) run in one process, without HTTP and without workers,
 * by `citizens` concurrent citizens each answering a whole survey, the two variants
 * interleaved. Node CPU is the process's own; Redis CPU comes from INFO cpu (the whole
 * server, so run it on a quiet machine). The difference is the most a cheaper hand-off
 * could save.
 */
export async function handoffCost(o: { logDir: string; citizens: number; rounds: number }): Promise<HandoffCost> {
  await dropDatabase(DATABASE);
  await deleteKeys(PREFIX);
  const out = path.join(o.logDir, 'handoff-cost.json');
  const child = spawnScript('bench/webhook/handoff-cost-child.ts', {
    name: 'handoff-cost',
    args: [out, String(o.citizens), String(o.rounds)],
    logFile: path.join(o.logDir, 'handoff-cost.log'),
    // No Bot API: nothing is sent, the hand-off only queues.
    env: productEnv({ database: DATABASE, prefix: PREFIX, telegramApiRoot: 'http://127.0.0.1:9', logLevel: 'warn' }),
  });
  try {
    const code = await child.exited;
    if (code !== 0) throw new Error(`handoff-cost child exited with ${code}; see ${path.join(o.logDir, 'handoff-cost.log')}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as Omit<HandoffCost, 'handoffShare'>;
    const w = result.summary['with hand-off'];
    const wo = result.summary['without hand-off'];
    const share = (a: number, b: number) => (a > 0 ? Math.round(((a - b) / a) * 1000) / 1000 : 0);
    return { ...result, handoffShare: { node: share(w.nodeCpuUsPerUpdate, wo.nodeCpuUsPerUpdate), redis: share(w.redisCpuUsPerUpdate, wo.redisCpuUsPerUpdate) } };
  } finally {
    await child.stop();
    await dropDatabase(DATABASE);
    await deleteKeys(PREFIX);
  }
}
