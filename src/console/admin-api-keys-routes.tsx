import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiKeyError, createApiKey, listApiKeys, revokeApiKey } from '../auth/manage-api-keys.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { userRoleSchema } from '../users/user-schema.js';
import { ADMINS, formField, queryField } from './admin-common.js';
import { ApiKeyCreatedPage, ApiKeysPage, type NewKeyForm } from './admin-api-keys-page.js';
import type { Outcome } from './admin-units-page.js';
import { userActor, type ConsoleGate, type SignedIn } from './console-gate.js';
import { sendHtml } from './send-html.js';

const keyName = z.string().trim().min(1).max(100);

function apiKeyErrorVi(err: ApiKeyError): string {
  switch (err.code) {
    case 'officer_needs_unit':
      return 'Khóa của cán bộ cần ít nhất một mã đơn vị.';
    case 'units_only_for_officers':
      return 'Chỉ khóa của cán bộ mới gắn với đơn vị; để trống mã đơn vị cho vai trò này.';
    case 'unknown_unit':
      return `Không có đơn vị với mã ${err.units.join(', ')}.`;
    default:
      return 'Dữ liệu chưa hợp lệ.';
  }
}

/**
 * `/admin/api-keys` (admins): list, create and revoke API keys through the same module as
 * `npm run apikey` (audited with the admin as actor). A new key is shown once, in the
 * answer to the form post (never in a URL, the session or a log), then only its prefix.
 */
export function registerAdminApiKeysRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  const page = async (reply: FastifyReply, who: SignedIn, status: number, extra: { outcome?: Outcome; form?: NewKeyForm } = {}) =>
    sendHtml(reply, status, <ApiKeysPage frame={{ ...who.frame, path: '/admin/api-keys' }} keys={await listApiKeys(ctx.db)} {...extra} />);

  app.get('/admin/api-keys', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const revoked = queryField(req.query, 'revoked');
    return page(reply, who, 200, revoked ? { outcome: { notice: `Đã thu hồi khóa ${revoked}.` } } : {});
  });

  app.post('/admin/api-keys', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const form: NewKeyForm = { name: formField(req.body, 'name'), role: formField(req.body, 'role'), units: formField(req.body, 'units') };
    const name = keyName.safeParse(form.name);
    const role = userRoleSchema.safeParse(form.role);
    if (!name.success) return page(reply, who, 400, { outcome: { error: 'Tên khóa không được để trống (tối đa 100 ký tự).' }, form });
    if (!role.success) return page(reply, who, 400, { outcome: { error: 'Vai trò không hợp lệ.' }, form });
    const unitCodes = [...new Set(form.units.split(/[,\s]+/).map((u) => u.trim()).filter(Boolean))];
    try {
      const created = await createApiKey(ctx.db, { name: name.data, role: role.data, unitCodes }, userActor(who.user));
      return sendHtml(reply, 200, <ApiKeyCreatedPage frame={{ ...who.frame, path: '/admin/api-keys' }} name={name.data} apiKey={created.key} />);
    } catch (err) {
      if (err instanceof ApiKeyError) return page(reply, who, 400, { outcome: { error: `Chưa tạo được khóa. ${apiKeyErrorVi(err)}` }, form });
      throw err;
    }
  });

  app.post('/admin/api-keys/:id/revoke', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const { id } = req.params as { id: string };
    const key = z.uuid().safeParse(id).success ? await ctx.db.apiKey.findUnique({ where: { id }, select: { id: true, name: true, revokedAt: true } }) : null;
    if (!key) throw AppError.notFound();
    if (key.revokedAt) return page(reply, who, 409, { outcome: { error: `Khóa ${key.name} đã bị thu hồi trước đó.` } });
    await revokeApiKey(ctx.db, key.id, userActor(who.user));
    return reply.redirect(`/admin/api-keys?revoked=${encodeURIComponent(key.name)}`, 303);
  });
}
