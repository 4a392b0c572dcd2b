import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { encodeCallbackData } from './callback-data.js';
import { STEP_CONSENT, STEP_PROCEDURE, STEP_UNIT } from './inbound-event.js';
import { VI } from './messages-vi.js';
import type { MessageOption, TextMessage } from './outbound-message.js';
import { findQuestion } from './question-flow.js';
import { surveyLength } from './survey-length.js';
import { renderQuestion } from './render-question.js';
import type { Session } from './session-schema.js';
import { unitChoiceValue } from './unit-search.js';

const withLead = (lead: string | undefined, text: string) => (lead ? `${lead}\n\n${text}` : text);

function consentPrompt(def: QuestionnaireDefinition, s: Session, lead?: string): TextMessage {
  const options: MessageOption[] = [
    { data: encodeCallbackData(STEP_CONSENT, 'yes'), label: VI.button.start, number: '1', role: 'answer' },
    { data: encodeCallbackData(STEP_CONSENT, 'no'), label: VI.button.decline, number: '2', role: 'answer' },
  ];
  const text = withLead(lead, VI.consent(def.intro.vi, s.unit?.name ?? null, surveyLength(def)));
  return { type: 'text', text, options, hint: VI.consentHint, questionCode: STEP_CONSENT };
}

function unitPrompt(s: Session, lead?: string): TextMessage {
  if (!s.unitCandidates.length) return { type: 'text', text: withLead(lead, VI.unitAsk), hint: VI.unitHint, questionCode: STEP_UNIT };
  const options = s.unitCandidates.map((u, i) => ({
    data: encodeCallbackData(STEP_UNIT, unitChoiceValue(u, i)),
    label: u.name,
    number: String(i + 1),
    role: 'answer' as const,
  }));
  return {
    type: 'text',
    text: withLead(lead, VI.unitChoose(s.unitCandidates.length, options.length)),
    options,
    hint: VI.unitChooseHint(options.length),
    questionCode: STEP_UNIT,
  };
}

function procedurePrompt(lead?: string): TextMessage {
  const options: MessageOption[] = [{ data: encodeCallbackData(STEP_PROCEDURE, 'skip'), label: VI.button.skip, role: 'control' }];
  return { type: 'text', text: withLead(lead, VI.procedureAsk), options, hint: VI.procedureHint, questionCode: STEP_PROCEDURE };
}

/** Re-renders whatever the session is waiting for (used on resume, help, reminders, stale presses). */
export function renderPrompt(
  def: QuestionnaireDefinition,
  s: Session,
  extra: { lead?: string; editMessageId?: string } = {},
): TextMessage | null {
  switch (s.phase) {
    case 'consent':
      return consentPrompt(def, s, extra.lead);
    case 'unit':
      return unitPrompt(s, extra.lead);
    case 'procedure':
      return procedurePrompt(extra.lead);
    case 'question': {
      const q = findQuestion(def, s.current);
      return q ? renderQuestion(def, s, q, extra) : null;
    }
    default:
      return null;
  }
}
