import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { userRoleSchema } from '../users/user-schema.js';
import { createUser, disableUser, listUsers } from '../users/user-store.js';
import { userActor, type ConsoleGate, type SignedIn } from './console-gate.js';
import type { ConsoleSessions } from './console-session.js';
import { sendHtml } from './send-html.js';
import { userErrorVi } from './user-errors-vi.js';
import { UsersPage, type NewUserForm } from './users-page.js';

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** `/admin/users` (admins): list, add and lock console users; every change is audited with the admin as actor. */
export function registerUsersRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate, sessions: ConsoleSessions): void {
  const page = async (reply: FastifyReply, who: SignedIn, status: number, extra: { notice?: string; error?: string; form?: NewUserForm } = {}) =>
    sendHtml(reply, status, <UsersPage frame={{ ...who.frame, path: '/admin/users' }} users={await listUsers(ctx.db)} {...extra} />);

  app.get('/admin/users', async (req, reply) => {
    const who = await gate(req, reply, ['admin']);
    if (!who) return reply;
    const q = req.query as Record<string, unknown>;
    const notice = typeof q.created === 'string' ? `Đã thêm người dùng ${q.created}.` : typeof q.disabled === 'string' ? `Đã khóa người dùng ${q.disabled}.` : undefined;
    return page(reply, who, 200, notice ? { notice } : {});
  });

  app.post('/admin/users', async (req, reply) => {
    const who = await gate(req, reply, ['admin']);
    if (!who) return reply;
    const form: NewUserForm = { username: field(req.body, 'username'), displayName: field(req.body, 'displayName'), role: field(req.body, 'role'), units: field(req.body, 'units') };
    const role = userRoleSchema.safeParse(form.role);
    if (!role.success) return page(reply, who, 400, { error: 'Vai trò không hợp lệ.', form });
    const unitCodes = (form.units ?? '').split(/[,\s]+/).map((u) => u.trim()).filter(Boolean);
    try {
      const user = await createUser(ctx.db, { username: form.username!, displayName: form.displayName!, role: role.data, unitCodes, password: field(req.body, 'password') }, userActor(who.user));
      return reply.redirect(`/admin/users?created=${encodeURIComponent(user.username)}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'unavailable') return page(reply, who, err.kind === 'conflict' ? 409 : 400, { error: `Chưa thêm được người dùng. ${userErrorVi(err)}`, form });
      throw err;
    }
  });

  app.post('/admin/users/:username/disable', async (req, reply) => {
    const who = await gate(req, reply, ['admin']);
    if (!who) return reply;
    const { username } = req.params as { username: string };
    if (username === who.user.username) return page(reply, who, 409, { error: 'Không thể tự khóa tài khoản của chính mình.' });
    const user = await disableUser(ctx.db, username, userActor(who.user), ctx.now());
    await sessions.destroyAllOf(user.id);
    return reply.redirect(`/admin/users?disabled=${encodeURIComponent(user.username)}`, 303);
  });
}
