import { beforeAll, describe, expect, it } from 'vitest';
import { loadIndexReport } from '../../src/scoring/load-index-report.js';
import { loadRawCounts } from '../../src/scoring/load-raw-counts.js';
import { loadRollupCounts } from '../../src/scoring/load-rollup-counts.js';
import { rebuildRollups } from '../../src/scoring/rebuild-rollups.js';
import { verifyRollups } from '../../src/scoring/verify-rollups.js';
import { insertResponses, rollupRows, TWO_COMMUNES_ONE_DEPARTMENT, useScoringDatabase, type FakeResponse } from '../support/scoring-database.js';
import { chose, likert, na, ONE_FIELD, unanswered } from '../support/scoring-fixtures.js';

// A second questionnaire with the same tree: its rows must never mix with the first's.
const t = useScoringDatabase(TWO_COMMUNES_ONE_DEPARTMENT, [ONE_FIELD, { ...ONE_FIELD, code: 'fx-other' }]);
let qid: number;
let other: number;

beforeAll(async () => {
  [qid, other] = t.questionnaireIds as [number, number];
  const [x1, x2, s1] = t.unitIds as [number, number, number];
  const full = (s: number): FakeResponse['answers'] => [likert('qE1.1', s), likert('qE1.2', s), likert('qE2.1', s), chose('gender', 'f'), chose('channel', ['web', 'tv']), chose('harass', false), likert('overall', s)];
  const responses: FakeResponse[] = [
    { unitId: x1, day: '2025-01-10', status: 'completed', answers: full(5) },
    { unitId: x1, day: '2025-01-10', status: 'completed', answers: full(4) },
    { unitId: x1, day: '2025-02-01', status: 'completed', answers: [likert('qE1.1', 2), na('qE1.2'), unanswered('qE2.1'), chose('gender', 'm'), na('overall')] },
    { unitId: x2, day: '2025-01-15', status: 'completed', answers: full(3) },
    { unitId: s1, day: '2025-01-20', status: 'completed', answers: full(1) },
    { unitId: x1, day: '2025-01-11', status: 'in_progress', answers: full(5) }, // not completed: never counted
    { unitId: x2, day: '2025-01-11', status: 'abandoned', answers: full(5) },
  ];
  await insertResponses(t.prisma, { id: qid, definition: ONE_FIELD }, responses);
  await insertResponses(t.prisma, { id: other, definition: ONE_FIELD }, [{ unitId: x1, day: '2025-01-10', status: 'completed', answers: full(1) }]);
});

describe('rollup path and raw-answer path', () => {
  it('give the same, hand-checked counts', async () => {
    const [x1, x2] = t.unitIds as [number, number, number];
    const rollup = await loadRollupCounts(t.prisma, { questionnaireId: qid });
    const raw = await loadRawCounts(t.prisma, { questionnaireId: qid }, ONE_FIELD);
    expect(rollup).toEqual(raw);
    expect(raw.responses).toEqual(expect.arrayContaining([{ unitId: x1, responses: 3 }, { unitId: x2, responses: 1 }]));
    expect(raw.responses).toHaveLength(3);
    expect(raw.criteria.find((r) => r.unitId === x1 && r.criterionCode === 'E1.1')).toEqual({ unitId: x1, criterionCode: 'E1.1', c1: 0, c2: 1, c3: 0, c4: 1, c5: 1, na: 0 });
    expect(raw.criteria.find((r) => r.unitId === x1 && r.criterionCode === 'E1.2')).toMatchObject({ c4: 1, c5: 1, na: 1 });
    expect(raw.criteria.find((r) => r.unitId === x1 && r.criterionCode === 'E2.1')).toMatchObject({ c4: 1, c5: 1, na: 0 });
    const x1Options = raw.options.filter((r) => r.unitId === x1).map((r) => `${r.questionCode}=${r.option}:${r.count}`);
    expect(x1Options.sort()).toEqual(
      ['channel=__answered:2', 'channel=tv:2', 'channel=web:2', 'gender=__answered:3', 'gender=f:2', 'gender=m:1', 'harass=__answered:2', 'harass=no:2', 'overall=4:1', 'overall=5:1', 'overall=__answered:2', 'overall=na:1'].sort(),
    );
    expect(await verifyRollups(t.prisma, { questionnaireId: qid })).toEqual([]);
  });

  it('limit both paths to the period (completion days, inclusive) and to a group', async () => {
    const [x1, , s1] = t.unitIds as [number, number, number];
    const scope = { questionnaireId: qid, from: '2025-01-10', to: '2025-01-15' };
    const raw = await loadRawCounts(t.prisma, scope, ONE_FIELD);
    expect(await loadRollupCounts(t.prisma, scope)).toEqual(raw);
    expect(raw.responses.find((r) => r.unitId === x1)!.responses).toBe(2);
    expect(raw.responses.some((r) => r.unitId === s1)).toBe(false);
    const so = { questionnaireId: qid, group: 'so' };
    expect((await loadRawCounts(t.prisma, so, ONE_FIELD)).responses).toEqual([{ unitId: s1, responses: 1 }]);
    expect(await loadRollupCounts(t.prisma, so)).toEqual(await loadRawCounts(t.prisma, so, ONE_FIELD));
    expect(await verifyRollups(t.prisma, { ...scope, group: 'xa' })).toEqual([]);
  });

  it('build the same report, with minimum cell from the query', async () => {
    const at = new Date('2025-03-01T00:00:00Z');
    const fast = await loadIndexReport(t.prisma, { questionnaireId: qid, minCell: 1, generatedAt: at });
    const slow = await loadIndexReport(t.prisma, { questionnaireId: qid, minCell: 1, generatedAt: at, source: 'raw' });
    expect(fast).toEqual(slow);
    const x1 = fast.units.find((u) => u.code === 'X1')!;
    expect(x1.responses).toBe(3);
    // E1 = mean(E1.1 2/3, E1.2 2/2) = 83.33…, E2 = 2/2 = 100 → 91.66…
    expect(x1.index).toBeCloseTo((((200 / 3 + 100) / 2) + 100) / 2, 12);
    // Groups come in the order their rows were made (here: as the first unit of each was created).
    expect(fast.units.map((u) => [u.code, u.rank])).toEqual([['X1', 1], ['X2', 2], ['S1', 1]]);
    expect((await loadIndexReport(t.prisma, { questionnaireId: qid })).units.every((u) => u.suppressed)).toBe(true);
  });

  it('a tampered rollup is reported, and rebuildRollups restores the exact rows', async () => {
    const [x1, x2] = t.unitIds as [number, number, number];
    const before = await rollupRows(t.prisma, qid);
    await t.prisma.$executeRaw`UPDATE criterion_rollups SET c4 = c4 + 1 WHERE questionnaire_id = ${qid} AND unit_id = ${x1} AND criterion_code = 'E1.1' AND day = '2025-01-10'`;
    await t.prisma.$executeRaw`DELETE FROM option_rollups WHERE questionnaire_id = ${qid} AND unit_id = ${x2} AND question_code = '__responses'`;
    const diffs = await verifyRollups(t.prisma, { questionnaireId: qid });
    expect(diffs).toEqual([
      { kind: 'responses', unitId: x2, key: '', segment: 0, rollup: null, raw: { responses: 1 } },
      { kind: 'criterion', unitId: x1, key: 'E1.1', segment: 0, rollup: { c1: 0, c2: 1, c3: 0, c4: 2, c5: 1, na: 0 }, raw: { c1: 0, c2: 1, c3: 0, c4: 1, c5: 1, na: 0 } },
    ]);
    // Outside the tampered day the paths still agree.
    expect(await verifyRollups(t.prisma, { questionnaireId: qid, from: '2025-01-20' })).toEqual([]);
    await rebuildRollups(t.prisma, qid);
    expect(await verifyRollups(t.prisma, { questionnaireId: qid })).toEqual([]);
    expect(await rollupRows(t.prisma, qid)).toEqual(before);
    expect(await verifyRollups(t.prisma, { questionnaireId: other })).toEqual([]);
  });
});
