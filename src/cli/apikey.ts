import { ApiKeyError, createApiKey, listApiKeys, revokeApiKey } from '../auth/manage-api-keys.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { migrate } from '../db/migrate.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { parseCli } from './parse-cli.js';

const USAGE = `usage:
  npm run apikey -- create --role admin|officer|viewer [--unit CODE ...] [--name TEXT]
  npm run apikey -- revoke <key id>
  npm run apikey -- list`;

/** API key administration; the key is printed once and never stored in clear. */
const { positionals, values } = parseCli(USAGE, { role: { type: 'string' }, unit: { type: 'string', multiple: true }, name: { type: 'string' } }, true);

let exitCode = 0;
try {
  const config = loadConfig();
  await migrate(config.databaseUrl);
  const db = createPrismaClient(config.databaseUrl, { max: 1 });
  try {
    const [command, arg] = positionals;
    if (command === 'create') {
      const role = values.role;
      if (role !== 'admin' && role !== 'officer' && role !== 'viewer') throw new ApiKeyError(`--role must be admin, officer or viewer\n${USAGE}`);
      const units = values.unit ?? [];
      const { id, key } = await createApiKey(db, { role, unitCodes: units, name: values.name ?? `${role} key` });
      console.log(`created ${role} key ${id}${units.length ? ` for ${units.join(', ')}` : ''}`);
      console.log(`key (shown once, store it now): ${key}`);
    } else if (command === 'revoke' && arg) {
      await revokeApiKey(db, arg);
      console.log(`revoked ${arg}`);
    } else if (command === 'list') {
      for (const k of await listApiKeys(db)) {
        console.log([k.id, k.role, k.name, k.unitCodes.join(',') || '-', k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active', k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used'].join('\t'));
      }
    } else {
      throw new ApiKeyError(USAGE);
    }
  } finally {
    await db.$disconnect();
  }
} catch (err) {
  console.error(err instanceof ApiKeyError || err instanceof ConfigError ? err.message : `apikey failed: ${(err as Error).message}`);
  exitCode = 1;
}
process.exit(exitCode);
