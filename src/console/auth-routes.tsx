import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { newUserSchema } from '../users/user-schema.js';
import { checkCredentials, createUser, recordLogin } from '../users/user-store.js';
import { safeNext, userActor, type ConsoleGate } from './console-gate.js';
import { SESSION_COOKIE, type ConsoleSessions } from './console-session.js';
import { csrfMatches, newCsrfToken, PRE_SESSION_CSRF_COOKIE } from './csrf.js';
import { consumeFirstAdminToken, FIRST_ADMIN_PATH, firstAdminTokenValid } from './first-admin.js';
import { FirstAdminPage } from './first-admin-page.js';
import { LoginPage } from './login-page.js';
import type { LoginThrottle } from './login-throttle.js';
import { sendHtml } from './send-html.js';
import { userErrorVi } from './user-errors-vi.js';
import { ErrorPage } from './status-pages.js';

export const WRONG_CREDENTIALS = 'Tên đăng nhập hoặc mật khẩu không đúng.';
const EXPIRED_FORM = 'Biểu mẫu đã hết hạn. Vui lòng thử lại.';

type Form = Record<string, unknown>;
const field = (body: unknown, name: string): string => {
  const v = (body as Form | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

export type AuthDeps = { sessions: ConsoleSessions; throttle: LoginThrottle; gate: ConsoleGate; secureCookies: boolean };

/** Login, logout and the first administrator: the pages a stranger may open. */
export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext, deps: AuthDeps): void {
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies };

  /** The pre-session CSRF token: the cookie's if it has one, else a new one set now. */
  function preSessionToken(req: FastifyRequest, reply: FastifyReply): string {
    const existing = req.cookies[PRE_SESSION_CSRF_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
    const token = newCsrfToken();
    void reply.setCookie(PRE_SESSION_CSRF_COOKIE, token, { ...cookieBase, sameSite: 'strict' });
    return token;
  }

  const loginPage = (req: FastifyRequest, reply: FastifyReply, status: number, props: { error?: string; username?: string } = {}) => {
    const next = safeNext((req.query as Form).next);
    return sendHtml(reply, status, <LoginPage csrf={preSessionToken(req, reply)} {...(next ? { next } : {})} {...props} />);
  };

  app.get('/login', async (req, reply) => {
    const id = req.cookies[SESSION_COOKIE];
    if (id && (await deps.sessions.touch(id))) return reply.redirect(safeNext((req.query as Form).next) ?? '/', 303);
    return loginPage(req, reply, 200);
  });

  app.post('/login', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const username = field(req.body, 'username').trim();
    const password = field(req.body, 'password');
    if (!csrfMatches(req.cookies[PRE_SESSION_CSRF_COOKIE], field(req.body, '_csrf'))) return loginPage(req, reply, 403, { error: EXPIRED_FORM, username });
    const wait = await deps.throttle.blockedFor(req.ip, username);
    if (wait > 0) {
      await writeAudit(ctx.db, 'anonymous', 'console.login_throttled', {});
      void reply.header('retry-after', String(wait));
      return loginPage(req, reply, 429, { error: `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(wait / 60)} phút.`, username });
    }
    const user = username && password ? await checkCredentials(ctx.db, username, password) : null;
    if (!user) {
      await deps.throttle.fail(req.ip, username);
      // The typed username is not recorded: people type passwords into it by mistake.
      await writeAudit(ctx.db, 'anonymous', 'console.login_failed', {});
      return loginPage(req, reply, 401, { error: WRONG_CREDENTIALS, username });
    }
    await deps.throttle.clear(req.ip, username);
    // A new session id at every login: a planted cookie never becomes a signed-in one.
    const old = req.cookies[SESSION_COOKIE];
    if (old) await deps.sessions.destroy(old);
    const { id } = await deps.sessions.create(user.id);
    await recordLogin(ctx.db, user.id, ctx.now());
    await writeAudit(ctx.db, userActor(user), 'console.login', { userId: user.id, role: user.role });
    // A browser-session cookie (no Max-Age): closing the browser ends it; Redis ends it after inactivity.
    void reply.setCookie(SESSION_COOKIE, id, cookieBase).clearCookie(PRE_SESSION_CSRF_COOKIE, { path: '/' });
    return reply.redirect(safeNext((req.query as Form).next) ?? '/', 303);
  });

  app.post('/logout', async (req, reply) => {
    const who = await deps.gate(req, reply, ['admin', 'officer', 'viewer']);
    if (!who) return reply;
    await deps.sessions.destroy(who.sessionId);
    await writeAudit(ctx.db, userActor(who.user), 'console.logout', { userId: who.user.id });
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  const invalidLink = (reply: FastifyReply) =>
    sendHtml(reply, 410, <ErrorPage title="Liên kết không còn hiệu lực" message="Liên kết tạo quản trị viên đầu tiên đã được dùng hoặc đã hết hạn (1 giờ). Hãy khởi động lại dịch vụ để nhận liên kết mới, hoặc dùng lệnh npm run user -- create --role admin." />);

  app.get(FIRST_ADMIN_PATH, async (req, reply) => {
    const token = field(req.query, 'token');
    if (!(await firstAdminTokenValid(ctx, token))) return invalidLink(reply);
    return sendHtml(reply, 200, <FirstAdminPage csrf={preSessionToken(req, reply)} token={token} />);
  });

  app.post(FIRST_ADMIN_PATH, { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
    const token = field(req.query, 'token');
    const values = { username: field(req.body, 'username'), displayName: field(req.body, 'displayName') };
    const again = (status: number, error: string) => sendHtml(reply, status, <FirstAdminPage csrf={preSessionToken(req, reply)} token={token} error={error} values={values} />);
    if (!(await firstAdminTokenValid(ctx, token))) return invalidLink(reply);
    if (!csrfMatches(req.cookies[PRE_SESSION_CSRF_COOKIE], field(req.body, '_csrf'))) return again(403, EXPIRED_FORM);
    const input = { ...values, role: 'admin' as const, unitCodes: [], password: field(req.body, 'password') };
    const parsed = newUserSchema.safeParse(input);
    if (!parsed.success) return again(400, userErrorVi(AppError.invalid('invalid user', { fields: parsed.error.issues.map((i) => String(i.path[0])) })));
    // Checked before the token is used up, so a typo does not burn the link.
    if (!(await consumeFirstAdminToken(ctx, token))) return invalidLink(reply);
    try {
      const user = await createUser(ctx.db, input, 'first-admin-link');
      await writeAudit(ctx.db, userActor(user), 'console.first_admin', { userId: user.id });
    } catch (err) {
      if (err instanceof AppError) return again(400, userErrorVi(err));
      throw err;
    }
    return reply.redirect('/login', 303);
  });
}
