import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { parseUnitGroupsUpload } from '../units/parse-unit-groups-upload.js';
import { saveUnitGroups } from '../units/save-unit-groups.js';
import { listUnitGroups } from '../units/unit-groups.js';
import { ADMINS, formField, queryField } from './admin-common.js';
import { uploadErrorVi } from './admin-units-errors-vi.js';
import { UnitGroupEditPage, UnitGroupsPage, type UnitGroupForm } from './admin-unit-groups-page.js';
import type { Outcome } from './admin-units-page.js';
import { userActor, type ConsoleGate, type SignedIn } from './console-gate.js';
import { sendHtml } from './send-html.js';

const formOf = (body: unknown, code: string): UnitGroupForm => ({ code, label: formField(body, 'label'), order: formField(body, 'order').trim(), rankSeparately: formField(body, 'rankSeparately') === '1' });

/** A posted group as `PUT /api/v1/unit-groups` takes it (a non-number order stays text, so the schema refuses it). */
const asInput = (f: UnitGroupForm) => ({ code: f.code, label: f.label, order: /^\d+$/.test(f.order) ? Number(f.order) : f.order, rankSeparately: f.rankSeparately });

/** `/admin/unit-groups` (admins): list, add and edit unit groups as `PUT /api/v1/unit-groups` does, audited with the admin as actor. */
export function registerAdminUnitGroupsRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  const listPage = async (reply: FastifyReply, who: SignedIn, status: number, extra: { outcome?: Outcome; form?: UnitGroupForm } = {}) => {
    const [groups, counts] = await Promise.all([listUnitGroups(ctx.db), ctx.db.unit.groupBy({ by: ['group'], _count: { _all: true } })]);
    const unitCounts = new Map(counts.map((c) => [c.group, c._count._all]));
    return sendHtml(reply, status, <UnitGroupsPage frame={{ ...who.frame, path: '/admin/unit-groups' }} groups={groups} unitCounts={unitCounts} {...extra} />);
  };
  const editPage = (reply: FastifyReply, who: SignedIn, status: number, form: UnitGroupForm, outcome?: Outcome) =>
    sendHtml(reply, status, <UnitGroupEditPage frame={{ ...who.frame, path: '/admin/unit-groups' }} form={form} {...(outcome ? { outcome } : {})} />);
  /** Saves one group; returns the refusal when the form does not validate. */
  const save = async (who: SignedIn, form: UnitGroupForm): Promise<Outcome | null> => {
    try {
      await saveUnitGroups(ctx.db, userActor(who.user), parseUnitGroupsUpload([asInput(form)]));
      return null;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid_rows') throw err;
      return { error: 'Chưa lưu được nhóm đơn vị.', details: uploadErrorVi(err, 'nhóm').details.map((d) => d.replace(/^Dòng \d+: /, '')) };
    }
  };

  app.get('/admin/unit-groups', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const saved = queryField(req.query, 'saved');
    return listPage(reply, who, 200, saved ? { outcome: { notice: `Đã lưu nhóm đơn vị ${saved}.` } } : {});
  });

  app.post('/admin/unit-groups', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const form = formOf(req.body, formField(req.body, 'code').trim());
    if (form.code && (await ctx.db.unitGroup.count({ where: { code: form.code } }))) return listPage(reply, who, 409, { outcome: { error: `Đã có nhóm với mã ${form.code}; hãy sửa nhóm đó.` }, form });
    const refused = await save(who, form);
    if (refused) return listPage(reply, who, 400, { outcome: refused, form });
    return reply.redirect(`/admin/unit-groups?saved=${encodeURIComponent(form.code)}`, 303);
  });

  app.get('/admin/unit-groups/:code', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const group = await ctx.db.unitGroup.findUnique({ where: { code: (req.params as { code: string }).code } });
    if (!group) throw AppError.notFound();
    return editPage(reply, who, 200, { code: group.code, label: group.label, order: String(group.order), rankSeparately: group.rankSeparately });
  });

  app.post('/admin/unit-groups/:code', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const group = await ctx.db.unitGroup.findUnique({ where: { code: (req.params as { code: string }).code } });
    if (!group) throw AppError.notFound();
    const form = formOf(req.body, group.code);
    const refused = await save(who, form);
    if (refused) return editPage(reply, who, 400, form, refused);
    return reply.redirect(`/admin/unit-groups?saved=${encodeURIComponent(group.code)}`, 303);
  });
}
