import { text } from 'node:stream/consumers';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { ConsoleSessions } from '../console/console-session.js';
import { AppError } from '../core/app-error.js';
import { systemClock } from '../core/clock.js';
import { migrate } from '../db/migrate.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { createRedis } from '../queues/redis-connection.js';
import { generatePassword } from '../users/password-hash.js';
import { userRoleSchema } from '../users/user-schema.js';
import { createUser, disableUser, listUsers, resetPassword } from '../users/user-store.js';
import { parseCli } from './parse-cli.js';

const USAGE = `usage:
  npm run user -- create --username <u> --role admin|officer|viewer [--unit CODE ...] [--name "Họ và tên"] [--password-stdin]
  npm run user -- reset-password <username> [--password-stdin]
  npm run user -- disable <username>
  npm run user -- list

Console users log in at PUBLIC_BASE_URL/login. With --password-stdin the password is read
from standard input (its first line); without it a strong one is generated and printed once.
Officers need at least one --unit. reset-password and disable end the user's open sessions.`;

/** Console user administration; a password is never stored or printed except a generated one, once. */
const { positionals, values } = parseCli(
  USAGE,
  { username: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string', multiple: true }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  true,
);

class UsageError extends Error {}

async function readPassword(): Promise<{ password: string; generated: boolean }> {
  if (!values['password-stdin']) return { password: generatePassword(), generated: true };
  const input = await text(process.stdin);
  return { password: input.split(/\r?\n/)[0] ?? '', generated: false };
}

let exitCode = 0;
try {
  const [command, arg] = positionals;
  if (!command || !['create', 'reset-password', 'disable', 'list'].includes(command)) throw new UsageError(USAGE);
  const config = loadConfig();
  await migrate(config.databaseUrl);
  const db = createPrismaClient(config.databaseUrl, { max: 1 });
  const redis = createRedis(config.redis, { maxRetriesPerRequest: 1, lazyConnect: true });
  const sessions = new ConsoleSessions(redis, config.redisPrefix, config.consoleSessionIdleMinutes * 60_000, systemClock);
  try {
    if (command === 'create') {
      const role = userRoleSchema.safeParse(values.role);
      if (!values.username || !role.success) throw new UsageError(`create needs --username and --role admin|officer|viewer\n\n${USAGE}`);
      const { password, generated } = await readPassword();
      const user = await createUser(db, { username: values.username, displayName: values.name ?? values.username, role: role.data, unitCodes: values.unit ?? [], password });
      console.log(`created ${user.role} ${user.username} (${user.id})${user.unitCodes.length ? ` for ${user.unitCodes.join(', ')}` : ''}`);
      if (generated) console.log(`password (shown once, give it to the user now): ${password}`);
      console.log(`log in at ${config.publicBaseUrl}/login`);
    } else if (command === 'reset-password') {
      const username = arg ?? values.username;
      if (!username) throw new UsageError(`reset-password needs a username\n\n${USAGE}`);
      const { password, generated } = await readPassword();
      const user = await resetPassword(db, username, password);
      await sessions.destroyAllOf(user.id);
      console.log(`new password set for ${user.username}; their sessions were ended`);
      if (generated) console.log(`password (shown once, give it to the user now): ${password}`);
    } else if (command === 'disable') {
      const username = arg ?? values.username;
      if (!username) throw new UsageError(`disable needs a username\n\n${USAGE}`);
      const user = await disableUser(db, username);
      await sessions.destroyAllOf(user.id);
      console.log(`disabled ${user.username}; their sessions were ended`);
    } else {
      for (const u of await listUsers(db)) {
        console.log([u.username, u.role, u.displayName, u.unitCodes.join(',') || '-', u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : 'active', u.lastLoginAt ? `last login ${u.lastLoginAt.toISOString()}` : 'never logged in'].join('\t'));
      }
    }
  } finally {
    await db.$disconnect();
    redis.disconnect();
  }
} catch (err) {
  console.error(err instanceof UsageError || err instanceof AppError || err instanceof ConfigError ? err.message : `user failed: ${(err as Error).message}`);
  exitCode = err instanceof UsageError ? 2 : 1;
}
process.exit(exitCode);
