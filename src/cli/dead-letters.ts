import { parseArgs } from 'node:util';
import type { ConnectionOptions } from 'bullmq';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { dropDeadLetter, listDeadLetters, replayDeadLetter } from '../queues/dead-letters.js';
import { JobQueues } from '../queues/job-queues.js';
import { createRedis } from '../queues/redis-connection.js';

const USAGE = `usage:
  npm run dead-letters -- list            jobs that failed for good (id, queue, reason, time)
  npm run dead-letters -- replay <id>     put one back on its queue (its work is idempotent)
  npm run dead-letters -- replay --all    put every one back
  npm run dead-letters -- drop <id>       forget one for good

Fix the cause first (the reason is in the list and in the error log), then replay.`;

let exitCode = 0;
const { positionals, values } = parseArgs({ allowPositionals: true, options: { all: { type: 'boolean' }, help: { type: 'boolean' } } });
if (values.help || positionals.length === 0) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
let queues: JobQueues | undefined;
let redis: ReturnType<typeof createRedis> | undefined;
try {
  const config = loadConfig();
  redis = createRedis(config.redis, { maxRetriesPerRequest: 3 });
  queues = new JobQueues(redis as ConnectionOptions, config.redisPrefix);
  const [command, id] = positionals;
  if (command === 'list') {
    const letters = await listDeadLetters(queues);
    if (letters.length === 0) console.log('no dead letters');
    for (const l of letters) console.log(`${l.id}\t${l.queue}\t${l.failedAt}\t${l.error}`);
  } else if (command === 'replay') {
    const ids = values.all ? (await listDeadLetters(queues)).map((l) => l.id) : id ? [id] : [];
    if (ids.length === 0) throw new Error(values.all ? 'no dead letters to replay' : `replay needs an id or --all\n${USAGE}`);
    for (const one of ids) {
      const replayed = await replayDeadLetter(queues, one);
      if (!replayed) throw new Error(`no dead letter ${one}`);
      console.log(`replayed ${one} as ${replayed}`);
    }
  } else if (command === 'drop' && id) {
    if (!(await dropDeadLetter(queues, id))) throw new Error(`no dead letter ${id}`);
    console.log(`dropped ${id}`);
  } else {
    throw new Error(USAGE);
  }
} catch (err) {
  exitCode = err instanceof ConfigError ? 2 : 1;
  console.error(err instanceof Error ? err.message : String(err));
} finally {
  await queues?.close();
  redis?.disconnect();
}
process.exit(exitCode);
