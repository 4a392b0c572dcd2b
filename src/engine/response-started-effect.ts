import type { Effect } from './effects.js';
import type { Session } from './session-schema.js';

type ResponseStarted = Extract<Effect, { type: 'response_started' }>;

/** The `response_started` effect of a session, without its time (the caller stamps it). */
export function responseStartedEffect(s: Session): Omit<ResponseStarted, 'at'> {
  return {
    type: 'response_started',
    responseId: s.responseId,
    questionnaire: s.questionnaire,
    unitCode: s.unit?.code ?? null,
    ...(s.invitationId ? { invitationId: s.invitationId } : {}),
    ...(s.procedureCode ? { procedureCode: s.procedureCode } : {}),
    ...(s.procedureText ? { procedureText: s.procedureText } : {}),
    channel: s.channel,
  };
}
