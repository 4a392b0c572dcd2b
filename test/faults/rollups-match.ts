import { createPrismaClient } from '../../src/db/prisma-client.js';
import type { CountDifference } from '../../src/scoring/compare-counts.js';
import { verifyRollups } from '../../src/scoring/verify-rollups.js';

/** Rollups against the raw answers of every stored questionnaire version: empty when they agree. */
export async function rollupDifferences(databaseUrl: string): Promise<CountDifference[]> {
  const db = createPrismaClient(databaseUrl, { max: 2 });
  try {
    const versions = await db.$queryRaw<{ id: number }[]>`SELECT DISTINCT questionnaire_id AS id FROM responses`;
    const diffs: CountDifference[] = [];
    for (const { id } of versions) diffs.push(...(await verifyRollups(db, { questionnaireId: id })));
    return diffs;
  } finally {
    await db.$disconnect();
  }
}
