import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import type { Db } from '../../src/db/prisma-client.js';
import { applyRollupIncrements, type RollupEntry } from '../../src/scoring/apply-rollup-increments.js';
import type { CountScope } from '../../src/scoring/count-types.js';
import { loadIndexReport } from '../../src/scoring/load-index-report.js';
import { loadRawCounts } from '../../src/scoring/load-raw-counts.js';
import { loadRollupCounts, splitPeriod } from '../../src/scoring/load-rollup-counts.js';
import { rebuildRollups } from '../../src/scoring/rebuild-rollups.js';
import { rollupIncrements } from '../../src/scoring/rollup-increments.js';
import { verifyRollups } from '../../src/scoring/verify-rollups.js';
import { createScoringDatabase, insertResponses, rollupRows, TWO_COMMUNES_ONE_DEPARTMENT, useScoringDatabase, type FakeResponse } from '../support/scoring-database.js';
import { chose, likert, na, ONE_FIELD } from '../support/scoring-fixtures.js';
import { TEST_DB_PREFIX, TEST_PG_ADMIN_URL, databaseUrl, testRunId } from '../support/test-env.js';

/** Completion days around month and year ends (2024 is a leap year). */
const DAYS = ['2024-02-28', '2024-02-29', '2024-03-01', '2024-12-31', '2025-01-01', '2025-01-15', '2025-01-31', '2025-02-01', '2025-02-14', '2025-02-28', '2025-03-01', '2025-06-15', '2025-12-31', '2026-01-01'];
/** Period bounds tried: every data day, days next to them, month starts and ends, and unbounded. */
const BOUNDS = [null, '2024-01-01', '2024-02-29', '2024-03-01', '2025-01-01', '2025-01-02', '2025-01-15', '2025-01-31', '2025-02-01', '2025-02-27', '2025-02-28', '2025-03-01', '2025-03-31', '2025-12-31', '2026-01-01', '2026-02-01'];

describe('splitPeriod', () => {
  it('reads whole months from the monthly tables and only the partial months at the edges from the daily ones', () => {
    expect(splitPeriod(null, null)).toEqual({ months: { from: null, to: null }, days: [] });
    expect(splitPeriod('2025-01-01', '2025-12-31')).toEqual({ months: { from: '2025-01-01', to: '2025-12-01' }, days: [] });
    expect(splitPeriod('2025-01-10', '2025-03-20')).toEqual({
      months: { from: '2025-02-01', to: '2025-02-01' },
      days: [{ from: '2025-01-10', to: '2025-01-31' }, { from: '2025-03-01', to: '2025-03-20' }],
    });
    expect(splitPeriod('2025-01-10', null)).toEqual({ months: { from: '2025-02-01', to: null }, days: [{ from: '2025-01-10', to: '2025-01-31' }] });
    expect(splitPeriod(null, '2025-03-20')).toEqual({ months: { from: null, to: '2025-02-01' }, days: [{ from: '2025-03-01', to: '2025-03-20' }] });
    expect(splitPeriod(null, '2024-02-29')).toEqual({ months: { from: null, to: '2024-02-01' }, days: [] });
    expect(splitPeriod(null, '2025-02-28')).toEqual({ months: { from: null, to: '2025-02-01' }, days: [] });
    expect(splitPeriod('2025-12-01', '2026-01-31')).toEqual({ months: { from: '2025-12-01', to: '2026-01-01' }, days: [] });
    expect(splitPeriod('2025-01-31', '2025-03-01')).toEqual({
      months: { from: '2025-02-01', to: '2025-02-01' },
      days: [{ from: '2025-01-31', to: '2025-01-31' }, { from: '2025-03-01', to: '2025-03-01' }],
    });
  });

  it('uses days only when no whole month is inside, or when a bound is not a calendar day', () => {
    expect(splitPeriod('2025-06-15', '2025-06-15')).toEqual({ months: null, days: [{ from: '2025-06-15', to: '2025-06-15' }] });
    expect(splitPeriod('2025-06-01', '2025-06-29')).toEqual({ months: null, days: [{ from: '2025-06-01', to: '2025-06-29' }] });
    expect(splitPeriod('2025-01-31', '2025-02-01')).toEqual({ months: null, days: [{ from: '2025-01-31', to: '2025-02-01' }] });
    expect(splitPeriod('2025-03-01', '2025-02-01')).toEqual({ months: null, days: [{ from: '2025-03-01', to: '2025-02-01' }] });
    expect(splitPeriod('2025-02-30', null)).toEqual({ months: null, days: [{ from: '2025-02-30', to: null }] });
    expect(splitPeriod(null, '2025-6-1')).toEqual({ months: null, days: [{ from: null, to: '2025-6-1' }] });
  });
});

const t = useScoringDatabase(TWO_COMMUNES_ONE_DEPARTMENT, [ONE_FIELD]);
let qid: number;

const full = (s: number): FakeResponse['answers'] => [likert('qE1.1', s), likert('qE1.2', 6 - s), likert('qE2.1', s), chose('gender', s % 2 ? 'f' : 'm'), chose('channel', ['web', 'tv'].slice(0, s % 3)), chose('harass', s > 3), likert('overall', s)];

beforeAll(async () => {
  [qid] = t.questionnaireIds as [number];
  // Several responses per day and unit with different answers, so every day and month has distinct counts.
  const responses: FakeResponse[] = DAYS.flatMap((day, i) =>
    t.unitIds.flatMap((unitId, u) =>
      Array.from({ length: 1 + ((i + u) % 3) }, (_, k): FakeResponse => ({
        unitId,
        day,
        status: 'completed',
        answers: (i + u + k) % 4 === 0 ? [likert('qE1.1', 1 + k), na('qE1.2'), na('overall')] : full(1 + ((i * 3 + u + k) % 5)),
      })),
    ),
  );
  responses.push({ unitId: t.unitIds[0]!, day: '2025-01-15', status: 'in_progress', answers: full(5) });
  await insertResponses(t.prisma, { id: qid, definition: ONE_FIELD }, responses);
});

describe('rollup path over monthly and daily rows', () => {
  it('equals the raw-answer path for every period: mid-month starts and ends, single days, whole months and years, open-ended', async () => {
    let compared = 0;
    for (const group of [null, 'xa']) {
      for (const from of BOUNDS) {
        for (const to of BOUNDS) {
          if (from !== null && to !== null && from > to) continue;
          const scope: CountScope = { questionnaireId: qid, from, to, group };
          expect({ scope, counts: await loadRollupCounts(t.prisma, scope) }).toEqual({ scope, counts: await loadRawCounts(t.prisma, scope, ONE_FIELD) });
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(250);
  }, 120_000);

  it('single days and empty periods', async () => {
    for (const day of [...DAYS, '2025-01-02', '2025-04-01']) {
      const scope = { questionnaireId: qid, from: day, to: day };
      expect(await loadRollupCounts(t.prisma, scope)).toEqual(await loadRawCounts(t.prisma, scope, ONE_FIELD));
    }
    expect(await loadRollupCounts(t.prisma, { questionnaireId: qid, from: '2025-03-01', to: '2025-02-01' })).toEqual({ responses: [], criteria: [], options: [], segments: [] });
    expect((await loadRollupCounts(t.prisma, { questionnaireId: qid, from: '2025-04-01', to: '2025-05-31' })).responses).toEqual([]);
  });

  it('build the same report as the raw path for a whole year and a period starting and ending mid-month', async () => {
    const at = new Date('2026-02-01T00:00:00Z');
    for (const period of [{ from: '2025-01-01', to: '2025-12-31' }, { from: '2025-01-15', to: '2025-02-14' }, {}]) {
      const fast = await loadIndexReport(t.prisma, { questionnaireId: qid, minCell: 1, generatedAt: at, ...period });
      const slow = await loadIndexReport(t.prisma, { questionnaireId: qid, minCell: 1, generatedAt: at, source: 'raw', ...period });
      expect(fast).toEqual(slow);
    }
  });

  it('keeps monthly rows equal to the sums of the daily rows, and verifyRollups agrees', async () => {
    const sums = await t.prisma.$queryRaw<unknown[]>`
      SELECT unit_id, criterion_code, date_trunc('month', day::timestamp)::date AS month, SUM(c1)::int AS c1, SUM(c2)::int AS c2, SUM(c3)::int AS c3, SUM(c4)::int AS c4, SUM(c5)::int AS c5, SUM(c_na)::int AS c_na
      FROM criterion_rollups WHERE questionnaire_id = ${qid} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
    const monthly = await t.prisma.$queryRaw<unknown[]>`
      SELECT unit_id, criterion_code, month, c1, c2, c3, c4, c5, c_na FROM criterion_rollups_monthly WHERE questionnaire_id = ${qid} ORDER BY 1, 2, 3`;
    expect(monthly).toEqual(sums);
    expect(monthly.length).toBeGreaterThan(0);
    const optionSums = await t.prisma.$queryRaw<unknown[]>`
      SELECT unit_id, question_code, option, date_trunc('month', day::timestamp)::date AS month, SUM(count)::int AS count
      FROM option_rollups WHERE questionnaire_id = ${qid} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
    const optionMonthly = await t.prisma.$queryRaw<unknown[]>`
      SELECT unit_id, question_code, option, month, count FROM option_rollups_monthly WHERE questionnaire_id = ${qid} ORDER BY 1, 2, 3, 4`;
    expect(optionMonthly).toEqual(optionSums);
    expect(await verifyRollups(t.prisma, { questionnaireId: qid })).toEqual([]);
    expect(await verifyRollups(t.prisma, { questionnaireId: qid, from: '2025-01-15', to: '2025-02-14', group: 'xa' })).toEqual([]);
  });

  it('verifyRollups reports a wrong monthly row with its month, and rebuildRollups restores it', async () => {
    const [x1] = t.unitIds as [number];
    const before = await rollupRows(t.prisma, qid);
    await t.prisma.$executeRaw`UPDATE criterion_rollups_monthly SET c3 = c3 + 2 WHERE questionnaire_id = ${qid} AND unit_id = ${x1} AND criterion_code = 'E1.1' AND month = '2025-02-01'`;
    await t.prisma.$executeRaw`DELETE FROM option_rollups_monthly WHERE questionnaire_id = ${qid} AND unit_id = ${x1} AND question_code = '__responses' AND month = '2025-01-01'`;
    const [raw] = (await loadRawCounts(t.prisma, { questionnaireId: qid, from: '2025-01-01', to: '2025-01-31' }, ONE_FIELD)).responses.filter((r) => r.unitId === x1);
    const diffs = await verifyRollups(t.prisma, { questionnaireId: qid });
    expect(diffs).toEqual([
      { kind: 'responses', unitId: x1, key: '[month 2025-01]', month: '2025-01-01', segment: 0, rollup: null, raw: { responses: raw!.responses } },
      expect.objectContaining({ kind: 'criterion', unitId: x1, key: 'E1.1 [month 2025-02]', month: '2025-02-01', segment: 0 }),
    ]);
    const wrong = diffs[1]!;
    expect(wrong.rollup!.c3).toBe(wrong.raw!.c3! + 2);
    // The monthly rows feed whole months only: a mid-month period still reads days and agrees.
    expect(await verifyRollups(t.prisma, { questionnaireId: qid, from: '2025-03-01' })).toEqual([]);
    const scope = { questionnaireId: qid, from: '2025-02-01', to: '2025-02-28' };
    expect(await loadRollupCounts(t.prisma, scope)).not.toEqual(await loadRawCounts(t.prisma, scope, ONE_FIELD));
    await rebuildRollups(t.prisma, qid);
    expect(await rollupRows(t.prisma, qid)).toEqual(before);
    expect(await verifyRollups(t.prisma, { questionnaireId: qid })).toEqual([]);
  });
});

/** Counts the statements sent through the client. */
function countingClient(db: Db): { client: Db; statements: () => number } {
  let n = 0;
  const client = new Proxy(db, {
    get(target, prop) {
      const value = (target as unknown as Record<PropertyKey, unknown>)[prop];
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && prop.startsWith('$') && /Raw/.test(prop)) {
        return (...args: unknown[]) => {
          n++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { client, statements: () => n };
}

describe('applyRollupIncrements with many entries', () => {
  const UNITS = [
    { code: 'A', name: 'Đơn vị A', group: 'g' },
    { code: 'B', name: 'Đơn vị B', group: 'g' },
  ];
  const w = useScoringDatabase(UNITS, [ONE_FIELD]);
  let q: number;
  beforeAll(() => {
    [q] = w.questionnaireIds as [number];
  });

  const entry = (unitId: number, day: string, score: number): RollupEntry => ({ target: { questionnaireId: q, unitId, day, segment: 0 }, inc: rollupIncrements(ONE_FIELD, full(score)) });

  it('merges equal keys, writes daily and monthly tables in 4 statements, none when there is nothing to write', async () => {
    const [a, b] = w.unitIds as [number, number];
    const { client, statements } = countingClient(w.prisma);
    await applyRollupIncrements(client, []);
    await applyRollupIncrements(client, [{ target: { questionnaireId: q, unitId: a, day: '2025-01-01', segment: 0 }, inc: { criteria: [], options: [] } }]);
    expect(statements()).toBe(0);
    // Same day twice, two days of one month, another month, another unit; in no particular order.
    const entries = [entry(b, '2025-02-03', 2), entry(a, '2025-01-10', 5), entry(a, '2025-01-31', 4), entry(a, '2025-01-10', 5), entry(a, '2025-02-01', 1)];
    await applyRollupIncrements(client, entries);
    expect(statements()).toBe(4);

    // Reference: the same entries one at a time into an identical database.
    const one = await createScoringDatabase(UNITS, [ONE_FIELD]);
    try {
      for (const e of entries) await applyRollupIncrements(one.prisma, [e]);
      expect(await rollupRows(w.prisma, q)).toEqual(await rollupRows(one.prisma, q));
    } finally {
      await one.drop();
    }
    const jan = await w.prisma.criterionRollupMonthly.findUniqueOrThrow({ where: { questionnaireId_unitId_criterionCode_month_segment: { questionnaireId: q, unitId: a, criterionCode: 'E1.1', month: new Date('2025-01-01'), segment: 0 } } });
    expect(jan).toMatchObject({ c4: 1, c5: 2 });
    const day10 = await w.prisma.optionRollup.findUniqueOrThrow({ where: { questionnaireId_unitId_questionCode_option_day_segment: { questionnaireId: q, unitId: a, questionCode: '__responses', option: 'all', day: new Date('2025-01-10'), segment: 0 } } });
    expect(day10.count).toBe(2);
    await expect(applyRollupIncrements(w.prisma, [{ target: { questionnaireId: q, unitId: a, day: '10/01/2025', segment: 0 }, inc: { criteria: [], options: [] } }])).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('concurrent transactions over overlapping keys in different orders neither deadlock nor lose increments', async () => {
    await w.prisma.$executeRawUnsafe('TRUNCATE criterion_rollups, option_rollups, criterion_rollups_monthly, option_rollups_monthly');
    const [a, b] = w.unitIds as [number, number];
    const keys = [entry(a, '2025-03-01', 3), entry(b, '2025-03-01', 3), entry(a, '2025-03-02', 3), entry(b, '2025-03-31', 3), entry(a, '2025-04-01', 3)];
    const rounds = 12;
    await Promise.all(
      Array.from({ length: rounds }, (_, i) =>
        w.prisma.$transaction(async (tx) => {
          // Each transaction lists the same keys in another order.
          const mine = i % 2 ? [...keys].reverse() : [...keys.slice(i % keys.length), ...keys.slice(0, i % keys.length)];
          await applyRollupIncrements(tx, mine);
          await tx.$executeRaw`SELECT pg_sleep(0.01)`;
        }),
      ),
    );
    const scope = { questionnaireId: q, from: '2025-03-01', to: '2025-04-30' };
    const counts = await loadRollupCounts(w.prisma, scope);
    expect(counts.responses).toEqual([
      { unitId: a, responses: rounds * 3 },
      { unitId: b, responses: rounds * 2 },
    ]);
    expect(await loadRollupCounts(w.prisma, scope, { monthly: false })).toEqual(counts);
  });
});

describe('migration 20261122100000_monthly_rollups', () => {
  it('backfills the monthly tables from the daily rows already there', async () => {
    const name = `${TEST_DB_PREFIX}${testRunId()}_mig_${process.pid}`;
    const url = databaseUrl(name);
    const initOnly = await mkdtemp(path.join(tmpdir(), 'sipas-migrations-'));
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await mkdir(path.join(initOnly, '20261122000000_init'));
      await copyFile(path.join(DEFAULT_MIGRATIONS_DIR, '20261122000000_init/migration.sql'), path.join(initOnly, '20261122000000_init/migration.sql'));
      expect((await migrate(url, initOnly)).applied).toEqual(['20261122000000_init']);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`INSERT INTO units (code, name, "group", updated_at) VALUES ('A', 'Đơn vị A', 'g', now()), ('B', 'Đơn vị B', 'g', now())`);
        await c.query(`INSERT INTO questionnaires (code, version, title, definition) VALUES ('x', 1, 'X', '{}'), ('y', 1, 'Y', '{}')`);
        await c.query(`
          INSERT INTO criterion_rollups (questionnaire_id, unit_id, criterion_code, day, c1, c2, c3, c4, c5, c_na) VALUES
            (1, 1, '1.1', '2025-01-01', 1, 0, 0, 0, 0, 0), (1, 1, '1.1', '2025-01-31', 0, 2, 0, 0, 0, 1), (1, 1, '1.1', '2025-02-01', 0, 0, 3, 0, 0, 0),
            (1, 2, '1.1', '2025-01-15', 0, 0, 0, 4, 0, 0), (2, 1, '1.1', '2025-01-15', 0, 0, 0, 0, 5, 0), (1, 1, '1.2', '2024-12-31', 1, 1, 1, 1, 1, 1)`);
        await c.query(`
          INSERT INTO option_rollups (questionnaire_id, unit_id, question_code, option, day, count) VALUES
            (1, 1, '__responses', 'all', '2025-01-01', 2), (1, 1, '__responses', 'all', '2025-01-31', 3), (1, 1, '__responses', 'all', '2025-02-01', 4),
            (1, 1, 'gender', 'f', '2025-01-02', 1), (2, 2, 'gender', 'f', '2025-01-02', 7)`);
        // Later migrations may follow; this one must be applied first.
        expect((await migrate(url)).applied[0]).toBe('20261122100000_monthly_rollups');
        const crit = await c.query(`SELECT questionnaire_id, unit_id, criterion_code, to_char(month, 'YYYY-MM-DD') AS month, c1, c2, c3, c4, c5, c_na FROM criterion_rollups_monthly ORDER BY 1, 2, 3, 4`);
        expect(crit.rows).toEqual([
          { questionnaire_id: 1, unit_id: 1, criterion_code: '1.1', month: '2025-01-01', c1: 1, c2: 2, c3: 0, c4: 0, c5: 0, c_na: 1 },
          { questionnaire_id: 1, unit_id: 1, criterion_code: '1.1', month: '2025-02-01', c1: 0, c2: 0, c3: 3, c4: 0, c5: 0, c_na: 0 },
          { questionnaire_id: 1, unit_id: 1, criterion_code: '1.2', month: '2024-12-01', c1: 1, c2: 1, c3: 1, c4: 1, c5: 1, c_na: 1 },
          { questionnaire_id: 1, unit_id: 2, criterion_code: '1.1', month: '2025-01-01', c1: 0, c2: 0, c3: 0, c4: 4, c5: 0, c_na: 0 },
          { questionnaire_id: 2, unit_id: 1, criterion_code: '1.1', month: '2025-01-01', c1: 0, c2: 0, c3: 0, c4: 0, c5: 5, c_na: 0 },
        ]);
        const opt = await c.query(`SELECT questionnaire_id, unit_id, question_code, option, to_char(month, 'YYYY-MM-DD') AS month, count FROM option_rollups_monthly ORDER BY 1, 2, 3, 4, 5`);
        expect(opt.rows).toEqual([
          { questionnaire_id: 1, unit_id: 1, question_code: '__responses', option: 'all', month: '2025-01-01', count: 5 },
          { questionnaire_id: 1, unit_id: 1, question_code: '__responses', option: 'all', month: '2025-02-01', count: 4 },
          { questionnaire_id: 1, unit_id: 1, question_code: 'gender', option: 'f', month: '2025-01-01', count: 1 },
          { questionnaire_id: 2, unit_id: 2, question_code: 'gender', option: 'f', month: '2025-01-01', count: 7 },
        ]);
        expect((await migrate(url)).applied).toEqual([]);
      } finally {
        await c.end();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
      await rm(initOnly, { recursive: true, force: true });
    }
  });
});
