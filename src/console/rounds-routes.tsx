import type { FastifyInstance, FastifyReply } from 'fastify';
import { canUseUnit, followsUnit } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { mapLimit } from '../core/map-limit.js';
import { vietnamDay } from '../core/vietnam-day.js';
import { QrRenderer } from '../api/qr-renderer.js';
import { createRoundAudited, FRAME_BODY_LIMIT, patchRoundAudited, uploadFrameAudited } from '../api/round-actions.js';
import { openSurveyLinks } from '../invitations/invitation-links.js';
import { DEFAULT_QUESTIONNAIRE_CODE } from '../questionnaire/questionnaire-catalog.js';
import { roundProgress } from '../rounds/round-progress.js';
import { roundCodeSchema } from '../rounds/round-schema.js';
import { findRound, isoDay, listRounds, type RoundWithQuotas } from '../rounds/round-store.js';
import { frameOptionsSchema } from '../sampling/frame-row-schema.js';
import { forgetFrame } from '../sampling/frame-store.js';
import type { RoundEvents } from '../sampling/round-events.js';
import { listUnitGroups } from '../units/unit-groups.js';
import type { UserRole } from '../users/user-schema.js';
import { userActor, type ConsoleGate, type SignedIn } from './console-gate.js';
import { CounterQrPage } from './counter-qr-page.js';
import { formatDay } from './format-vi.js';
import { acceptMultipartForms, type MultipartFields } from './multipart-form.js';
import { principalOf } from './overview-data.js';
import { chartRows, RoundDetailPage, type RoundDetail, type RoundDetailState } from './round-detail-page.js';
import { roundErrorVi } from './round-errors-vi.js';
import { parseCreateForm, parseEditForm, roundFormValues, valuesOfRound, type RoundFormValues } from './round-form.js';
import type { QuestionnaireOption } from './round-form-fields.js';
import { RoundsPage, type RoundRow } from './rounds-page.js';
import { sendHtml } from './send-html.js';
import { ForbiddenPage } from './status-pages.js';
import { renderSvgChart } from './svg-chart.js';

const EVERYONE: readonly UserRole[] = ['admin', 'officer', 'viewer'];
const UPLOADERS: readonly UserRole[] = ['admin', 'officer'];

const NOTICES: Record<string, string> = {
  created: 'Đã tạo đợt khảo sát.',
  updated: 'Đã lưu thay đổi.',
  unchanged: 'Không có thay đổi nào để lưu.',
  closed: 'Đã kết thúc đợt khảo sát.',
};
const noticeOf = (query: unknown) => NOTICES[String((query as Record<string, unknown>).done ?? '')];

/** A store refusal the user can fix (shown on the form) rather than a failure. */
const userError = (err: unknown): err is AppError => err instanceof AppError && err.kind !== 'unavailable';
const statusOf = (err: AppError) => (err.kind === 'conflict' ? 409 : 400);

const todayOf = (ctx: AppContext) => isoDay(vietnamDay(ctx.now()));

/** The round's quotas an officer follows (all of them for administrators and viewers). */
const scopedRound = (round: RoundWithQuotas, who: SignedIn): RoundWithQuotas => ({ ...round, quotas: round.quotas.filter((q) => followsUnit(principalOf(who.user), q.unit.code)) });

const roundUrl = (code: string) => `/rounds/${encodeURIComponent(code)}`;

async function questionnaireOptions(ctx: AppContext): Promise<QuestionnaireOption[]> {
  return (await ctx.catalog.list()).filter((q) => q.active).map((q) => ({ value: `${q.code}@${q.version}`, label: `${q.title} (${q.code}, phiên bản ${q.version})` }));
}

function emptyCreateForm(ctx: AppContext, questionnaires: QuestionnaireOption[]): RoundFormValues {
  const preferred = questionnaires.find((q) => q.value.startsWith(`${DEFAULT_QUESTIONNAIRE_CODE}@`)) ?? questionnaires[0];
  return { code: '', name: '', questionnaire: preferred?.value ?? '', opensOn: formatDay(vietnamDay(ctx.now())), closesOn: '', eligibleFrom: '', eligibleTo: '', quotas: '', onQuotaFull: 'continue' };
}

async function progressChart(d: Pick<RoundDetail, 'progress' | 'groupLabels'>): Promise<string | null> {
  const rows = chartRows(d);
  if (rows.length === 0) return null;
  return renderSvgChart(
    {
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 64 },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: 'Chỉ tiêu', data: rows.map((r) => r.target), itemStyle: { color: '#b9c6d6' } },
        { type: 'bar', name: 'Hoàn thành', data: rows.map((r) => r.completed), itemStyle: { color: '#2f6fb0' } },
      ],
    },
    { width: 640, height: 320 },
    'Biểu đồ cột: phiếu hoàn thành so với chỉ tiêu (số liệu trong bảng bên cạnh)',
  );
}

/**
 * `/rounds`, `/rounds/:code` and `/counter-qr/:unitCode`: survey rounds through the same
 * store and audited actions as `/api/v1/rounds` (administrators plan them; officers follow
 * their own units and send their frames; viewers read progress), and each unit's poster.
 */
export function registerRoundsRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate, roundEvents?: RoundEvents): void {
  // Without the runtime's events (a console mounted alone), other processes' calendars still reload within a minute.
  const events: RoundEvents = roundEvents ?? { changed: () => undefined, closed: async (roundId) => void (await forgetFrame(ctx.db, roundId)) };
  const qr = new QrRenderer();
  app.addHook('onClose', () => qr.close());

  const listPage = async (reply: FastifyReply, who: SignedIn, status: number, extra: { form?: RoundFormValues; errors?: string[]; notice?: string | undefined } = {}) => {
    const now = ctx.now();
    const canCreate = who.user.role === 'admin';
    const questionnaires = canCreate ? await questionnaireOptions(ctx) : [];
    const visible = (await listRounds(ctx.db)).map((r) => scopedRound(r, who)).filter((r) => who.user.role !== 'officer' || r.quotas.length > 0);
    const rows: RoundRow[] = await mapLimit(visible, 4, async (r) => {
      const p = await roundProgress(ctx.db, r, now);
      return { code: r.code, name: r.name, opensOn: r.opensOn, closesOn: r.closesOn, closed: r.closedAt !== null, open: p.open, target: p.total.target, completed: p.total.completed, units: p.total.units };
    });
    return sendHtml(
      reply,
      status,
      <RoundsPage
        frame={{ ...who.frame, path: '/rounds' }}
        rounds={rows}
        today={todayOf(ctx)}
        canCreate={canCreate}
        questionnaires={questionnaires}
        form={extra.form ?? emptyCreateForm(ctx, questionnaires)}
        {...(extra.errors ? { errors: extra.errors } : {})}
        {...(extra.notice ? { notice: extra.notice } : {})}
      />,
    );
  };

  /** The round as this user may see it; an officer with none of its units gets the 404 page (as if it did not exist). */
  const visibleRound = async (who: SignedIn, rawCode: string): Promise<{ round: RoundWithQuotas; scoped: RoundWithQuotas }> => {
    const code = roundCodeSchema.safeParse(rawCode);
    if (!code.success) throw AppError.notFound('no such round', 'unknown_round');
    const round = await findRound(ctx.db, code.data);
    const scoped = scopedRound(round, who);
    if (who.user.role === 'officer' && scoped.quotas.length === 0) throw AppError.notFound('no such round', 'unknown_round');
    return { round, scoped };
  };

  const detailPage = async (reply: FastifyReply, who: SignedIn, round: RoundWithQuotas, status: number, state: RoundDetailState = {}) => {
    const principal = principalOf(who.user);
    const scoped = scopedRound(round, who);
    const [progress, groups] = await Promise.all([roundProgress(ctx.db, scoped, ctx.now()), listUnitGroups(ctx.db)]);
    const groupLabels = new Map(groups.map((g) => [g.code, g.label]));
    const posterUnits = new Set(who.user.role === 'viewer' ? [] : scoped.quotas.map((q) => q.unit.code).filter((c) => canUseUnit(principal, c)));
    const d: RoundDetail = { round, progress, groupLabels, posterUnits, chart: await progressChart({ progress, groupLabels }), today: todayOf(ctx) };
    return sendHtml(reply, status, <RoundDetailPage frame={{ ...who.frame, path: '/rounds' }} d={d} state={{ ...state, edit: state.edit ?? valuesOfRound(round) }} />);
  };

  app.get('/rounds', async (req, reply) => {
    const who = await gate(req, reply, EVERYONE);
    if (!who) return reply;
    return listPage(reply, who, 200, { notice: noticeOf(req.query) });
  });

  app.post('/rounds', async (req, reply) => {
    const who = await gate(req, reply, ['admin']);
    if (!who) return reply;
    const form = roundFormValues(req.body);
    const parsed = parseCreateForm(form);
    if (!parsed.ok) return listPage(reply, who, 400, { form, errors: parsed.errors });
    try {
      const round = await createRoundAudited(ctx, events, principalOf(who.user), parsed.value);
      return reply.redirect(`${roundUrl(round.code)}?done=created`, 303);
    } catch (err) {
      if (userError(err)) return listPage(reply, who, statusOf(err), { form, errors: [roundErrorVi(err)] });
      throw err;
    }
  });

  app.get('/rounds/:code', async (req, reply) => {
    const who = await gate(req, reply, EVERYONE);
    if (!who) return reply;
    const { round } = await visibleRound(who, (req.params as { code: string }).code);
    const notice = noticeOf(req.query);
    return detailPage(reply, who, round, 200, notice ? { notice } : {});
  });

  app.post('/rounds/:code', async (req, reply) => {
    const who = await gate(req, reply, ['admin']);
    if (!who) return reply;
    const { round } = await visibleRound(who, (req.params as { code: string }).code);
    const edit = roundFormValues(req.body);
    const parsed = parseEditForm(edit, round);
    if (!parsed.ok) return detailPage(reply, who, round, 400, { edit, editErrors: parsed.errors });
    if (!parsed.value) return reply.redirect(`${roundUrl(round.code)}?done=unchanged`, 303);
    try {
      await patchRoundAudited(ctx, events, userActor(who.user), round.code, parsed.value);
      return reply.redirect(`${roundUrl(round.code)}?done=updated`, 303);
    } catch (err) {
      if (userError(err)) return detailPage(reply, who, round, statusOf(err), { edit, editErrors: [roundErrorVi(err)] });
      throw err;
    }
  });

  app.post('/rounds/:code/close', async (req, reply) => {
    const who = await gate(req, reply, ['admin']);
    if (!who) return reply;
    const { round } = await visibleRound(who, (req.params as { code: string }).code);
    if (round.closedAt) return detailPage(reply, who, round, 409, { editErrors: ['Đợt khảo sát đã đóng.'] });
    // Closing ends the round today: one that has not opened yet is moved, not closed.
    if (isoDay(round.opensOn) > todayOf(ctx)) return detailPage(reply, who, round, 409, { editErrors: ['Đợt chưa bắt đầu nên không thể kết thúc sớm; hãy sửa ngày mở và ngày đóng.'] });
    try {
      await patchRoundAudited(ctx, events, userActor(who.user), round.code, { close: true });
    } catch (err) {
      if (userError(err)) return detailPage(reply, who, round, statusOf(err), { editErrors: [roundErrorVi(err)] });
      throw err;
    }
    return reply.redirect(`${roundUrl(round.code)}?done=closed`, 303);
  });

  // The frame comes as a file in a multipart form; only this route reads such bodies.
  void app.register(async (scope) => {
    acceptMultipartForms(scope, FRAME_BODY_LIMIT);
    scope.post('/rounds/:code/frame', { bodyLimit: FRAME_BODY_LIMIT }, async (req, reply) => {
      const who = await gate(req, reply, UPLOADERS);
      if (!who) return reply;
      const { round } = await visibleRound(who, (req.params as { code: string }).code);
      const body = (req.body ?? {}) as MultipartFields;
      const file = body.frame;
      if (typeof file !== 'object' || !file.text.trim()) return detailPage(reply, who, round, 400, { frameErrors: ['Hãy chọn tệp CSV danh sách hồ sơ (tệp không được rỗng).'] });
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
      const options = frameOptionsSchema.safeParse({ size: text('size') || 'quota', ...(text('waves') ? { waves: text('waves') } : {}), ...(text('seed') ? { seed: text('seed') } : {}) });
      if (!options.success) {
        const fields = new Set(options.error.issues.map((i) => String(i.path[0])));
        const errors = [
          ...(fields.has('waves') ? ['Số đợt gửi: số nguyên từ 1 đến 20.'] : []),
          ...(fields.has('seed') ? ['Hạt giống: tối đa 64 ký tự gồm chữ không dấu, số, ".", "_" hoặc "-".'] : []),
          ...(fields.has('size') ? ['Cách tính cỡ mẫu không hợp lệ.'] : []),
        ];
        return detailPage(reply, who, round, 400, { frameErrors: errors });
      }
      try {
        const result = await uploadFrameAudited(ctx, events, principalOf(who.user), round.code, { body: file.text, isCsv: true }, options.data);
        // The result (counts, each rejected row's reason) is the answer itself: nothing to redirect to.
        return detailPage(reply, who, await findRound(ctx.db, round.code), 200, { frameResult: result });
      } catch (err) {
        if (userError(err)) return detailPage(reply, who, round, statusOf(err), { frameErrors: [roundErrorVi(err)] });
        throw err;
      }
    });
  });

  app.get('/counter-qr/:unitCode', async (req, reply) => {
    const who = await gate(req, reply, UPLOADERS);
    if (!who) return reply;
    const { unitCode } = req.params as { unitCode: string };
    const unit = await ctx.db.unit.findUnique({ where: { code: unitCode }, select: { code: true, name: true } });
    if (!unit) throw AppError.notFound('no such unit', 'unknown_unit');
    if (!canUseUnit(principalOf(who.user), unit.code)) return sendHtml(reply, 403, <ForbiddenPage frame={who.frame} />);
    const links = openSurveyLinks(ctx.config, unit.code);
    const dataUri = async (text: string) => `data:image/png;base64,${(await qr.png(text)).toString('base64')}`;
    return sendHtml(
      reply,
      200,
      <CounterQrPage
        frame={{ ...who.frame, path: '/rounds' }}
        p={{
          unitCode: unit.code,
          unitName: unit.name,
          telegram: links.telegram ? { link: links.telegram, qr: await dataUri(links.telegram) } : null,
          zalo: links.zalo ? { link: links.zalo, qr: await dataUri(links.zalo) } : null,
          zaloStart: links.zaloStart,
        }}
      />,
    );
  });
}
