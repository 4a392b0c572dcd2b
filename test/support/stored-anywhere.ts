import type { Db } from '../../src/db/prisma-client.js';

/** Tables that may hold what a person gave or is: checked whole, row by row, as text. */
const TABLES = ['respondents', 'responses', 'answers', 'invitations', 'outbound_messages', 'counted_marks', 'creator_day_counts', 'audit_log', 'units'] as const;

/** The tables in which any row contains `needle` (a phone's digits, a chat id, a dossier code…), for privacy assertions. */
export async function storedAnywhere(db: Db, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of TABLES) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} t WHERE row_to_json(t)::text LIKE $1`, `%${needle}%`);
    if (row!.n > 0) found.push(table);
  }
  return found;
}
