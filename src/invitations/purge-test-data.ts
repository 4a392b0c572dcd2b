import type { Db } from '../db/prisma-client.js';
import { SEGMENT_TEST } from '../scoring/rollup-keys.js';

/** Test data held: simulator responses and those of invitations marked test, their answers, test invitations, and their rollup rows. */
export type TestDataCounts = { responses: number; answers: number; invitations: number; rollupRows: number };

const ROLLUP_TABLES = ['criterion_rollups', 'option_rollups', 'criterion_rollups_monthly', 'option_rollups_monthly'] as const;
const TEST = Number(SEGMENT_TEST);

/** What `purgeTestData` would delete now. */
export async function countTestData(db: Db): Promise<TestDataCounts> {
  const [row] = await db.$queryRawUnsafe<{ responses: number; answers: number; invitations: number; rollup_rows: number }[]>(`
    SELECT (SELECT COUNT(*)::int FROM responses WHERE is_test) AS responses,
      (SELECT COUNT(*)::int FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.is_test) AS answers,
      (SELECT COUNT(*)::int FROM invitations WHERE is_test) AS invitations,
      (${ROLLUP_TABLES.map((t) => `(SELECT COUNT(*)::int FROM ${t} WHERE segment & ${TEST} <> 0)`).join(' + ')}) AS rollup_rows`);
  return { responses: row!.responses, answers: row!.answers, invitations: row!.invitations, rollupRows: row!.rollup_rows };
}

/**
 * Deletes every piece of test data in one transaction: test responses with their answers,
 * test invitations with their delivery log, the test segment of every rollup table (daily
 * and monthly), and the simulator's respondents. Real responses and their rollup rows are
 * in other segments and are not touched. A trial still being answered loses its response
 * too: purge when no trial is in progress.
 */
export async function purgeTestData(db: Db): Promise<TestDataCounts> {
  return db.$transaction(
    async (tx) => {
      const answers = await tx.$executeRaw`DELETE FROM answers a USING responses r WHERE a.response_id = r.id AND r.is_test`;
      // A response answering a test invitation is test data too (set at creation; this also covers rows written before).
      const responses = await tx.$executeRaw`DELETE FROM responses WHERE is_test OR invitation_id IN (SELECT id FROM invitations WHERE is_test)`;
      await tx.$executeRaw`DELETE FROM outbound_messages WHERE invitation_id IN (SELECT id FROM invitations WHERE is_test)`;
      const invitations = await tx.$executeRaw`DELETE FROM invitations WHERE is_test`;
      let rollupRows = 0;
      for (const table of ROLLUP_TABLES) rollupRows += await tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE segment & ${TEST} <> 0`);
      await tx.$executeRaw`DELETE FROM respondents p WHERE p.channel = 'simulator' AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.respondent_id = p.id)`;
      return { responses, answers, invitations, rollupRows };
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
}
