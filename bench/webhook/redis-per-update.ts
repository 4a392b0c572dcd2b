import { Redis } from 'ioredis';
import { latestBuiltinQuestionnaire } from '../../src/index.js';
import { dropDatabase } from '../lib/pg.js';
import { sleep } from '../../test/support/spawn-script.js';
import { api, BENCH_TG_SECRET, startProduct } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { round2 } from '../lib/stats.js';
import { citizenPlan } from '../../test/support/survey-plan.js';
import { benchUnits } from '../lib/units.js';
import { callbackUpdate, textUpdate } from './telegram-update.js';

const PREFIX = '{bench-count}';
const DATABASE = 'sipas_bench_count';

export type RedisPerUpdate = {
  updates: number;
  /** MONITOR stream errors; non-zero means the counts below may be short. */
  monitorErrors: number;
  /** Commands the web process sent to Redis (each a network round trip, some pipelined). */
  clientCommands: number;
  /** Commands Redis ran inside Lua scripts on the web process's behalf (BullMQ's and the session CAS). */
  luaCommands: number;
  clientPerUpdate: number;
  luaPerUpdate: number;
  byCommand: Record<string, number>;
};

/**
 * The anatomy of one webhook update in Redis: one citizen's whole survey posted, one
 * update at a time, to a web-only product process (no workers, its own prefix), with
 * Redis MONITOR counting the commands on that prefix.
 */
export async function redisPerUpdate(o: { fakeUrl: string; logDir: string }): Promise<RedisPerUpdate> {
  await dropDatabase(DATABASE);
  await deleteKeys(PREFIX);
  const web = await startProduct({ database: DATABASE, prefix: PREFIX, telegramApiRoot: o.fakeUrl, logDir: o.logDir, label: 'redis-count', role: 'web' });
  const monitorClient = new Redis(REDIS_URL);
  try {
    await api(`${web.url}/api/v1/units`, 'PUT', benchUnits().slice(0, 5));
    const inv = await api<{ token: string }>(`${web.url}/api/v1/invitations`, 'POST', { unitCode: 'U0001', channel: 'telegram', dossierCode: `COUNT-${Date.now()}`, procedureCode: '1.001234' });
    const def = latestBuiltinQuestionnaire('sipas-2017');
    const chat = 610_000_000;
    const plan = citizenPlan(def, 0);
    const bodies = [
      textUpdate(1, chat, `/start ${inv.json.token}`, 0),
      callbackUpdate(2, chat, 's:consent:yes', 1, 0),
      ...plan.steps.map((s, i) => (s.kind === 'text' ? textUpdate(3 + i, chat, s.text, 0) : callbackUpdate(3 + i, chat, s.data, 10 + i, 0))),
    ];
    const monitor = await monitorClient.monitor();
    // Under heavy traffic from other clients ioredis can mis-parse the first MONITOR
    // lines ("Command queue state error"): count it instead of crashing the whole run.
    let monitorErrors = 0;
    monitor.on('error', () => monitorErrors++);
    monitorClient.on('error', () => monitorErrors++);
    let client = 0;
    let lua = 0;
    const byCommand: Record<string, number> = {};
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (!args.some((a) => a.includes(PREFIX))) return;
      if (source === 'lua') lua++;
      else {
        client++;
        // Label scripts and key commands by what they touch: the queue or key kind after the prefix.
        const key = args.find((a) => a.startsWith(`${PREFIX}:`)) ?? '';
        const kind = key.slice(PREFIX.length + 1).split(':')[0] ?? '';
        const cmd = `${(args[0] ?? '?').toLowerCase()}${kind ? ` ${kind}` : ''}`;
        byCommand[cmd] = (byCommand[cmd] ?? 0) + 1;
      }
    });
    await sleep(300);
    for (const b of bodies) {
      const res = await fetch(`${web.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_TG_SECRET }, body: JSON.stringify(b) });
      if (res.status !== 200) throw new Error(`update answered ${res.status}: ${await res.text()}`);
    }
    await sleep(300);
    monitor.disconnect();
    return { updates: bodies.length, monitorErrors, clientCommands: client, luaCommands: lua, clientPerUpdate: round2(client / bodies.length), luaPerUpdate: round2(lua / bodies.length), byCommand };
  } finally {
    monitorClient.disconnect();
    await web.proc.stop();
    await deleteKeys(PREFIX);
    await dropDatabase(DATABASE);
  }
}
