import { randomUUID } from 'node:crypto';
import { decodeCallbackData, handleEvent, type EngineContext, type InboundEvent, type Session } from '../../src/engine/index.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import type { AnswersItem } from '../../src/queues/job-catalog.js';
import { withResponseSeed } from '../../src/conversations/with-response-seed.js';
import { citizenPlan } from './survey-plan.js';

/**
 * Runs one citizen's whole survey through the pure conversation engine (no Redis, no
 * HTTP) and returns the persisted effect items exactly as the webhook path would
 * hand them over: response_started, one answer_recorded per answer, response_completed.
 * Open survey with a unit (`/start u_<unit>`), so no invitation row is needed.
 */
export function citizenEffectBatches(def: QuestionnaireDefinition, chatIndex: number, chatId: number, unitCode: string, unitName: string, at: Date): { batches: AnswersItem[]; answers: number } {
  const ctx: EngineContext = {
    now: at,
    channel: 'telegram',
    newId: randomUUID,
    questionnaire: (ref) => (ref.code === def.code && ref.version === def.version ? def : undefined),
    units: [{ code: unitCode, name: unitName }],
  };
  const plan = citizenPlan(def, chatIndex);
  const events: InboundEvent[] = [
    { type: 'start', start: { kind: 'open', questionnaire: { code: def.code, version: def.version }, unitCode } },
    decodeCallbackData('s:consent:yes', '1')!,
    ...plan.steps.map((s, i): InboundEvent => (s.kind === 'text' ? { type: 'text', text: s.text } : decodeCallbackData(s.data, String(100 + i))!)),
  ];
  let session: Session | null = null;
  const batches: AnswersItem[] = [];
  let v = 0;
  for (const ev of events) {
    const result = handleEvent(session, ev, ctx);
    session = result.session;
    v++;
    // As flushOutbox: reminders stay in Redis, and every item carries its response's creation.
    const persisted = withResponseSeed(result.effects, result.session).filter((e) => e.type !== 'schedule_reminder' && e.type !== 'cancel_reminders');
    if (persisted.length) batches.push({ outboxId: `bench-${chatId}-${v}`, respondent: { channel: 'telegram', externalId: String(chatId) }, effects: persisted });
  }
  if (session?.phase !== 'completed') throw new Error(`the engine did not complete citizen ${chatId}: phase ${session?.phase ?? 'none'}`);
  return { batches, answers: plan.answers.length };
}
