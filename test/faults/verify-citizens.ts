import pg from 'pg';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { expectedStored, fingerprint, type CitizenReport } from './telegram-citizen.js';

export type Mismatch = { citizen: number; problem: string };

/**
 * Citizen by citizen: exactly one completed response carries the citizen's fingerprint,
 * its answers equal the citizen's choices (nothing missing, nothing extra, nothing twice),
 * and no citizen was left without the thank-you. Returns every mismatch (empty: all good).
 */
export async function verifyCitizens(databaseUrl: string, def: QuestionnaireDefinition, reports: CitizenReport[], firstCitizen: number): Promise<Mismatch[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const comment = def.questions.find((q) => q.kind === 'text')!.code;
    const mismatches: Mismatch[] = [];
    for (const [i, r] of reports.entries()) {
      const citizen = firstCitizen + i;
      if (!r.finished) mismatches.push({ citizen, problem: 'never got the thank-you' });
      const responses = await client.query<{ id: string; status: string }>(
        `SELECT r.id::text, r.status::text FROM responses r JOIN answers a ON a.response_id = r.id WHERE a.question_code = $1 AND a.value = to_jsonb($2::text)`,
        [comment, fingerprint(citizen)],
      );
      const completed = responses.rows.filter((x) => x.status === 'completed');
      if (completed.length !== 1) {
        mismatches.push({ citizen, problem: `${completed.length} completed responses (${responses.rows.map((x) => x.status).join(', ') || 'none stored'})` });
        continue;
      }
      const rows = await client.query<{ question_code: string; status: string; score: number | null; value: unknown }>('SELECT question_code, status::text, score, value FROM answers WHERE response_id = $1', [completed[0]!.id]);
      const stored = Object.fromEntries(rows.rows.map((a) => [a.question_code, { status: a.status, score: a.score, value: a.value }]));
      const expected = expectedStored(def, r.chosen);
      for (const code of new Set([...Object.keys(stored), ...Object.keys(expected)])) {
        if (JSON.stringify(stored[code]) !== JSON.stringify(expected[code])) mismatches.push({ citizen, problem: `${code}: stored ${JSON.stringify(stored[code])}, chosen ${JSON.stringify(expected[code])}` });
      }
    }
    const { rows } = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM responses WHERE status = 'completed'");
    if (Number(rows[0]!.n) !== reports.length) mismatches.push({ citizen: 0, problem: `${rows[0]!.n} completed responses in all for ${reports.length} citizens` });
    return mismatches;
  } finally {
    await client.end();
  }
}
