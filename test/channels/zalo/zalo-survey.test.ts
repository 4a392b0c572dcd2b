import { decodeCallbackData } from '../../../src/engine/index.js';
import { describe, expect, it } from 'vitest';
import { builtinDefinition, expectedAnswers, scriptPlan, scriptedAnswer, storedAnswers, SCRIPT_COMMENT } from '../../support/survey-script.js';
import { driveSurvey } from '../../support/telegram-survey-driver.js';
import { completedResponseIds, responseCompletedSince } from '../../support/completed-responses.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { csButtons, csText, driveZaloSurvey, type ZaloAnswerMode } from '../../support/zalo-survey-driver.js';
import { ZALO_TEST } from '../../support/zalo-webhook-events.js';

const def = builtinDefinition('sipas-2017');
// Telegram too: the same survey over both channels must store the same answers.
const h = useZaloProduct({ firstUserId: 8_123_456_789_012_345_678n, dossierPrefix: 'HS', env: { ZALO_BUTTONS: 'true' }, telegram: true });

async function completedAnswers(before: Set<string>) {
  const r = await responseCompletedSince(h.product.db.prisma, before);
  return { response: r, answers: storedAnswers(r.answers) };
}

describe('a citizen answers sipas-2017 in the Zalo OA chat', () => {
  it('completes the survey with typed numbers, typed option text and button payloads; PostgreSQL equals the same survey over Telegram', async () => {
    const tInv = await h.invite({ channel: 'telegram', procedureCode: '1.001234' });
    const beforeTelegram = await completedResponseIds(h.product.db.prisma);
    await driveSurvey(h.product.app!, h.telegram, 7_700_001, `/start ${tInv.token}`, scriptPlan(def));
    const telegram = await completedAnswers(beforeTelegram);
    const beforeZalo = await completedResponseIds(h.product.db.prisma);

    const zInv = await h.invite({ procedureCode: '1.001234' });
    expect(zInv.links.zalo).toBe(`https://zalo.me/${ZALO_TEST.oaId}`);
    const userId = h.nextUserId();
    const modes: ZaloAnswerMode[] = ['number', 'label', 'payload'];
    // The code as a citizen might type it: lower case, with a dash.
    const typedCode = `${zInv.code.slice(0, 4).toLowerCase()}-${zInv.code.slice(4)}`;
    const { transcript, finalText, used } = await driveZaloSurvey({ app: h.product.app!, fake: h.fake, userId, def, startText: typedCode, mode: (step) => modes[step % 3]! });
    expect(finalText).toMatch(/cảm ơn/i);
    expect(used.number).toBeGreaterThan(5);
    expect(used.label).toBeGreaterThan(5);
    expect(used.payload).toBeGreaterThan(5);
    const zalo = await completedAnswers(beforeZalo);

    // The same answers per question code, whichever channel carried them.
    expect(zalo.answers).toEqual(telegram.answers);
    expect(zalo.answers).toEqual(expectedAnswers(def));
    expect(Object.keys(zalo.answers)).toHaveLength(def.questions.length);
    // The national form has no "no opinion": every criterion is on the scale.
    expect(zalo.answers['2.3']).toMatchObject({ status: 'answered' });
    expect(zalo.answers.complaint?.value).toBe(true);
    expect(zalo.answers.comment?.value).toBe(SCRIPT_COMMENT);
    const multi = def.questions.find((q) => q.kind === 'multi')!;
    expect(scriptedAnswer(multi)).toEqual({ kind: 'options', numbers: ['1', '3'] });
    expect((zalo.answers[multi.code]?.value as string[]).length).toBe(2);
    expect(zalo.response.channel).toBe('zalo');

    const db = h.product.db.prisma;
    const invitation = await db.invitation.findUniqueOrThrow({ where: { id: zInv.id } });
    expect(invitation.status).toBe('completed');
    // The respondent exists (for opt-outs), but the completed response no longer points to it.
    await db.respondent.findUniqueOrThrow({ where: { channel_externalId: { channel: 'zalo', externalId: userId } } });
    expect(zalo.response.respondentId).toBeNull();
    const snv = await db.unit.findUniqueOrThrow({ where: { code: 'SNV' } });
    const rollups = await db.criterionRollup.findMany({ where: { unitId: snv.id } });
    expect(rollups).toHaveLength(22);
    expect(rollups.reduce((s, r) => s + r.c1 + r.c2 + r.c3 + r.c4 + r.c5 + r.cNa, 0)).toBe(44);

    // What the citizen saw: numbered text within 2,000 characters, hidden-query buttons carrying the option data.
    const questions = transcript.filter((c) => /^Câu \d+\/\d+$/m.test(csText(c)));
    expect(questions.length).toBeGreaterThanOrEqual(def.questions.length);
    for (const c of transcript) expect(csText(c).length).toBeLessThanOrEqual(2000);
    const likert = questions.find((c) => csText(c).includes('Câu 7/'))!;
    expect(csText(likert)).toContain('1. Rất không hài lòng\n2. Không hài lòng\n3. Bình thường\n4. Hài lòng\n5. Rất hài lòng');
    expect(csButtons(likert).map((b) => b.title)).toEqual(['1. Rất không hài lòng', '2. Không hài lòng', '3. Bình thường', '4. Hài lòng', '5. Rất hài lòng']);
    for (const c of questions) {
      for (const b of csButtons(c)) {
        expect(b.type).toBe('oa.query.hide');
        expect(decodeCallbackData(b.payload)).not.toBeNull();
      }
    }
    // A tapped answer is confirmed at the top of the next message (the hidden query shows nothing).
    expect(transcript.some((c) => /^Đã chọn: .+\.\n\nCâu \d+\//.test(csText(c)))).toBe(true);
    expect(h.fake.calls.every((c) => c.path !== '/v3.0/oa/message/cs' || c.headers['access_token'])).toBe(true);
  });
});
