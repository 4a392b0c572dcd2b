import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/spawn-script.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createUnits, insertResponses, storeQuestionnaire } from '../support/scoring-database.js';
import { chose, likert, ONE_FIELD } from '../support/scoring-fixtures.js';

async function verifyCli(url: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const { code, out } = await runScript('src/cli/scoring-verify.ts', args, { DATABASE_URL: url });
  return { code: code ?? -1, out };
}

let t: TestDatabase;
let qid: number;
let unit: number;

beforeAll(async () => {
  t = await createTestDatabase();
  [unit] = (await createUnits(t.prisma, [{ code: 'X1', name: 'UBND xã Một', group: 'xa' }])) as [number];
  qid = await storeQuestionnaire(t.prisma, ONE_FIELD);
  await insertResponses(t.prisma, { id: qid, definition: ONE_FIELD }, [
    { unitId: unit, day: '2025-06-01', status: 'completed', answers: [likert('qE1.1', 4), likert('qE2.1', 2), chose('gender', 'm')] },
    { unitId: unit, day: '2025-06-02', status: 'completed', answers: [likert('qE1.1', 5), chose('harass', true)] },
  ]);
});
afterAll(async () => t?.drop());

describe('npm run scoring:verify', () => {
  it('exits 0 when the rollups equal the raw answers, 1 with the differences when not, and --rebuild repairs', async () => {
    const ok = await verifyCli(t.url);
    expect(ok.out).toContain('fx-one@1: OK');
    expect(ok.code).toBe(0);

    await t.prisma.$executeRaw`UPDATE criterion_rollups SET c5 = c5 + 3 WHERE questionnaire_id = ${qid} AND criterion_code = 'E1.1' AND day = '2025-06-02'`;
    const bad = await verifyCli(t.url, '--questionnaire', 'fx-one');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('MISMATCH, 1 difference(s)');
    expect(bad.out).toContain('criterion unit X1 E1.1 (open survey): rollups c1=0 c2=0 c3=0 c4=1 c5=4 na=0 | raw answers c1=0 c2=0 c3=0 c4=1 c5=1 na=0');
    expect((await verifyCli(t.url, '--from', '2025-06-01', '--to', '2025-06-01')).code).toBe(0);

    const fixed = await verifyCli(t.url, '--rebuild');
    expect(fixed.out).toContain('rollups rebuilt');
    expect(fixed.code).toBe(0);
    expect((await verifyCli(t.url)).code).toBe(0);
  }, 60_000);

  it('exits 2 on bad arguments', async () => {
    // Day-first dates are accepted (01/06/2025); a two-digit year is not.
    const r = await verifyCli(t.url, '--from', '1/6/25');
    expect(r.code).toBe(2);
    expect(r.out).toContain('--from: "1/6/25" is not a date: write dd/mm/yyyy');
    expect((await verifyCli(t.url, '--questionnaire', 'nope')).code).toBe(2);
  }, 30_000);
});
