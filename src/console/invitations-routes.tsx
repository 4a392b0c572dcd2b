import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { createAndQueue } from '../invitations/create-and-queue.js';
import { createInvitationRequestSchema } from '../invitations/create-invitation-request.js';
import { cancelAndAudit, findOwnInvitation, invitationQrTarget, resendAndQueue } from '../invitations/invitation-actions.js';
import { listInvitations, listInvitationsQuerySchema } from '../invitations/list-invitations.js';
import { listRounds } from '../rounds/round-store.js';
import { QrRenderer } from '../api/qr-renderer.js';
import type { UserView } from '../users/user-schema.js';
import type { ConsoleGate, SignedIn } from './console-gate.js';
import { InvitationCardPage } from './invitation-card-page.js';
import { InvitationDetailPage, type InvitationDetail } from './invitation-detail-page.js';
import { invitationHistory } from './invitation-history.js';
import { bulkRowReasonVi, invitationErrorVi } from './invitation-labels-vi.js';
import { NewInvitationPage, type NewInvitationForm } from './invitation-new-page.js';
import { FILTER_NAMES, InvitationsListPage, type InvitationFilters } from './invitations-list-page.js';
import { principalOf } from './overview-data.js';
import { sendHtml } from './send-html.js';

/** Officers (their own units) and administrators; viewers see nothing personal, so they get the 403 page. */
export const INVITATION_ROLES = ['admin', 'officer'] as const;

const idParams = z.object({ id: z.uuid() });
const text = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** The recipient typed into a form (blank fields left out; none at all → no recipient). */
function recipientOf(body: unknown) {
  const r = Object.fromEntries((['telegramChatId', 'zaloUserId', 'phone'] as const).map((k) => [k, text(body, k)]).filter(([, v]) => v));
  return Object.keys(r).length ? r : undefined;
}

/** Another unit's invitation, or no such id: the same 404 (an officer learns nothing of other units). */
const notFound = () => AppError.notFound('no such invitation');
function parseId(params: unknown): string {
  const parsed = idParams.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
}

/** The units a user may pick: an officer's own, every active one for an administrator. */
const unitsFor = (ctx: AppContext, user: UserView) =>
  ctx.db.unit.findMany({ where: { active: true, ...(user.role === 'admin' ? {} : { code: { in: user.unitCodes } }) }, select: { code: true, name: true }, orderBy: { code: 'asc' } });

/** `/invitations`, `/invitations/new`, `/invitations/:id` (+ resend, cancel) and `/invitations/:id/card`. */
export function registerInvitationsRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  const qr = new QrRenderer();
  app.addHook('onClose', () => qr.close());
  const channels = [...(ctx.config.telegram ? ['telegram'] : []), ...(ctx.config.zalo ? ['zalo'] : []), 'simulator'];

  app.get('/invitations', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const raw = req.query as Record<string, unknown>;
    const filters: InvitationFilters = Object.fromEntries(FILTER_NAMES.map((k) => [k, typeof raw[k] === 'string' ? raw[k].trim() : '']).filter(([, v]) => v));
    const paging = Object.fromEntries((['cursor', 'limit'] as const).flatMap((k) => (typeof raw[k] === 'string' && raw[k] ? [[k, raw[k]]] : [])));
    const [rounds, units] = await Promise.all([listRounds(ctx.db), unitsFor(ctx, who.user)]);
    const props = { frame: who.frame, filters, rounds: rounds.map((r) => ({ code: r.code, name: r.name })), units, rows: [], nextHref: null, firstHref: null };
    const query = listInvitationsQuerySchema.safeParse({ ...filters, ...paging });
    if (!query.success) {
      const fields = query.error.issues.map((i) => String(i.path[0]));
      const msg = fields.some((f) => f === 'from' || f === 'to') ? 'Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.' : 'Bộ lọc không hợp lệ. Vui lòng kiểm tra lại.';
      return sendHtml(reply, 400, <InvitationsListPage {...props} error={msg} />);
    }
    let page;
    try {
      page = await listInvitations({ db: ctx.db, pseudonymKey: ctx.config.pseudonymKey }, principalOf(who.user), query.data);
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'unavailable') throw err;
      const msg = err.kind === 'forbidden' ? 'Đơn vị này không thuộc phạm vi của bạn.' : err.code === 'unknown_unit' ? 'Không có đơn vị với mã này.' : err.kind === 'not_found' ? 'Không có đợt khảo sát với mã này.' : 'Bộ lọc không hợp lệ. Vui lòng kiểm tra lại.';
      return sendHtml(reply, err.kind === 'not_found' ? 404 : 400, <InvitationsListPage {...props} error={msg} />);
    }
    const link = (extra: Record<string, string>) => `/invitations?${new URLSearchParams({ ...filters, ...(paging.limit ? { limit: paging.limit } : {}), ...extra }).toString()}`;
    const rows = page.items.map((inv) => ({ id: inv.id, code: inv.code, dossierCode: inv.dossierCode, unitCode: inv.unit.code, round: inv.round?.code ?? null, channel: inv.channel, status: inv.status, createdAt: inv.createdAt }));
    return sendHtml(reply, 200, <InvitationsListPage {...props} rows={rows} nextHref={page.nextCursor ? link({ cursor: page.nextCursor }) : null} firstHref={paging.cursor ? link({}) : null} />);
  });

  const newPage = async (reply: FastifyReply, who: SignedIn, status: number, form?: NewInvitationForm, error?: string) =>
    sendHtml(reply, status, <NewInvitationPage frame={{ ...who.frame, path: '/invitations' }} units={await unitsFor(ctx, who.user)} channels={channels} {...(form ? { form } : {})} {...(error ? { error } : {})} />);

  app.get('/invitations/new', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    return newPage(reply, who, 200);
  });

  app.post('/invitations/new', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const form: NewInvitationForm = Object.fromEntries((['unitCode', 'channel', 'dossierCode', 'procedureCode', 'telegramChatId', 'zaloUserId', 'phone'] as const).map((k) => [k, text(req.body, k)]));
    const recipient = recipientOf(req.body);
    const body = createInvitationRequestSchema.safeParse({
      unitCode: form.unitCode,
      channel: form.channel,
      ...(form.dossierCode ? { dossierCode: form.dossierCode } : {}),
      ...(form.procedureCode ? { procedureCode: form.procedureCode } : {}),
      ...(recipient ? { recipient } : {}),
    });
    if (!body.success) return newPage(reply, who, 400, form, `Chưa tạo được thư mời. ${bulkRowReasonVi(body.error.issues.map((i) => i.path.join('.') || 'row'))}`);
    const principal = principalOf(who.user);
    try {
      const { invitation, created } = await createAndQueue(ctx, principal, body.data);
      // The audit names the invitation, never its dossier or recipient.
      await writeAudit(ctx.db, principal, 'invitation.create', { invitationId: invitation.id, created, via: 'console' });
      return reply.redirect(`/invitations/${invitation.id}/card?${created ? 'created' : 'existing'}=1`, 303);
    } catch (err) {
      if (err instanceof AppError && err.kind !== 'unavailable') {
        const status = err.kind === 'conflict' ? 409 : err.kind === 'rate_limited' ? 429 : err.kind === 'forbidden' ? 403 : 400;
        return newPage(reply, who, status, form, `Chưa tạo được thư mời. ${invitationErrorVi(err)}`);
      }
      throw err;
    }
  });

  const detailPage = async (reply: FastifyReply, who: SignedIn, id: string, status: number, extra: { notice?: string; error?: string } = {}) => {
    const inv = await findOwnInvitation(ctx.db, principalOf(who.user), id);
    const round = inv.roundId ? await ctx.db.round.findUnique({ where: { id: inv.roundId }, select: { code: true } }) : null;
    const detail: InvitationDetail = {
      id: inv.id, code: inv.code, channel: inv.channel, status: inv.status, statusReason: inv.statusReason,
      unit: { code: inv.unit.code, name: inv.unit.name }, round: round?.code ?? null, procedureCode: inv.procedureCode, dossierCode: inv.dossierCode,
      recipient: { phone: inv.recipientPhone, chatId: inv.recipientChatId, zaloId: inv.recipientZaloId }, isTest: inv.isTest, createdAt: inv.createdAt, expiresAt: inv.expiresAt,
    };
    return sendHtml(reply, status, <InvitationDetailPage frame={{ ...who.frame, path: '/invitations' }} inv={detail} history={await invitationHistory(ctx.db, inv)} {...extra} />);
  };

  app.get('/invitations/:id', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const q = req.query as Record<string, unknown>;
    const notice = q.resent ? 'Đã đưa thư mời vào hàng đợi gửi lại.' : q.cancelled ? 'Đã hủy thư mời.' : undefined;
    return detailPage(reply, who, parseId(req.params), 200, notice ? { notice } : {});
  });

  /** A refused change re-renders the detail page with the reason (409 once the survey began or is over). */
  const refused = async (reply: FastifyReply, who: SignedIn, id: string, lead: string, err: unknown) => {
    if (!(err instanceof AppError) || err.kind === 'unavailable' || err.kind === 'not_found') throw err;
    const status = err.kind === 'conflict' ? 409 : err.kind === 'forbidden' ? 403 : 400;
    return detailPage(reply, who, id, status, { error: `${lead} ${invitationErrorVi(err)}` });
  };

  app.post('/invitations/:id/resend', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const id = parseId(req.params);
    const recipient = createInvitationRequestSchema.shape.recipient.safeParse(recipientOf(req.body));
    if (!recipient.success) {
      await findOwnInvitation(ctx.db, principalOf(who.user), id);
      return detailPage(reply, who, id, 400, { error: `Chưa gửi lại được. ${bulkRowReasonVi(recipient.error.issues.map((i) => `recipient.${i.path.join('.')}`))}` });
    }
    try {
      await resendAndQueue(ctx, principalOf(who.user), id, recipient.data);
    } catch (err) {
      return refused(reply, who, id, 'Không gửi lại được.', err);
    }
    return reply.redirect(`/invitations/${id}?resent=1`, 303);
  });

  app.post('/invitations/:id/cancel', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const id = parseId(req.params);
    try {
      await cancelAndAudit(ctx, principalOf(who.user), id);
    } catch (err) {
      return refused(reply, who, id, 'Không hủy được.', err);
    }
    return reply.redirect(`/invitations/${id}?cancelled=1`, 303);
  });

  app.get('/invitations/:id/card', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const inv = await findOwnInvitation(ctx.db, principalOf(who.user), parseId(req.params));
    let qrDataUri: string | null = null;
    try {
      qrDataUri = `data:image/png;base64,${(await qr.png(invitationQrTarget(ctx.config, inv))).toString('base64')}`;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'no_link')) throw err;
    }
    const q = req.query as Record<string, unknown>;
    const notice = q.created ? 'Đã tạo thư mời.' : q.existing ? 'Hồ sơ này đã có thư mời: đây là thư mời đã tạo trước đó.' : undefined;
    const card = { id: inv.id, code: inv.code, channel: inv.channel, unitName: inv.unit.name, expiresAt: inv.expiresAt, qrDataUri };
    return sendHtml(reply, 200, <InvitationCardPage frame={{ ...who.frame, path: '/invitations' }} card={card} {...(notice ? { notice } : {})} />);
  });
}
