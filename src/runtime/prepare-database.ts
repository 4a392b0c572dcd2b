import type { AppConfig } from '../config/load-config.js';
import { migrate } from '../db/migrate.js';
import { createPrismaClient, type Db } from '../db/prisma-client.js';
import type { Logger } from '../observability/create-logger.js';
import { loadBuiltinQuestionnaires } from '../questionnaire/builtin-questionnaires.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { anonymizeExisting } from './anonymize-existing.js';
import { rebuildRollups } from '../scoring/rebuild-rollups.js';

/** The migration that added rollup segments: rollups written before it were all in segment 0. */
const SEGMENTED_ROLLUPS = '20261205120000_anonymity_and_integrity';

/**
 * Everything the database needs before the product serves: pending migrations, the
 * built-in questionnaires, existing rows brought to anonymity at rest, and — right after
 * the migration that introduced rollup segments — rollups rebuilt from the answers.
 */
export async function prepareDatabase(config: AppConfig, logger: Logger): Promise<void> {
  const migration = await migrate(config.databaseUrl);
  if (migration.createdDatabase) logger.info('created the database');
  if (migration.applied.length) logger.info({ applied: migration.applied }, 'applied migrations');

  const db = createPrismaClient(config.databaseUrl, { max: 2 });
  try {
    const catalog = new QuestionnaireCatalog(db);
    const seeded = await catalog.seed(loadBuiltinQuestionnaires());
    if (seeded.inserted.length) logger.info({ questionnaires: seeded.inserted }, 'loaded built-in questionnaires');
    if (seeded.conflicts.length) logger.warn({ questionnaires: seeded.conflicts }, 'built-in questionnaire differs from the stored version with the same number; bump its version to publish the change');
    const anonymized = await anonymizeExisting(db, config.pseudonymKey);
    if (anonymized.responses || anonymized.dossiers) logger.info(anonymized, 'brought stored responses and invitations to anonymity at rest');
    if (migration.applied.includes(SEGMENTED_ROLLUPS) || (await rollupsLackSegments(db))) {
      for (const q of await catalog.list()) {
        const rebuilt = await rebuildRollups(db, q.id, { catalog });
        if (rebuilt.criterionRows || rebuilt.optionRows) logger.info({ questionnaire: `${q.code}@${q.version}`, ...rebuilt }, 'rebuilt rollups by source and quality');
      }
    }
  } finally {
    await db.$disconnect();
  }
}

/**
 * Rollups written before segments existed put every response in segment 0 (open,
 * unflagged). When the migration was applied by another process (npm run db:migrate) or a
 * rebuild was interrupted, the data says so: invited or flagged responses, but no rollup
 * row outside segment 0.
 */
async function rollupsLackSegments(db: Db): Promise<boolean> {
  const [row] = await db.$queryRaw<{ lacking: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM responses WHERE status = 'completed' AND counted AND unit_id IS NOT NULL AND (source = 'invited' OR cardinality(quality_flags) > 0))
       AND NOT EXISTS (SELECT 1 FROM criterion_rollups_monthly WHERE segment <> 0) AS lacking`;
  return row?.lacking ?? false;
}
