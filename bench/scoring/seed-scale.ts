/**
 * Seeds a database with N completed sipas-2017 responses over 700 units for the scoring
 * benchmark (default 1,000,000 responses, all of 2025), fast: responses and answers are
 * generated inside PostgreSQL by set-based `INSERT … SELECT … generate_series` statements
 * (chunks of 50,000 responses, two connections in parallel), with the answers table's
 * secondary index and foreign key dropped during the load and rebuilt after it. Rollups
 * (daily and monthly) are then built by the product's own command-line tool,
 * `npm run scoring:verify -- --rebuild` (SQL aggregation of the raw answers, then a check
 * of the rollups against them). Reusable: a database already seeded with the same size
 * and seed version is kept unless `--reseed` is given; it is first brought up to date by
 * the product's migration runner (e.g. 20261122100000_monthly_rollups creates and
 * backfills the monthly rollups from the daily ones), so no reseed is needed for that.
 *
 * Each response gets its 18 criterion answers of elements 1–4, the 4 of element 5 when
 * its (random, 30 %) complaint filter is yes, and 4 other answers (gender, field,
 * complaint, overall): about 23 answers per response instead of the ~36 a real one has
 * (the perception, expectation and free-text answers are left out to keep the table
 * around 23 million rows; reports read only criterion and option answers).
 *
 *   npx tsx bench/scoring/seed-scale.ts [--responses 1000000] [--database sipas_bench_scale] [--reseed]
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadBuiltinQuestionnaires, migrate, seedQuestionnaires } from '../../src/index.js';
import { runScript } from '../../test/support/spawn-script.js';
import { databaseExists, databaseSize, dbUrl, dropDatabase } from '../lib/pg.js';
import { openProduct } from '../lib/product.js';
import { deleteKeys } from '../lib/redis-keys.js';
import { round0 } from '../lib/stats.js';
import { benchUnits } from '../lib/units.js';

export const SCALE_DB = 'sipas_bench_scale';
/** Bump when the generated data changes, so an old seed is not reused. */
const SEED_VERSION = 1;
const CHUNK = 50_000;
const PARALLEL = 2;
const SEED_PREFIX = '{bench-seed}';

export type SeedInfo = {
  database: string;
  responses: number;
  answers: number;
  units: number;
  reused: boolean;
  seedVersion: number;
  seededAt: string;
  /** Phase durations of the seed that built this database. */
  timingsMs: Record<string, number>;
  /** Daily rollup rows (per unit × criterion/option × day) and monthly ones. */
  rollupRows: { criterion: number; option: number; monthlyCriterion?: number; monthlyOption?: number };
  sizes: Record<string, string>;
  /** Migrations applied to this database after its seed (by benchmark runs reusing it), oldest first. */
  upgrades?: { at: string; applied: string[]; ms: number }[];
};

const ROLLUP_TABLES = ['criterion_rollups', 'option_rollups', 'criterion_rollups_monthly', 'option_rollups_monthly'];
const SIZED_TABLES = ['responses', 'answers', ...ROLLUP_TABLES];

async function tableSizes(client: pg.Client): Promise<Record<string, string>> {
  const r = await client.query<{ name: string; size: string }>(
    `SELECT relname AS name, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class WHERE relname = ANY($1::text[]) AND relkind = 'r' ORDER BY relname`,
    [SIZED_TABLES],
  );
  return Object.fromEntries(r.rows.map((row) => [row.name, row.size]));
}

async function monthlyRowCounts(client: pg.Client): Promise<{ monthlyCriterion: number; monthlyOption: number }> {
  const r = await client.query<{ c: number; o: number }>(
    'SELECT (SELECT count(*)::int FROM criterion_rollups_monthly) AS c, (SELECT count(*)::int FROM option_rollups_monthly) AS o',
  );
  return { monthlyCriterion: r.rows[0]!.c, monthlyOption: r.rows[0]!.o };
}

async function rollupRowCounts(client: pg.Client): Promise<SeedInfo['rollupRows']> {
  const r = await client.query<{ c: number; o: number }>('SELECT (SELECT count(*)::int FROM criterion_rollups) AS c, (SELECT count(*)::int FROM option_rollups) AS o');
  return { criterion: r.rows[0]!.c, option: r.rows[0]!.o, ...(await monthlyRowCounts(client)) };
}

/** The built-in questionnaires stored the product's way, through its app factory's database client. */
async function storeQuestionnaires(database: string): Promise<void> {
  const app = await openProduct({ database, prefix: SEED_PREFIX, telegramApiRoot: 'http://127.0.0.1:9' });
  try {
    await seedQuestionnaires(app.ctx.db, loadBuiltinQuestionnaires());
  } finally {
    await app.close();
    await deleteKeys(SEED_PREFIX);
  }
}

/** `npm run scoring:verify -- --rebuild` for the seeded questionnaire: rebuilds the rollups, then checks them against the raw answers. */
async function rebuildRollups(database: string): Promise<void> {
  const { code, out } = await runScript('src/cli/scoring-verify.ts', ['--questionnaire', 'sipas-2017@1', '--rebuild'], { DATABASE_URL: dbUrl(database) });
  if (code !== 0) throw new Error(`scoring:verify --rebuild exited with ${code}:\n${out.slice(-3000)}`);
}

const CRITERIA = ['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4', '2.5', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '4.1', '4.2', '4.3', '5.1', '5.2', '5.3', '5.4'];
const FIELDS = ['dat_dai', 'xay_dung', 'ho_tich', 'chung_thuc', 'kinh_doanh', 'lao_dong_xa_hoi', 'tai_nguyen_moi_truong', 'giao_thong', 'giao_duc', 'y_te', 'khac'];

/*
 * One chunk: insert `$3` responses (unit skewed towards the first units, completion time
 * uniform over 2025, 70 % Zalo), then their answers. A level is 1–5 from a per-unit
 * quality, a per-response mood and per-answer noise, so units rank differently; 4 % of
 * criterion answers are "not applicable".
 */
const CHUNK_SQL = `
WITH r AS (
  INSERT INTO responses (id, questionnaire_id, unit_id, channel, procedure_code, status, started_at, updated_at, completed_at, completed_day)
  SELECT gen_random_uuid(), $1, s.unit_id, s.channel, '1.001234', 'completed', s.t - interval '7 minutes', s.t, s.t, (s.t + interval '7 hours')::date
  FROM (
    SELECT ($2::int[])[1 + least(cardinality($2::int[]) - 1, floor(cardinality($2::int[]) * power(random(), 1.6))::int)] AS unit_id,
           (CASE WHEN random() < 0.7 THEN 'zalo' ELSE 'telegram' END)::"Channel" AS channel,
           date_trunc('milliseconds', timestamp '2024-12-31 17:00:00' + random() * interval '365 days') AS t
    FROM generate_series(1, $3::int) g
  ) s
  RETURNING id, unit_id, completed_at
), f AS (
  -- Volatile functions only in target lists: a LATERAL subquery may be memoized by the planner.
  SELECT r.id, r.completed_at, random() < 0.3 AS complaint, random() AS mood, ((r.unit_id::bigint * 2654435761) % 1000) / 1000.0 AS quality
  FROM r
), c0 AS (
  SELECT f.id, f.completed_at, f.quality, f.mood, u.code, u.ord::int AS seq, random() AS x
  FROM f CROSS JOIN unnest($4::text[]) WITH ORDINALITY AS u(code, ord)
  WHERE f.complaint OR u.code NOT LIKE '5.%'
), c AS (
  SELECT id, completed_at, code, seq, x, 1 + least(4, floor(5 * (0.1 + 0.45 * greatest(0, x - 0.04) / 0.96 + 0.3 * quality + 0.25 * mood)))::int AS level
  FROM c0
)
INSERT INTO answers (response_id, question_code, status, score, value, seq, answered_at)
SELECT id, code, CASE WHEN x < 0.04 THEN 'not_applicable' ELSE 'answered' END::"AnswerStatus",
       CASE WHEN x < 0.04 THEN NULL ELSE level END,
       CASE WHEN x < 0.04 THEN 'null'::jsonb ELSE to_jsonb(level) END, seq, completed_at
FROM c
UNION ALL
SELECT id, 'gender', 'answered', NULL, to_jsonb(CASE WHEN random() < 0.52 THEN 'nu' ELSE 'nam' END), 23, completed_at FROM f
UNION ALL
SELECT id, 'field', 'answered', NULL, to_jsonb(($5::text[])[1 + floor(random() * cardinality($5::text[]))::int]), 24, completed_at FROM f
UNION ALL
SELECT id, 'complaint', 'answered', NULL, to_jsonb(complaint), 25, completed_at FROM f
UNION ALL
SELECT id, 'overall', 'answered', o.level, to_jsonb(o.level), 26, completed_at
FROM (SELECT id, completed_at, 1 + least(4, floor(5 * (0.1 + 0.4 * random() + 0.3 * quality + 0.3 * mood)))::int AS level FROM f) o`;

async function readInfo(client: pg.Client): Promise<SeedInfo | undefined> {
  const t = await client.query(`SELECT to_regclass('bench_seed') AS t`);
  if (!t.rows[0]?.t) return undefined;
  const r = await client.query<{ info: SeedInfo }>('SELECT info FROM bench_seed WHERE id = 1');
  return r.rows[0]?.info;
}

export async function seedScale(o: { responses: number; database?: string; reseed?: boolean; log?: (s: string) => void }): Promise<SeedInfo> {
  const database = o.database ?? SCALE_DB;
  const log = o.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  const url = dbUrl(database);
  if (!o.reseed && (await databaseExists(database))) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const info = await readInfo(c);
      if (info && info.responses === o.responses && info.seedVersion === SEED_VERSION) {
        log(`seed: ${database} already holds ${info.responses} responses (seeded ${info.seededAt}); reusing it (--reseed to rebuild)`);
        // Bring the schema up to date the way the product does (its migrations backfill new rollup tables).
        const t0 = performance.now();
        const { applied } = await migrate(url);
        if (applied.length === 0) return { ...info, reused: true };
        await c.query(`VACUUM (ANALYZE) ${ROLLUP_TABLES.join(', ')}`);
        const upgrade = { at: new Date().toISOString(), applied, ms: round0(performance.now() - t0) };
        log(`seed: applied ${applied.join(', ')} to ${database} in ${upgrade.ms} ms (with VACUUM ANALYZE of the rollups)`);
        const updated: SeedInfo = {
          ...info,
          rollupRows: { ...info.rollupRows, ...(await monthlyRowCounts(c)) },
          sizes: { ...(await tableSizes(c)), database: await databaseSize(database) },
          upgrades: [...(info.upgrades ?? []), upgrade],
        };
        await c.query('UPDATE bench_seed SET info = $1 WHERE id = 1', [JSON.stringify(updated)]);
        return { ...updated, reused: true };
      }
    } finally {
      await c.end();
    }
  }

  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await fn();
    timings[name] = round0(performance.now() - t0);
    log(`seed: ${name} ${timings[name]} ms`);
    return v;
  };

  await dropDatabase(database);
  await phase('migrate', () => migrate(url));
  await storeQuestionnaires(database);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = await client.query<{ id: number }>(`SELECT id FROM questionnaires WHERE code = 'sipas-2017' AND version = 1`);
    const questionnaireId = q.rows[0]!.id;
    const units = benchUnits();
    await phase('units', () =>
      client.query(`INSERT INTO units (code, name, "group", active, updated_at) SELECT *, true, now() FROM unnest($1::text[], $2::text[], $3::text[])`, [
        units.map((u) => u.code),
        units.map((u) => u.name),
        units.map((u) => u.group),
      ]),
    );
    const unitIds = (await client.query<{ id: number }>('SELECT id FROM units ORDER BY code')).rows.map((r) => r.id);

    // Bulk load: drop the secondary index and the foreign key of answers, rebuild them after.
    const indexes = (await client.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'answers' AND indexname <> 'answers_pkey'`)).rows;
    const fks = (await client.query<{ conname: string; def: string }>(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'answers'::regclass AND contype = 'f'`)).rows;
    for (const fk of fks) await client.query(`ALTER TABLE answers DROP CONSTRAINT "${fk.conname}"`);
    for (const ix of indexes) await client.query(`DROP INDEX "${ix.indexname}"`);

    const chunks = Array.from({ length: Math.ceil(o.responses / CHUNK) }, (_, i) => Math.min(CHUNK, o.responses - i * CHUNK));
    await phase('responses+answers', async () => {
      let next = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          try {
            await c.query('SET synchronous_commit = off');
            for (let i = next++; i < chunks.length; i = next++) {
              await c.query(CHUNK_SQL, [questionnaireId, unitIds, chunks[i], CRITERIA, FIELDS]);
              done += chunks[i]!;
              if (done % (CHUNK * 4) === 0 || done === o.responses) log(`seed: ${done}/${o.responses} responses`);
            }
          } finally {
            await c.end();
          }
        }),
      );
    });
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await phase('answers indexes', async () => {
      for (const ix of indexes) await client.query(ix.indexdef);
    });
    await phase('answers foreign key', async () => {
      for (const fk of fks) await client.query(`ALTER TABLE answers ADD CONSTRAINT "${fk.conname}" ${fk.def}`);
    });
    await phase('vacuum analyze (raw)', () => client.query('VACUUM (ANALYZE) responses, answers'));
    await phase('scoring:verify --rebuild', () => rebuildRollups(database));
    await phase('vacuum analyze (rollups)', () => client.query(`VACUUM (ANALYZE) ${ROLLUP_TABLES.join(', ')}`));

    const counts = await client.query<{ responses: number; answers: number }>(`SELECT (SELECT count(*)::int FROM responses) AS responses, (SELECT count(*)::int FROM answers) AS answers`);
    const info: SeedInfo = {
      database,
      responses: counts.rows[0]!.responses,
      answers: counts.rows[0]!.answers,
      units: unitIds.length,
      reused: false,
      seedVersion: SEED_VERSION,
      seededAt: new Date().toISOString(),
      timingsMs: timings,
      rollupRows: await rollupRowCounts(client),
      sizes: { ...(await tableSizes(client)), database: await databaseSize(database) },
    };
    await client.query('CREATE TABLE bench_seed (id int PRIMARY KEY, info jsonb NOT NULL)');
    await client.query('INSERT INTO bench_seed (id, info) VALUES (1, $1)', [JSON.stringify(info)]);
    return info;
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const info = await seedScale({ responses: Number(value('--responses') ?? 1_000_000), database: value('--database') ?? SCALE_DB, reseed: args.includes('--reseed') });
  process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
}
