import { z } from 'zod';
import { questionnaireRefSchema } from './common-schemas.js';

/** Choice targets that are not questionnaire questions (their codes cannot clash: "@" is not allowed in question codes). */
export const STEP_CONSENT = '@consent';
export const STEP_UNIT = '@unit';
export const STEP_PROCEDURE = '@procedure';

export const invitationInfoSchema = z.object({
  id: z.string().min(1),
  token: z.string().min(1).max(64),
  unitCode: z.string().min(1),
  unitName: z.string().min(1),
  questionnaire: questionnaireRefSchema,
  procedureCode: z.string().min(1).optional(),
  /** Resolved by the caller: usable, already used (started elsewhere or completed), or expired. */
  status: z.enum(['usable', 'used', 'expired', 'cancelled']),
});
export type InvitationInfo = z.infer<typeof invitationInfoSchema>;

/** What a `/start <payload>` (or a Zalo survey code) resolved to; the caller does the lookup. */
export const startContextSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invitation'), invitation: invitationInfoSchema }),
  /** A token / code that matches no invitation. */
  z.object({ kind: z.literal('unknown_invitation'), token: z.string().max(200).optional() }),
  /** Bare /start or a unit QR payload `u_<unitCode>` (unit still checked against the unit list). */
  z.object({ kind: z.literal('open'), questionnaire: questionnaireRefSchema, unitCode: z.string().min(1).optional() }),
  /** An open survey of a unit this person has already answered for in this survey period: one counted response each. */
  z.object({ kind: z.literal('already_counted'), unitName: z.string().min(1) }),
]);
export type StartContext = z.infer<typeof startContextSchema>;

export const inboundEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), start: startContextSchema }),
  z.object({ type: z.literal('text'), text: z.string() }),
  /** A button press: the question (or step) it was rendered for and the option token (see callback-data.ts). */
  z.object({
    type: z.literal('choice'),
    questionCode: z.string().min(1).max(40),
    value: z.string().regex(/^[A-Za-z0-9_.-]{1,48}$/),
    /** Channel id of the message that carried the keyboard, echoed in keyboard hints. */
    messageId: z.string().min(1).optional(),
  }),
  /** Phone shared (Telegram contact, Zalo user_submit_info). Never stored in the session (anonymity). */
  z.object({ type: z.literal('contact'), phone: z.string() }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('help') }),
  z.object({ type: z.literal('back') }),
  /** A timer job fired (reminder or idle-expiry check) for the response it was scheduled for. */
  z.object({ type: z.literal('timer'), responseId: z.string().min(1) }),
]);
export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type ChoiceEvent = Extract<InboundEvent, { type: 'choice' }>;
