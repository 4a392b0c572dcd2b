import pg from 'pg';
import { createDatabase, databaseExists, dbUrl } from '../lib/pg.js';
import { api, startProduct } from '../lib/product.js';
import { percentiles, round2 } from '../lib/stats.js';
import { benchUnits } from '../lib/units.js';

/**
 * `GET /api/v1/rounds/:code/progress` on a round of 700 units and 1,000,000 invitations
 * (and 150,000 counted responses), through the product's HTTP API in its own process.
 * Baseline in the same run: the same per-unit funnel as one plain GROUP BY over the
 * invitations, the planner left to itself, sent straight to PostgreSQL.
 */
export const PROGRESS_DB = 'sipas_bench_progress';
/** Issue 17: progress at 700 units and 1,000,000 invitations within this. */
export const PROGRESS_TARGET_MS = 200;
const ROUND = 'BENCH-ROUND';

export type ProgressSizes = { units: number; invitations: number; responses: number; runs: number };
export type ProgressResult = {
  sizes: ProgressSizes;
  seeded: boolean;
  seedSeconds: number | null;
  /** Wall time of each HTTP request, ms. */
  http: { p50: number; p95: number; max: number; runs: number[] };
  /** The baseline query, ms. */
  baseline: { p50: number; p95: number; max: number };
  unitsInAnswer: number;
  invitedInAnswer: number;
};

const STATUSES = ['sent', 'opened', 'started', 'completed', 'undeliverable', 'opted_out', 'queued', 'expired', 'sent', 'opened'];

async function seed(client: pg.Client, sizes: ProgressSizes): Promise<void> {
  await client.query('BEGIN');
  await insertRound(client, sizes);
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE invitations');
  await client.query('VACUUM ANALYZE responses');
}

async function insertRound(client: pg.Client, sizes: ProgressSizes): Promise<void> {
  const units = benchUnits(sizes.units);
  await client.query(`INSERT INTO units (code, name, "group", updated_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS t(code, name, grp), LATERAL (SELECT now()) n(updated_at) ON CONFLICT (code) DO NOTHING`, [units.map((u) => u.code), units.map((u) => u.name), units.map((u) => u.group)]);
  const q = await client.query<{ id: number }>(`SELECT id FROM questionnaires WHERE code = 'sipas-2017' ORDER BY version DESC LIMIT 1`);
  const questionnaireId = q.rows[0]!.id;
  const r = await client.query<{ id: number }>(
    `INSERT INTO rounds (code, name, questionnaire_id, opens_on, closes_on, on_quota_full) VALUES ($1, 'Đợt khảo sát (benchmark)', $2, current_date - 30, current_date + 30, 'continue') RETURNING id`,
    [ROUND, questionnaireId],
  );
  const roundId = r.rows[0]!.id;
  await client.query(`INSERT INTO round_quotas (round_id, unit_id, target) SELECT $1, id, 150 + (id % 5) * 100 FROM units`, [roundId]);
  // Invitations spread over the units, in every state of the funnel (timestamps as the workers set them).
  await client.query(
    `INSERT INTO invitations (id, token, code, channel, unit_id, questionnaire_id, status, expires_at, round_id, created_at, queued_at, sent_at, opened_at, started_at, unopened_reminder_at)
     SELECT gen_random_uuid(), 'tok' || g, 'C' || g, 'telegram', u.id, $2, s.status::"InvitationStatus", now() + interval '30 days', $1, now(), now(),
       CASE WHEN s.status NOT IN ('queued') THEN now() END,
       CASE WHEN s.status IN ('opened', 'started', 'completed', 'opted_out') THEN now() END,
       CASE WHEN s.status IN ('started', 'completed') THEN now() END,
       CASE WHEN g % 13 = 0 THEN now() END
     FROM generate_series(1, $3::int) g
     JOIN LATERAL (SELECT (ARRAY[${STATUSES.map((s) => `'${s}'`).join(',')}])[1 + g % ${STATUSES.length}] AS status) s ON true
     JOIN units u ON u.code = 'U' || lpad((1 + g % $4::int)::text, 4, '0')`,
    [roundId, questionnaireId, sizes.invitations, sizes.units],
  );
  await client.query(
    `INSERT INTO responses (id, questionnaire_id, unit_id, channel, status, source, counted, completed_day, round_id)
     SELECT gen_random_uuid(), $2, u.id, 'telegram', 'completed', CASE WHEN g % 4 = 0 THEN 'open' ELSE 'invited' END::"ResponseSource", g % 50 <> 0, current_date, $1
     FROM generate_series(1, $3::int) g JOIN units u ON u.code = 'U' || lpad((1 + g % $4::int)::text, 4, '0')`,
    [roundId, questionnaireId, sizes.responses, sizes.units],
  );
}

const BASELINE_SQL = `SELECT unit_id, count(*) FILTER (WHERE status <> 'cancelled') AS invited, count(sent_at) AS sent, count(opened_at) AS opened, count(started_at) AS started,
  count(*) FILTER (WHERE status = 'undeliverable') AS undeliverable, count(*) FILTER (WHERE status = 'opted_out') AS opted_out, count(unopened_reminder_at) AS reminded
  FROM invitations WHERE round_id = (SELECT id FROM rounds WHERE code = $1) AND NOT is_test GROUP BY unit_id`;

export async function runProgressBench(opts: { sizes: ProgressSizes; reseed: boolean; fakeUrl: string; logDir: string; log: (s: string) => void }): Promise<ProgressResult> {
  const { sizes, log } = opts;
  const fresh = opts.reseed || !(await databaseExists(PROGRESS_DB));
  if (opts.reseed && (await databaseExists(PROGRESS_DB))) {
    const admin = new pg.Client({ connectionString: dbUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE ${PROGRESS_DB} WITH (FORCE)`);
    await admin.end();
  }
  await createDatabase(PROGRESS_DB);
  // The product migrates and seeds its questionnaires on start; the data goes in afterwards.
  const product = await startProduct({ database: PROGRESS_DB, telegramApiRoot: opts.fakeUrl, logDir: opts.logDir, label: 'progress', role: 'web', logLevel: 'warn' });
  const client = new pg.Client({ connectionString: dbUrl(PROGRESS_DB) });
  await client.connect();
  try {
    let seedSeconds: number | null = null;
    const existing = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM invitations i JOIN rounds r ON r.id = i.round_id WHERE r.code = $1`, [ROUND]);
    if (fresh || existing.rows[0]!.n !== sizes.invitations) {
      if (existing.rows[0]!.n > 0) throw new Error(`${PROGRESS_DB} holds another size of round; run with --reseed`);
      log(`progress: seeding ${sizes.invitations.toLocaleString('en')} invitations over ${sizes.units} units`);
      const t0 = Date.now();
      await seed(client, sizes);
      seedSeconds = round2((Date.now() - t0) / 1000);
    }
    const get = async () => {
      const t0 = performance.now();
      const res = await api<{ units: unknown[]; total: { invited: number } }>(`${product.url!}/api/v1/rounds/${ROUND}/progress`, 'GET');
      return { ms: performance.now() - t0, body: res.json };
    };
    for (let i = 0; i < 3; i++) await get();
    const runs: number[] = [];
    let last;
    for (let i = 0; i < sizes.runs; i++) {
      last = await get();
      runs.push(round2(last.ms));
    }
    const base: number[] = [];
    for (let i = 0; i < sizes.runs; i++) {
      const t0 = performance.now();
      await client.query(BASELINE_SQL, [ROUND]);
      base.push(performance.now() - t0);
    }
    const hp = percentiles(runs, [50, 95, 100]);
    const bp = percentiles(base, [50, 95, 100]);
    log(`progress: HTTP p50 ${hp.p50} ms, p95 ${hp.p95} ms; baseline GROUP BY p50 ${bp.p50} ms`);
    return {
      sizes,
      seeded: seedSeconds !== null,
      seedSeconds,
      http: { p50: hp.p50!, p95: hp.p95!, max: hp.p100!, runs },
      baseline: { p50: bp.p50!, p95: bp.p95!, max: bp.p100! },
      unitsInAnswer: last!.body.units.length,
      invitedInAnswer: last!.body.total.invited,
    };
  } finally {
    await client.end();
    await product.proc.stop();
  }
}
