import { z } from 'zod';
import {
  answerInputSchema,
  channelSchema,
  isoDateSchema,
  questionnaireRefSchema,
  unitRefSchema,
} from './common-schemas.js';

/** One recorded answer; `seq` is the session version that produced it. */
export const recordedAnswerSchema = answerInputSchema.extend({
  seq: z.number().int().positive(),
  at: isoDateSchema,
});
export type RecordedAnswer = z.infer<typeof recordedAnswerSchema>;

/**
 * consent → (unit → procedure, open surveys only) → question → completed.
 * declined / opted_out / expired / completed are terminal: nothing is recorded any more.
 */
export const sessionPhaseSchema = z.enum([
  'consent',
  'unit',
  'procedure',
  'question',
  'completed',
  'declined',
  'opted_out',
  'expired',
]);
export type SessionPhase = z.infer<typeof sessionPhaseSchema>;

export const ACTIVE_PHASES: readonly SessionPhase[] = ['consent', 'unit', 'procedure', 'question'];

/**
 * A citizen's conversation state, stored as JSON (Redis) by the channel layer.
 * `version` increases by one on every change; callers write it back with a
 * compare-and-set on the version they read.
 */
export const sessionSchema = z
  .object({
    schema: z.literal(1),
    version: z.number().int().nonnegative(),
    /** Created with the session; the response row exists once `responseStarted`. */
    responseId: z.uuid(),
    responseStarted: z.boolean(),
    channel: channelSchema,
    questionnaire: questionnaireRefSchema,
    invitationId: z.string().min(1).nullable(),
    unit: unitRefSchema.nullable(),
    /** From the invitation (the one-stop system's code). */
    procedureCode: z.string().nullable(),
    /** Typed by the citizen in an open survey ("what procedure did you do?"). */
    procedureText: z.string().nullable(),
    phase: sessionPhaseSchema,
    /** Question being asked (phase "question"); may be an answered one after "back". */
    current: z.string().nullable(),
    answers: z.record(z.string(), recordedAnswerSchema),
    /** Invalid replies to the current prompt so far (the re-ask cap counts these). */
    attempts: z.number().int().nonnegative(),
    /** Options toggled with buttons on the current multi-choice question, not yet confirmed. */
    multiDraft: z.array(z.string()),
    /** Units offered after an ambiguous search (phase "unit"). */
    unitCandidates: z.array(unitRefSchema).max(20),
    remindersSent: z.number().int().nonnegative(),
    createdAt: isoDateSchema,
    lastActivityAt: isoDateSchema,
    endedAt: isoDateSchema.nullable(),
  })
  .strict();
export type Session = z.infer<typeof sessionSchema>;

export const isActive = (s: Session): boolean => ACTIVE_PHASES.includes(s.phase);
