import { createInterface } from 'node:readline/promises';
import { writeAudit } from '../audit/write-audit.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { migrate } from '../db/migrate.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { countTestData, purgeTestData, type TestDataCounts } from '../invitations/purge-test-data.js';
import { parseCli } from './parse-cli.js';

const USAGE = `usage:
  npm run sandbox -- count           how much test data is stored
  npm run sandbox -- purge [--yes]   delete all of it (asks first unless --yes)

Test data: everything answered through the simulator (npm run simulate, channel "simulator")
and every invitation created with "test": true, with its response. Purging deletes those
responses and their answers, the test invitations, and the test segment of the rollups
(daily and monthly); real responses and their figures are not touched. Purge when no trial
is being answered. Each purge is written to the audit log.`;

const { positionals, values } = parseCli(USAGE, { yes: { type: 'boolean', default: false } }, true);

const describe = (c: TestDataCounts) => `${c.responses} responses, ${c.answers} answers, ${c.invitations} invitations, ${c.rollupRows} rollup rows`;

let exitCode = 0;
try {
  const [command, ...rest] = positionals;
  if ((command !== 'count' && command !== 'purge') || rest.length > 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  await migrate(config.databaseUrl);
  const db = createPrismaClient(config.databaseUrl, { max: 1 });
  try {
    const held = await countTestData(db);
    if (command === 'count') {
      console.log(`test data: ${describe(held)}`);
    } else {
      let go = values.yes;
      if (!go && process.stdin.isTTY) {
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        go = /^(y|yes|có|co)$/i.test((await rl.question(`Delete ${describe(held)}? [y/N] `)).trim());
        rl.close();
      }
      if (!go) {
        console.log(`test data: ${describe(held)}; nothing deleted (run again with --yes).`);
        exitCode = 1;
      } else {
        const deleted = await purgeTestData(db);
        await writeAudit(db, 'cli', 'sandbox.purge', deleted);
        console.log(`deleted ${describe(deleted)}`);
      }
    }
  } finally {
    await db.$disconnect();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error:\n${err.message}` : `sandbox failed: ${(err as Error).message}`);
  exitCode = 1;
}
process.exit(exitCode);
