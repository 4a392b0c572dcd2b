/** Public surface of the conversation engine (pure, channel-agnostic). */
export { handleEvent } from './handle-event.js';
export type { EngineResult } from './turn.js';
export type { EngineContext } from './engine-context.js';
export { sessionSchema, isActive, type Session, type SessionPhase, type RecordedAnswer } from './session-schema.js';
export {
  inboundEventSchema,
  startContextSchema,
  invitationInfoSchema,
  STEP_CONSENT,
  STEP_UNIT,
  STEP_PROCEDURE,
  type InboundEvent,
  type ChoiceEvent,
  type StartContext,
  type InvitationInfo,
} from './inbound-event.js';
export { effectSchema, finalAnswerSchema, type Effect, type EffectType, type FinalAnswer } from './effects.js';
export { outboundMessageSchema, type OutboundMessage, type TextMessage, type MessageOption, type Progress } from './outbound-message.js';
export { encodeCallbackData, decodeCallbackData } from './callback-data.js';
export { renderPlainText } from './render-plain-text.js';
export { channelSchema, type Channel, type QuestionnaireRef, type UnitRef, type AnswerValue, type AnswerStatus } from './common-schemas.js';
export { normalizeText, foldText } from './normalize-text.js';
export { visibilityOf, progressOf, firstPending } from './question-flow.js';
export { responseStartedEffect } from './response-started-effect.js';
export { surveyLength, type SurveyLength } from './survey-length.js';
export { VI, withSurveyMinutes } from './messages-vi.js';
