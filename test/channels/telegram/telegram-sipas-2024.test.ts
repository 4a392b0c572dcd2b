import { describe, expect, it } from 'vitest';
import { adminHeaders } from '../../support/start-product.js';
import { useTelegramProduct } from '../../support/telegram-harness.js';
import { driveSurvey } from '../../support/telegram-survey-driver.js';
import { SNV } from '../../support/units.js';
import { completedResponseIds, responseCompletedSince } from '../../support/completed-responses.js';

// The 2023–2026 national instrument end to end over the Telegram webhook, and a response
// given under its version 1 still scored under version 1's own tree and rules.
// One response per version: the minimum cell is 1 so the unit's figures are published.
const h = useTelegramProduct({ firstChatId: 5_560_001, units: [SNV], env: { REPORT_MIN_CELL: '1' } });

type Node = { code: string; kind: string; index: number | null; children?: Node[] };
const criteriaOf = (nodes: Node[]): Node[] => nodes.flatMap((n) => (n.kind === 'criterion' ? [n] : criteriaOf(n.children ?? [])));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

async function surveyed(questionnaire: string, chatId: number, dossierCode: string) {
  const inv = await h.invite({ dossierCode, questionnaire });
  const before = await completedResponseIds(h.product.db.prisma);
  const { finalText } = await driveSurvey(h.product.app!, h.fake, chatId, `/start ${inv.token}`);
  expect(finalText).toMatch(/cảm ơn/i);
  return responseCompletedSince(h.product.db.prisma, before);
}

const report = async (questionnaire: string) => {
  const res = await h.product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=${questionnaire}&total=pooled`, headers: adminHeaders });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { questionnaire: { version: number }; method: { mode: string; aggregation: { overall: { rule: string } } }; units: { code: string; index: number; responses: number; nodes: Node[] }[] };
};

describe('sipas-2024 in Telegram', () => {
  it('version 2: all 39 criteria asked and answered on the scale; the unit index is the mean of the 39 criteria', async () => {
    const response = await surveyed('sipas-2024', 5560001, 'HS-2024-1');
    const criteria = response.answers.filter((a) => /^(CS|DV)\d\.\d+$/.test(a.questionCode));
    expect(criteria).toHaveLength(39);
    expect(criteria.every((a) => a.status === 'answered')).toBe(true);
    // Perception grids come one row at a time: every policy group's interest is its own answer.
    expect(response.answers.filter((a) => a.questionCode.startsWith('interest_'))).toHaveLength(9);

    const r = await report('sipas-2024');
    expect(r.questionnaire.version).toBe(2);
    expect(r.method).toMatchObject({ mode: 'moha-comparable', aggregation: { overall: { rule: 'mean_of_criteria' } } });
    const unit = r.units.find((u) => u.code === 'SNV')!;
    expect(unit.responses).toBe(1);
    const leaves = criteriaOf(unit.nodes);
    expect(leaves).toHaveLength(39);
    expect(unit.index).toBeCloseTo(mean(leaves.map((c) => c.index!)), 10);
  });

  it('version 1: a response given under it still scores under its own tree (CS1.3 kept, overall the mean of its two fields)', async () => {
    await h.product.ctx.catalog.setActive('sipas-2024', 1, true);
    try {
      const response = await surveyed('sipas-2024@1', 5560002, 'HS-2024-2');
      expect(response.answers.map((a) => a.questionCode)).toContain('CS1.3');
    } finally {
      await h.product.ctx.catalog.setActive('sipas-2024', 1, false);
    }
    const r = await report('sipas-2024@1');
    expect(r.questionnaire.version).toBe(1);
    expect(r.method.aggregation.overall.rule).toBe('mean_of_children');
    const unit = r.units.find((u) => u.code === 'SNV')!;
    expect(criteriaOf(unit.nodes).map((c) => c.code)).toContain('CS1.3');
    expect(unit.index).toBeCloseTo(mean(unit.nodes.map((f) => f.index!)), 10);
    // Version 2's report does not mix version 1's response in.
    expect((await report('sipas-2024@2')).units.find((u) => u.code === 'SNV')!.responses).toBe(1);
  });
});
