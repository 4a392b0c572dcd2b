import { describe, expect, it } from 'vitest';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { driveSurvey, waitForNewMessages } from '../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../support/telegram-updates.js';
import { adminHeaders } from '../support/start-product.js';
import { SNV, XTP } from '../support/units.js';
import { waitUntil } from '../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 5_560_001, units: [SNV, XTP], env: { REPORT_MIN_CELL: '1' } });
const chatId = 5_560_001;

const completed = (where: object) => waitUntil(async () => {
  const rows = await h.product.db.prisma.response.findMany({ where: { status: 'completed', ...where } });
  return rows.length ? rows : undefined;
}, 'responses completed');

describe('one counted response per person, unit and period', () => {
  it('the same Telegram account gets one counted open-survey response per unit; a second QR scan is told it is recorded', async () => {
    const first = await driveSurvey(h.product.app!, h.fake, chatId, '/start u_SNV');
    expect(first.finalText).toMatch(/cảm ơn/i);
    const snv = await h.product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'SNV' } });
    const [stored] = await completed({ unitId: snv.id });
    expect(stored).toMatchObject({ source: 'open', counted: true, invitationId: null, respondentId: null });

    // The same account scans the same unit's QR again: politely refused, nothing started.
    const seen = h.fake.acceptedSendsTo(chatId).length;
    expect((await postUpdate(h.product.app!, tgUpdate.text(chatId, '/start u_SNV'))).statusCode).toBe(200);
    const reply = (await waitForNewMessages(h.fake, chatId, seen)).at(-1)!;
    expect(String(reply.body.text)).toBe('Ý kiến của Ông/Bà về Sở Nội vụ trong đợt khảo sát này đã được ghi nhận. Mỗi người chỉ đánh giá một đơn vị một lần trong mỗi đợt. Xin cảm ơn Ông/Bà!');
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.product.db.prisma.response.count({ where: { unitId: snv.id } })).toBe(1);

    // Another unit's QR is another count; the mark stores no readable link to the person.
    await driveSurvey(h.product.app!, h.fake, chatId, '/start u_XTP');
    const xtp = await h.product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'XTP' } });
    await completed({ unitId: xtp.id });
    const marks = await h.product.db.prisma.countedMark.findMany();
    expect(marks).toHaveLength(2);
    for (const m of marks) expect(m.mark).not.toContain(String(chatId));

    // An invitation stays single-use and counts on its own: the report tells the sources apart.
    const inv = await h.invite({ dossierCode: 'HS-COUNT-1' });
    await driveSurvey(h.product.app!, h.fake, chatId, `/start ${inv.token}`);
    await waitUntil(async () => (await h.product.db.prisma.response.count({ where: { unitId: snv.id, status: 'completed' } })) === 2, 'invited response stored');
    const res = await h.product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=sipas-2017&rank=full`, headers: adminHeaders });
    expect(res.statusCode, res.body).toBe(200);
    type Cell = { code?: string; responses: number | null; bySource: { invited: number; open: number } | null };
    const report = res.json() as { units: Cell[]; overall: Cell };
    expect(report.units.find((u) => u.code === 'SNV')).toMatchObject({ responses: 2, bySource: { invited: 1, open: 1 } });
    expect(report.units.find((u) => u.code === 'XTP')).toMatchObject({ responses: 1, bySource: { invited: 0, open: 1 } });
    expect(report.overall).toMatchObject({ responses: 3, bySource: { invited: 1, open: 2 } });
    const open = await h.product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=sipas-2017&source=open`, headers: adminHeaders });
    const openReport = open.json() as { units: Cell[]; excluded: { otherSource: number } };
    expect(openReport.units.find((u) => u.code === 'SNV')).toMatchObject({ responses: 1 });
    expect(openReport.excluded).toMatchObject({ otherSource: 1 });
  });
});
