import { z } from 'zod';
import { answerInputSchema, channelSchema, isoDateSchema, questionnaireRefSchema } from './common-schemas.js';

/**
 * Side effects the engine asks for, in order. The caller enqueues them (answers worker,
 * reminders queue) after the session write succeeded; job payloads are validated with
 * `effectSchema`. Workers must be idempotent: responseId is stable, answers carry `seq`
 * (apply an answer or a removal only if its seq is newer than the stored one).
 */
const at = isoDateSchema;
const responseId = z.uuid();

export const finalAnswerSchema = answerInputSchema.extend({ questionCode: z.string().min(1), seq: z.number().int().positive() });
export type FinalAnswer = z.infer<typeof finalAnswerSchema>;

export const effectSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('response_started'),
    responseId,
    questionnaire: questionnaireRefSchema,
    unitCode: z.string().nullable(),
    invitationId: z.string().optional(),
    procedureCode: z.string().optional(),
    procedureText: z.string().optional(),
    channel: channelSchema,
    at,
  }),
  z.object({
    type: z.literal('answer_recorded'),
    responseId,
    questionCode: z.string().min(1),
    ...answerInputSchema.shape,
    seq: z.number().int().positive(),
    at,
  }),
  /** A filter answer changed and this question no longer applies: delete its answer if stored seq < this seq. */
  z.object({ type: z.literal('answer_removed'), responseId, questionCode: z.string().min(1), seq: z.number().int().positive(), at }),
  z.object({
    type: z.literal('response_completed'),
    responseId,
    invitationId: z.string().optional(),
    /** The unit the answers are about (null: none was chosen); with the person, what "one counted response" is counted by. */
    unitCode: z.string().nullable().optional(),
    answers: z.array(finalAnswerSchema),
    at,
  }),
  /** Idle past the limit, or replaced by a new invitation: mark the response abandoned. */
  z.object({ type: z.literal('response_abandoned'), responseId, invitationId: z.string().optional(), reason: z.enum(['idle', 'replaced']), at }),
  /** /stop or declined consent: no further reminders or invitations to this respondent for this survey. */
  z.object({
    type: z.literal('opted_out'),
    channel: channelSchema,
    reason: z.enum(['stop', 'declined']),
    responseId: responseId.optional(),
    responseStarted: z.boolean(),
    invitationId: z.string().optional(),
    at,
  }),
  /** The citizen came back after /stop or declining: the response (if started) and invitation are in progress again. */
  z.object({ type: z.literal('response_resumed'), responseId, responseStarted: z.boolean(), invitationId: z.string().optional(), at }),
  z.object({ type: z.literal('invitation_opened'), invitationId: z.string().min(1), at }),
  z.object({ type: z.literal('invitation_started'), invitationId: z.string().min(1), responseId, at }),
  /** Deliver a `timer` event for responseId at runAt. jobId is unique per schedule and BullMQ-safe (no ":"). */
  z.object({ type: z.literal('schedule_reminder'), responseId, jobId: z.string().min(1).max(100), runAt: isoDateSchema, at }),
  z.object({ type: z.literal('cancel_reminders'), responseId, at }),
]);
export type Effect = z.infer<typeof effectSchema>;
export type EffectType = Effect['type'];
