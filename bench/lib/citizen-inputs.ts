import { decodeCallbackData, type ChannelInput, type QuestionnaireDefinition } from '../../src/index.js';
import { citizenPlan } from '../../test/support/survey-plan.js';

const choice = (data: string, id: number): ChannelInput => ({ ...(decodeCallbackData(data, String(id)) as Extract<ChannelInput, { type: 'choice' }>), messageId: String(id) });

/**
 * One simulated citizen's whole survey as `ConversationService.handle` takes it from a
 * channel: `/start <payload>` (an invitation token, or `u_<unit>` for an open survey),
 * the consent button, then one answer per question as the survey plan gives them.
 */
export function citizenInputs(def: QuestionnaireDefinition, chatIndex: number, startPayload: string): ChannelInput[] {
  const plan = citizenPlan(def, chatIndex);
  return [{ type: 'start', payload: startPayload }, choice('s:consent:yes', 1), ...plan.steps.map((s, k): ChannelInput => (s.kind === 'text' ? { type: 'text', text: s.text } : choice(s.data, 100 + k)))];
}
