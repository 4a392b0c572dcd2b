import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinalAnswer } from '../../src/engine/index.js';
import { latestBuiltinQuestionnaire } from '../../src/questionnaire/builtin-questionnaires.js';
import { QuestionnaireCatalog } from '../../src/questionnaire/questionnaire-catalog.js';
import type { AnswersItem } from '../../src/queues/job-catalog.js';
import { persistBatch } from '../../src/responses/persist-batch.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';
import { createScoringDatabase, type ScoringDatabase } from '../support/scoring-database.js';

const def = latestBuiltinQuestionnaire('sipas-2017');
let t: ScoringDatabase;
let catalog: QuestionnaireCatalog;
const policy = { minSecondsPerAnswer: 2, maxPerCreatorDay: 2 };

beforeAll(async () => {
  t = await createScoringDatabase([{ code: 'SNV', name: 'Sở Nội vụ', group: 'so' }], [def]);
  catalog = new QuestionnaireCatalog(t.prisma);
});
afterAll(async () => t?.drop());

const answersOf = (score: (i: number) => number): FinalAnswer[] =>
  criterionBindings(def).map((b, i) => ({ questionCode: b.questionCode, status: 'answered', value: score(i), score: score(i), seq: i + 1 }));

/** One response started at `start` and completed `seconds` later, optionally for an invitation. */
function completion(opts: { seconds: number; score: (i: number) => number; invitationId?: string; countMark?: string }): { item: AnswersItem; id: string } {
  const id = randomUUID();
  const start = new Date('2026-11-20T03:00:00Z');
  const at = new Date(start.getTime() + opts.seconds * 1000).toISOString();
  const inv = opts.invitationId ? { invitationId: opts.invitationId } : {};
  return {
    id,
    item: {
      outboxId: `q-${id}`,
      respondent: { channel: 'telegram', externalId: String(900_000 + Math.floor(Math.random() * 1e5)) },
      effects: [
        { type: 'response_started', responseId: id, questionnaire: { code: def.code, version: def.version }, unitCode: 'SNV', channel: 'telegram', at: start.toISOString(), ...inv },
        { type: 'response_completed', responseId: id, unitCode: 'SNV', answers: answersOf(opts.score), at, ...inv },
      ],
      ...(opts.countMark ? { countMarks: [{ responseId: id, mark: opts.countMark, period: '2026' }] } : {}),
    },
  };
}

const stored = (id: string) => t.prisma.response.findUniqueOrThrow({ where: { id } });
const store = () => ({ db: t.prisma, sql: t.sql });

describe('data-quality flags of a completing response', () => {
  it('flags a completion faster than the minimum per answer, and identical answers on every criterion', async () => {
    const careful = completion({ seconds: 600, score: (i) => 3 + (i % 3) });
    const hasty = completion({ seconds: 10, score: (i) => 3 + (i % 3) });
    const straight = completion({ seconds: 600, score: () => 5 });
    await persistBatch(store(), catalog, [careful.item, hasty.item, straight.item], policy);
    expect(await stored(careful.id)).toMatchObject({ qualityFlags: [], counted: true });
    expect(await stored(hasty.id)).toMatchObject({ qualityFlags: ['too_fast'], counted: true });
    expect(await stored(straight.id)).toMatchObject({ qualityFlags: ['straight_lining'], counted: true });
  });

  it('a second open-survey response of the same person for the same unit and period is kept but not counted', async () => {
    const first = completion({ seconds: 600, score: (i) => 1 + (i % 5), countMark: 'mark-person-snv-2026' });
    const second = completion({ seconds: 600, score: (i) => 1 + (i % 5), countMark: 'mark-person-snv-2026' });
    await persistBatch(store(), catalog, [first.item], policy);
    await persistBatch(store(), catalog, [second.item], policy);
    expect(await stored(first.id)).toMatchObject({ counted: true, qualityFlags: [] });
    expect(await stored(second.id)).toMatchObject({ counted: false, qualityFlags: ['repeat_person'] });
    // Two completions with one mark in the same batch: only the first counts.
    const [twinA, twinB] = [completion({ seconds: 600, score: (i) => 1 + (i % 4), countMark: 'mark-twins' }), completion({ seconds: 600, score: (i) => 1 + (i % 4), countMark: 'mark-twins' })];
    await persistBatch(store(), catalog, [twinA.item, twinB.item], policy);
    expect([(await stored(twinA.id)).counted, (await stored(twinB.id)).counted].sort()).toEqual([false, true]);
    expect(await t.prisma.countedMark.count({ where: { mark: 'mark-twins' } })).toBe(1);
    // Replaying the first batch (a redelivered job) changes nothing.
    await persistBatch(store(), catalog, [first.item], policy);
    expect(await stored(first.id)).toMatchObject({ counted: true, qualityFlags: [] });
    expect(await t.prisma.countedMark.count({ where: { mark: 'mark-person-snv-2026' } })).toBe(1);
  });

  it('flags responses past the limit one invitation creator has for its own unit in one day', async () => {
    const unit = await t.prisma.unit.findFirstOrThrow();
    const questionnaire = await t.prisma.questionnaire.findFirstOrThrow();
    const key = await t.prisma.apiKey.create({ data: { name: 'officer', prefix: 'sk_test', hash: 'x', role: 'officer', unitCodes: ['SNV'] } });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const inv = await t.prisma.invitation.create({ data: { token: `tok-quality-${i}`.padEnd(24, 'x'), code: `QUAL000${i}`, channel: 'telegram', unitId: unit.id, questionnaireId: questionnaire.id, createdByKeyId: key.id, expiresAt: new Date('2027-01-01') } });
      const c = completion({ seconds: 600, score: (k) => 1 + ((k + i) % 5), invitationId: inv.id });
      await persistBatch(store(), catalog, [c.item], policy);
      ids.push(c.id);
    }
    const flags = await Promise.all(ids.map(async (id) => (await stored(id)).qualityFlags));
    expect(flags).toEqual([[], [], ['creator_volume'], ['creator_volume']]);
    expect(await t.prisma.creatorDayCount.findFirst()).toMatchObject({ completed: 4 });
  });
});
