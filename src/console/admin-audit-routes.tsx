import type { FastifyInstance } from 'fastify';
import { readAudit, type AuditFilter } from '../audit/read-audit.js';
import { BOOTSTRAP_KEY_ID } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { parseDay } from '../core/parse-day.js';
import { ADMINS, queryField } from './admin-common.js';
import { AuditPage, type AuditFilterForm } from './admin-audit-page.js';
import type { ConsoleGate } from './console-gate.js';
import { sendHtml } from './send-html.js';

const PAGE_SIZE = 50;
const USER_ACTOR = /^user:([0-9a-f-]{36})$/;
const UUID = /^[0-9a-f-]{36}$/;

/** Vietnam has no daylight saving: a day there starts at 00:00 +07:00. */
const vietnamMidnight = (day: string, plusDays = 0) => new Date(Date.parse(`${day}T00:00:00+07:00`) + plusDays * 86_400_000);

/** Names people recognise for the actors of a page: users by username and name, API keys by name. */
async function actorNames(ctx: AppContext, actors: string[]): Promise<Map<string, string>> {
  const userIds = actors.map((a) => USER_ACTOR.exec(a)?.[1]).filter((id): id is string => Boolean(id));
  const keyIds = actors.filter((a) => UUID.test(a));
  const [users, keys] = await Promise.all([
    userIds.length ? ctx.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, username: true, displayName: true } }) : [],
    keyIds.length ? ctx.db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true } }) : [],
  ]);
  const names = new Map<string, string>([
    [BOOTSTRAP_KEY_ID, 'Khóa quản trị ban đầu (ADMIN_API_KEY)'],
    ['cli', 'Dòng lệnh trên máy chủ'],
    ['anonymous', 'Chưa đăng nhập'],
  ]);
  for (const u of users) names.set(`user:${u.id}`, `${u.displayName} (${u.username})`);
  for (const k of keys) names.set(k.id, `Khóa API “${k.name}”`);
  return names;
}

/** What a typed actor may mean: the text itself, a username, or an API key's name. */
async function actorsMatching(ctx: AppContext, text: string): Promise<string[]> {
  const [users, keys] = await Promise.all([ctx.db.user.findMany({ where: { username: text }, select: { id: true } }), ctx.db.apiKey.findMany({ where: { name: text }, select: { id: true } })]);
  return [text, ...users.map((u) => `user:${u.id}`), ...keys.map((k) => k.id)];
}

/** `/admin/audit` (admins): the audit log, newest first, filtered by actor, action and days, paged by an id cursor. */
export function registerAdminAuditRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  app.get('/admin/audit', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const form: AuditFilterForm = { actor: queryField(req.query, 'actor').trim(), action: queryField(req.query, 'action').trim(), from: queryField(req.query, 'from').trim(), to: queryField(req.query, 'to').trim() };
    const before = queryField(req.query, 'before');
    const filter: AuditFilter = { limit: PAGE_SIZE };
    const errors: string[] = [];
    if (form.actor) filter.actors = await actorsMatching(ctx, form.actor);
    if (form.action) filter.action = form.action;
    for (const [field, label] of [['from', 'Từ ngày'], ['to', 'Đến ngày']] as const) {
      if (!form[field]) continue;
      const day = parseDay(form[field], ctx.now());
      if (!day.ok) errors.push(`${label} “${form[field].slice(0, 40)}” không phải một ngày hợp lệ: viết dd/mm/yyyy (ví dụ 01/12/2026) hoặc yyyy-mm-dd.`);
      else if (field === 'from') filter.from = vietnamMidnight(day.day);
      else filter.until = vietnamMidnight(day.day, 1);
    }
    if (filter.from && filter.until && filter.from >= filter.until) errors.push('“Từ ngày” phải trước hoặc bằng “Đến ngày”.');
    if (before && /^\d{1,18}$/.test(before)) filter.before = before;
    const { entries, older } = errors.length ? { entries: [], older: undefined } : await readAudit(ctx.db, filter);
    const filterQuery = Object.entries(form).filter(([, v]) => v);
    const href = (extra: [string, string][]) => {
      const q = new URLSearchParams([...filterQuery, ...extra]).toString();
      return q ? `/admin/audit?${q}` : '/admin/audit';
    };
    return sendHtml(
      reply,
      errors.length ? 400 : 200,
      <AuditPage
        frame={{ ...who.frame, path: '/admin/audit' }}
        entries={entries}
        actorNames={await actorNames(ctx, [...new Set(entries.map((e) => e.actor))])}
        filter={form}
        olderHref={older ? href([['before', older]]) : undefined}
        newestHref={filter.before ? href([]) : undefined}
        error={errors.length ? errors.join(' ') : undefined}
      />,
    );
  });
}
