import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { findUser } from '../users/user-store.js';
import type { UserRole, UserView } from '../users/user-schema.js';
import { csrfMatches } from './csrf.js';
import { SESSION_COOKIE, type ConsoleSession, type ConsoleSessions } from './console-session.js';
import type { PageFrame } from './layout.js';
import { sendHtml } from './send-html.js';
import { ErrorPage, ForbiddenPage } from './status-pages.js';

export type SignedIn = { user: UserView; session: ConsoleSession; sessionId: string; frame: PageFrame };

/** `next` only ever points back into this console (no `//host` or `/\host` open redirects). */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : undefined;
}

/** The audit actor of a console user. */
export const userActor = (user: { id: string }) => `user:${user.id}`;

/**
 * The gate of every signed-in page: a live session of an enabled user, a role the page
 * admits (else the 403 page) and, for a form post, the session's CSRF token.
 * Returns null when it has answered the request itself.
 */
export function consoleGate(ctx: AppContext, sessions: ConsoleSessions) {
  return async function require(req: FastifyRequest, reply: FastifyReply, roles: readonly UserRole[]): Promise<SignedIn | null> {
    const sessionId = req.cookies[SESSION_COOKIE];
    const session = sessionId ? await sessions.touch(sessionId) : null;
    const user = session ? await findUser(ctx.db, session.userId) : null;
    const path = req.url.split('?')[0] ?? '/';
    if (!sessionId || !session || !user || user.disabledAt) {
      if (sessionId && session) await sessions.destroy(sessionId);
      if (req.method === 'GET') {
        await reply.redirect(path === '/' ? '/login' : `/login?next=${encodeURIComponent(req.url)}`, 303);
      } else {
        await sendHtml(reply, 401, <ErrorPage title="Phiên làm việc đã hết hạn" message="Vui lòng đăng nhập lại." />);
      }
      return null;
    }
    const frame: PageFrame = { user, csrf: session.csrf, path };
    if (!roles.includes(user.role)) {
      await sendHtml(reply, 403, <ForbiddenPage frame={frame} />);
      return null;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !csrfMatches(session.csrf, (req.body as Record<string, unknown> | undefined)?._csrf)) {
      await sendHtml(reply, 403, <ErrorPage title="Biểu mẫu không hợp lệ" message="Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại." />);
      return null;
    }
    return { user, session, sessionId, frame };
  };
}

export type ConsoleGate = ReturnType<typeof consoleGate>;
