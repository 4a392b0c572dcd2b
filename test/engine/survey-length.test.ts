import { describe, expect, it } from 'vitest';
import { surveyLength } from '../../src/engine/index.js';
import { invitationSurveyLength } from '../../src/invitations/invitation-survey-length.js';
import { invitationText } from '../../src/invitations/invitation-text.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { Chat, invitation, openStart } from './driver.js';
import { MINI } from './fixtures/definitions.js';

const builtins = loadBuiltinQuestionnaires();
/** "N câu hỏi" or "A–B câu hỏi", and "khoảng M phút", as a text says them. */
const questionsIn = (text: string) => [...text.matchAll(/(\d+(?:–\d+)?) câu hỏi/gu)].map((m) => m[1]);
const minutesIn = (text: string) => [...text.matchAll(/khoảng (\d+(?:\s*[–-]\s*\d+)?) phút/gu)].map((m) => m[1]);

describe('the survey length told to the citizen', () => {
  it('counts the questions a citizen can be shown, with the filters: the fewest and the most', () => {
    // MINI: 8 questions, two of them only after the filter is answered "yes".
    expect(surveyLength(MINI)).toMatchObject({ minQuestions: 6, maxQuestions: 8 });
    const v1 = builtins.find((d) => d.code === 'sipas-2017' && d.version === 1)!;
    const v2 = builtins.find((d) => d.code === 'sipas-2017' && d.version === 2)!;
    // v1 asks element 5 (4 criteria) only of those who complained; v2 asks everyone.
    expect(surveyLength(v1)).toMatchObject({ minQuestions: 32, maxQuestions: 36 });
    expect(surveyLength(v2)).toMatchObject({ minQuestions: 36, maxQuestions: 36 });
    expect(surveyLength(v1).minutes).toBeGreaterThanOrEqual(2);
  });

  for (const def of builtins) {
    it(`${def.code}@${def.version}: the invitation, the intro and the consent step say the same`, () => {
      const length = surveyLength(def);
      const expectedQuestions = length.minQuestions === length.maxQuestions ? `${length.maxQuestions}` : `${length.minQuestions}–${length.maxQuestions}`;
      const invited = invitationText({ unitName: 'UBND xã Tân Phong', code: 'ABCD2345', expiresAt: new Date('2026-12-31T00:00:00Z'), length: invitationSurveyLength({ id: -def.version, code: def.code, version: def.version, definition: def }) });
      const chat = new Chat({ definitions: [def] });
      chat.send(invitation({}, def));
      const consent = chat.prompt().text;
      const open = new Chat({ definitions: [def] });
      open.send(openStart(undefined, def));

      for (const text of [invited, consent, open.prompt().text]) {
        expect(questionsIn(text)).toEqual([expectedQuestions]);
        expect(new Set(minutesIn(text))).toEqual(new Set([String(length.minutes)]));
      }
      // The intro (the questionnaire's own words, first in the consent step) names no other duration.
      expect(consent.startsWith(def.intro.vi.slice(0, 20))).toBe(true);
    });
  }
});
