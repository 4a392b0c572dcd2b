import { randomUUID } from 'node:crypto';
import type { FinalAnswer } from '../../src/engine/index.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { persistAnswersJob } from '../../src/queues/job-catalog.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';
import type { Product } from './start-product.js';

export type SeededResponse = {
  unitCode: string;
  /** Completion moment (ISO); its day in Vietnam is the response's day. */
  at: string;
  /** Score of each criterion (1–5, or "na"). */
  score: (criterion: string) => number | 'na';
  /** Other answers by question code (profile, perception, comment…). */
  extra?: Record<string, unknown>;
  /** The respondent's platform id (a Telegram chat id). */
  externalId: string;
};

/**
 * Completed responses through the real answers worker, as the conversation service would
 * hand them over (started and completed in one item); returns their ids.
 */
export async function seedCompletedResponses(product: Product, def: QuestionnaireDefinition, responses: SeededResponse[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of responses) {
    const responseId = randomUUID();
    ids.push(responseId);
    const answers: FinalAnswer[] = criterionBindings(def).map((b, k) => {
      const s = r.score(b.criterionCode);
      return s === 'na' ? { questionCode: b.questionCode, status: 'not_applicable', value: null, seq: k + 1 } : { questionCode: b.questionCode, status: 'answered', value: s, score: s, seq: k + 1 };
    });
    let seq = 100;
    for (const [questionCode, value] of Object.entries(r.extra ?? {})) answers.push({ questionCode, status: 'answered', value, seq: seq++ } as FinalAnswer);
    await product.ctx.queues.add(persistAnswersJob, {
      batchId: `seed-${responseId}`,
      items: [
        {
          outboxId: `seed-${responseId}`,
          respondent: { channel: 'telegram', externalId: r.externalId },
          effects: [
            { type: 'response_started', responseId, questionnaire: { code: def.code, version: def.version }, unitCode: r.unitCode, channel: 'telegram', at: r.at },
            { type: 'response_completed', responseId, unitCode: r.unitCode, answers, at: r.at },
          ],
        },
      ],
    });
  }
  return ids;
}
