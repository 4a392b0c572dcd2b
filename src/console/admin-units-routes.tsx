import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { parseUnitsUpload } from '../units/parse-units-upload.js';
import { saveUnitPatch, saveUnits } from '../units/save-units.js';
import { listUnitGroups } from '../units/unit-groups.js';
import { unitPatchSchema } from '../units/update-unit.js';
import { ADMINS, formField, queryField } from './admin-common.js';
import { fieldErrorsVi, uploadErrorVi } from './admin-units-errors-vi.js';
import { UnitEditPage, UnitsPage, type NewUnitForm, type Outcome, type UnitRowView } from './admin-units-page.js';
import { userActor, type ConsoleGate, type SignedIn } from './console-gate.js';
import { formatNumber } from './format-vi.js';
import { acceptMultipartForms, type MultipartFields } from './multipart-form.js';
import { sendHtml } from './send-html.js';

/** As `PUT /api/v1/units` (10,000 units fit). */
const UPLOAD_LIMIT = 5 * 1024 * 1024;
const UNIT_FIELDS = { code: true, name: true, group: true, parentCode: true, active: true } as const;

/**
 * `/admin/units` (admins): the units, one added by form, one edited (as `PATCH
 * /api/v1/units/:code`), or many uploaded as CSV (as `PUT /api/v1/units`), audited with
 * the admin as actor. `onUnitsChanged` refreshes this process's open-survey unit list at
 * once; other processes pick a change up within a minute.
 */
export function registerAdminUnitsRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate, onUnitsChanged?: () => Promise<void>): void {
  const unitsChanged = async () => {
    await onUnitsChanged?.().catch((err: unknown) => ctx.logger.warn({ err }, 'unit list not refreshed; it refreshes within a minute'));
  };
  const listPage = async (reply: FastifyReply, who: SignedIn, status: number, extra: { outcome?: Outcome; form?: NewUnitForm; csv?: string } = {}) => {
    const [units, groups] = await Promise.all([ctx.db.unit.findMany({ select: UNIT_FIELDS, orderBy: [{ group: 'asc' }, { code: 'asc' }] }), listUnitGroups(ctx.db)]);
    return sendHtml(reply, status, <UnitsPage frame={{ ...who.frame, path: '/admin/units' }} units={units} groups={groups} {...extra} />);
  };
  const editPage = async (reply: FastifyReply, who: SignedIn, status: number, unit: UnitRowView, outcome?: Outcome) =>
    sendHtml(reply, status, <UnitEditPage frame={{ ...who.frame, path: '/admin/units' }} unit={unit} groups={await listUnitGroups(ctx.db)} {...(outcome ? { outcome } : {})} />);
  const findUnit = async (code: string): Promise<UnitRowView> => {
    const unit = await ctx.db.unit.findUnique({ where: { code }, select: UNIT_FIELDS });
    if (!unit) throw AppError.notFound(`no unit ${code}`);
    return unit;
  };

  app.get('/admin/units', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const q = req.query;
    const [added, updated, created, total] = [queryField(q, 'added'), queryField(q, 'updated'), queryField(q, 'created'), queryField(q, 'total')];
    const notice = added
      ? `Đã thêm đơn vị ${added}.`
      : updated
        ? `Đã lưu đơn vị ${updated}.`
        : /^\d+$/.test(total) && /^\d+$/.test(created)
          ? `Đã tải lên ${formatNumber(Number(total))} đơn vị (${formatNumber(Number(created))} đơn vị mới, ${formatNumber(Number(total) - Number(created))} đơn vị cập nhật).`
          : undefined;
    return listPage(reply, who, 200, notice ? { outcome: { notice } } : {});
  });

  app.post('/admin/units', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const form: NewUnitForm = { code: formField(req.body, 'code').trim(), name: formField(req.body, 'name'), group: formField(req.body, 'group'), parentCode: formField(req.body, 'parentCode') };
    if (form.code && (await ctx.db.unit.count({ where: { code: form.code } }))) {
      return listPage(reply, who, 409, { outcome: { error: `Đã có đơn vị với mã ${form.code}; hãy sửa đơn vị đó thay vì thêm mới.` }, form });
    }
    try {
      await saveUnits(ctx.db, userActor(who.user), parseUnitsUpload([form], false));
      await unitsChanged();
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid_rows') throw err;
      const { details } = uploadErrorVi(err, 'đơn vị');
      return listPage(reply, who, 400, { outcome: { error: 'Chưa thêm được đơn vị.', details: details.map((d) => d.replace(/^Dòng \d+: /, '')) }, form });
    }
    return reply.redirect(`/admin/units?added=${encodeURIComponent(form.code!)}`, 303);
  });

  // The upload takes a file (multipart) or pasted text; only this route accepts multipart bodies.
  // Not under /admin/units/ so that no unit code ("upload") is shadowed by it.
  void app.register(async (scope) => {
    acceptMultipartForms(scope, UPLOAD_LIMIT);
    scope.post('/admin/unit-upload', async (req, reply) => {
      const who = await gate(req, reply, ADMINS);
      if (!who) return reply;
      const body = req.body as MultipartFields | undefined;
      const file = body?.file;
      const pasted = formField(body, 'csv');
      const csv = file && typeof file !== 'string' && file.text.trim() ? file.text : pasted;
      if (!csv.trim()) return listPage(reply, who, 400, { outcome: { error: 'Hãy chọn một tệp CSV hoặc dán nội dung CSV.' } });
      try {
        const result = await saveUnits(ctx.db, userActor(who.user), parseUnitsUpload(csv, true));
        await unitsChanged();
        return reply.redirect(`/admin/units?total=${result.total}&created=${result.created}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || (err.kind !== 'invalid' && err.kind !== 'unprocessable' && err.kind !== 'too_large')) throw err;
        return listPage(reply, who, 400, { outcome: uploadErrorVi(err, 'đơn vị'), csv: pasted });
      }
    });
  });

  app.get('/admin/units/:code', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    return editPage(reply, who, 200, await findUnit((req.params as { code: string }).code));
  });

  app.post('/admin/units/:code', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const unit = await findUnit((req.params as { code: string }).code);
    const active = formField(req.body, 'active');
    const patch = unitPatchSchema.safeParse({ name: formField(req.body, 'name'), group: formField(req.body, 'group'), active: active === '1' ? true : active === '0' ? false : active });
    if (!patch.success) {
      const typed = { ...unit, name: formField(req.body, 'name'), group: formField(req.body, 'group') };
      return editPage(reply, who, 400, typed, { error: 'Chưa lưu được đơn vị.', details: fieldErrorsVi(patch.error.issues.map((i) => i.path)) });
    }
    const { changed } = await saveUnitPatch(ctx.db, userActor(who.user), unit.code, patch.data);
    if (changed.length) await unitsChanged();
    return reply.redirect(`/admin/units?updated=${encodeURIComponent(unit.code)}`, 303);
  });
}
