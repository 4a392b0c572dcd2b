import { ConfigError, loadConfig } from '../config/load-config.js';
import { MigrationError, migrate } from '../db/migrate.js';
import { describeUrl } from '../runtime/check-services.js';
import { parseCli } from './parse-cli.js';

/** `npm run db:migrate`: creates the database if needed and applies pending migrations. */
parseCli(`usage: npm run db:migrate

Creates the database of DATABASE_URL if needed and applies the pending migrations of
prisma/migrations/ (recorded as prisma migrate deploy records them; safe to run twice).`, {});
try {
  const config = loadConfig();
  const result = await migrate(config.databaseUrl);
  if (result.createdDatabase) console.log(`created database ${describeUrl(config.databaseUrl)}`);
  for (const name of result.applied) console.log(`applied ${name}`);
  console.log(result.applied.length ? `${result.applied.length} migration(s) applied` : `database is up to date (${result.alreadyApplied.length} migration(s) applied earlier)`);
} catch (err) {
  if (err instanceof ConfigError || err instanceof MigrationError) {
    console.error(err.message);
  } else {
    console.error(`migration failed: ${(err as Error).message}`);
  }
  process.exit(1);
}
