import { type Effect } from '../../src/engine/index.js';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenEffectBatches } from '../support/engine-citizen.js';
import type { Db } from '../../src/db/prisma-client.js';
import { latestBuiltinQuestionnaire } from '../../src/questionnaire/builtin-questionnaires.js';
import { QuestionnaireCatalog } from '../../src/questionnaire/questionnaire-catalog.js';
import type { AnswersItem } from '../../src/queues/job-catalog.js';
import { persistBatch } from '../../src/responses/persist-batch.js';
import { applyItemInOrder, ResponseNotFoundYet } from '../../src/responses/persist-effects.js';
import { createScoringDatabase } from '../support/scoring-database.js';
import type { TestDatabase } from '../support/test-database.js';

const sipas2017 = latestBuiltinQuestionnaire('sipas-2017');
const UNITS = [
  { code: 'SNV', name: 'Sở Nội vụ', group: 'so' },
  { code: 'XTP', name: 'UBND xã Tân Phong', group: 'xa' },
];

type Env = { t: TestDatabase; catalog: QuestionnaireCatalog };
const envs: Env[] = [];
const store = (e: Env) => ({ db: e.t.prisma, sql: e.t.sql });

async function newEnv(): Promise<Env> {
  const t = await createScoringDatabase(UNITS, [sipas2017]);
  const env = { t, catalog: new QuestionnaireCatalog(t.prisma) };
  envs.push(env);
  return env;
}

async function clear(db: Db): Promise<void> {
  await db.$executeRawUnsafe('TRUNCATE answers, responses, respondents, criterion_rollups, option_rollups CASCADE');
}

/** Everything the answers worker writes, in a comparable form (no generated ids). */
async function snapshot(db: Db) {
  const responses = await db.$queryRawUnsafe(
    `SELECT r.id::text, r.status::text, u.code AS unit, r.completed_day::text, p.external_id FROM responses r
     LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN respondents p ON p.id = r.respondent_id ORDER BY r.id`,
  );
  const answers = await db.$queryRawUnsafe(`SELECT response_id::text, question_code, status::text, score, value, seq FROM answers ORDER BY 1, 2`);
  const criteria = await db.$queryRawUnsafe(
    `SELECT u.code, criterion_code, day::text, c1, c2, c3, c4, c5, c_na FROM criterion_rollups t JOIN units u ON u.id = t.unit_id ORDER BY 1, 2, 3`,
  );
  const options = await db.$queryRawUnsafe(`SELECT u.code, question_code, option, day::text, count FROM option_rollups t JOIN units u ON u.id = t.unit_id ORDER BY 1, 2, 3, 4`);
  return { responses, answers, criteria, options };
}

/** The items of `n` citizens' whole surveys, from the real engine, one list per citizen. */
function citizens(n: number, offset: number): AnswersItem[][] {
  const at = new Date('2026-11-20T03:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const u = UNITS[i % UNITS.length]!;
    return citizenEffectBatches(sipas2017, offset + i, 700_000_000 + offset + i, u.code, u.name, at).batches;
  });
}

let a: Env;
let b: Env;

beforeAll(async () => {
  [a, b] = await Promise.all([newEnv(), newEnv()]);
});
afterAll(async () => {
  await Promise.all(envs.map((e) => e.t.drop()));
});

describe('persistBatch (group commit of the answers worker)', () => {
  /**
   * Runs the batches as the answers queue would: a batch whose answers arrive before their
   * response's start (in a batch still waiting) fails with ResponseNotFoundYet and is
   * retried later, as its job would be. Fails when no waiting batch can make progress.
   */
  async function persistLikeTheQueue(batches: AnswersItem[][]): Promise<void> {
    const waiting = [...batches];
    let failedInARow = 0;
    while (waiting.length) {
      const batch = waiting.shift()!;
      try {
        await persistBatch(store(b), b.catalog, batch);
        failedInARow = 0;
      } catch (err) {
        const notYet = err instanceof ResponseNotFoundYet || (err instanceof AggregateError && err.errors.every((e) => e instanceof ResponseNotFoundYet));
        if (!notYet || ++failedInARow > waiting.length + 1) throw err;
        waiting.push(batch);
      }
    }
  }

  it('stores exactly what applying every item on its own stores, whatever the batching, order across batches and replays', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), async (batchSize, seed, replay) => {
        round++;
        const perCitizen = citizens(4, round * 10);
        await Promise.all([clear(a.t.prisma), clear(b.t.prisma)]);
        // Reference: each citizen's items in order, one Prisma transaction each, effect by
        // effect (the in-order path), against the batch path's set-based SQL.
        for (const items of perCitizen) for (const item of items) await a.t.prisma.$transaction((tx) => applyItemInOrder(tx, a.catalog, item));

        // Interleave citizens (as concurrent conversations reach the queue), cut into
        // batches, run the batches in a shuffled order (parallel jobs), maybe twice.
        const interleaved: AnswersItem[] = [];
        const longest = Math.max(...perCitizen.map((c) => c.length));
        for (let s = 0; s < longest; s++) for (const c of perCitizen) if (c[s]) interleaved.push(c[s]!);
        const batches: AnswersItem[][] = [];
        for (let i = 0; i < interleaved.length; i += batchSize) batches.push(interleaved.slice(i, i + batchSize));
        const order = shuffled(batches, seed);
        await persistLikeTheQueue(replay ? [...order, ...shuffled(batches, seed + 1)] : order);

        const [expected, actual] = await Promise.all([snapshot(a.t.prisma), snapshot(b.t.prisma)]);
        expect((expected.responses as unknown[]).length).toBe(4);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 6 },
    );
  });

  it('counts a completed response in the rollups once, even when its job is processed twice', async () => {
    await clear(b.t.prisma);
    const items = citizens(3, 500).flat();
    await persistBatch(store(b), b.catalog, items);
    await persistBatch(store(b), b.catalog, items);
    const [row] = await b.t.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT sum(count)::int AS n FROM option_rollups WHERE question_code = '__responses'`);
    expect(row!.n).toBe(3);
  });

  it("keeps the others' answers when one item cannot be stored, and fails the job so that item is retried", async () => {
    await clear(b.t.prisma);
    const good = citizens(2, 600).flat();
    const poison: AnswersItem = {
      outboxId: 'poison-1',
      respondent: { channel: 'telegram', externalId: '42' },
      effects: [{ type: 'response_started', responseId: randomUUID(), questionnaire: { code: 'sipas-2017', version: 99 }, unitCode: 'SNV', channel: 'telegram', at: new Date().toISOString() }],
    };
    await expect(persistBatch(store(b), b.catalog, [...good.slice(0, 5), poison, ...good.slice(5)])).rejects.toThrow(/sipas-2017@99/);
    const [row] = await b.t.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM responses WHERE status = 'completed'`);
    expect(row!.n).toBe(2);
  });

  it('retries an answer whose response was never handed over, without losing the rest', async () => {
    await clear(b.t.prisma);
    const orphan: AnswersItem = {
      outboxId: 'orphan-1',
      respondent: { channel: 'telegram', externalId: '43' },
      effects: [{ type: 'answer_recorded', responseId: randomUUID(), questionCode: 'q1', status: 'answered', value: 5, score: 5, seq: 3, at: new Date().toISOString() }],
    };
    const good = citizens(1, 700).flat();
    const err = await persistBatch(store(b), b.catalog, [orphan, ...good]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseNotFoundYet);
    const [row] = await b.t.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM responses WHERE status = 'completed'`);
    expect(row!.n).toBe(1);
  });

  it('applies a stop and a resume in order next to other conversations, and a newer answer wins over a replayed older one', async () => {
    await clear(b.t.prisma);
    const responseId = randomUUID();
    const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 3, 0, s)).toISOString();
    const started: Effect = { type: 'response_started', responseId, questionnaire: { code: 'sipas-2017', version: sipas2017.version }, unitCode: 'XTP', channel: 'telegram', at: at(0) };
    const respondent = { channel: 'telegram' as const, externalId: '44' };
    const answer = (seq: number, score: number): Effect => ({ type: 'answer_recorded', responseId, questionCode: 'q1', status: 'answered', value: score, score, seq, at: at(seq) });
    const stop: AnswersItem = { outboxId: 's-3', respondent, effects: [started, { type: 'opted_out', channel: 'telegram', reason: 'stop', responseId, responseStarted: true, at: at(3) }] };
    const resume: AnswersItem = { outboxId: 's-4', respondent, effects: [started, { type: 'response_resumed', responseId, responseStarted: true, at: at(4) }] };
    const others = citizens(2, 800).flat();
    await persistBatch(store(b), b.catalog, [
      { outboxId: 's-1', respondent, effects: [started, answer(1, 2)] },
      ...others.slice(0, 10),
      { outboxId: 's-2', respondent, effects: [started, answer(2, 4)] },
      stop,
      ...others.slice(10),
      { outboxId: 's-1', respondent, effects: [started, answer(1, 2)] },
    ]);
    const r = await b.t.prisma.response.findUniqueOrThrow({ where: { id: responseId }, include: { answers: true, respondent: true } });
    expect(r.status).toBe('opted_out');
    expect(r.respondent?.optedOutAt).not.toBeNull();
    expect(r.answers.map((x) => [x.questionCode, x.score, x.seq])).toEqual([['q1', 4, 2]]);

    await persistBatch(store(b), b.catalog, [resume, ...citizens(1, 900).flat()]);
    const after = await b.t.prisma.response.findUniqueOrThrow({ where: { id: responseId }, include: { respondent: true } });
    expect(after.status).toBe('in_progress');
    expect(after.respondent?.optedOutAt).toBeNull();
  });
});

/** Deterministic Fisher–Yates, so a failing fast-check seed replays exactly. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
