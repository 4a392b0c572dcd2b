import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { startBulkAndAudit } from '../invitations/invitation-actions.js';
import { invitationBatchView } from '../invitations/invitation-batch-view.js';
import { parseBulkInvitations } from '../invitations/parse-bulk-invitations.js';
import type { ConsoleGate } from './console-gate.js';
import { BatchPage, BatchProgress, BulkUploadPage } from './invitations-bulk-page.js';
import { INVITATION_ROLES } from './invitations-routes.js';
import { principalOf } from './overview-data.js';
import { sendHtml } from './send-html.js';

/** Why an upload could not be read at all (parse-bulk-invitations.ts says it in English for the API). */
function uploadErrorVi(err: AppError): string {
  if (/no invitations/.test(err.message)) return 'Không có dòng dữ liệu nào: dòng đầu là tên cột, mỗi dòng sau là một thư mời.';
  if (/at most/.test(err.message)) return 'Quá nhiều dòng trong một lần tải lên (tối đa 5.000).';
  return 'Không đọc được nội dung CSV: kiểm tra dòng tên cột, dấu phân cách và dấu ngoặc kép.';
}

/** `/invitations/bulk` (a CSV read as the API reads text/csv, validated row by row) and the batch's progress page. */
export function registerInvitationsBulkRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  app.get('/invitations/bulk', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    return sendHtml(reply, 200, <BulkUploadPage frame={{ ...who.frame, path: '/invitations' }} />);
  });

  app.post('/invitations/bulk', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const csv = (req.body as Record<string, unknown>).csv;
    const frame = { ...who.frame, path: '/invitations' };
    if (typeof csv !== 'string' || !csv.trim()) return sendHtml(reply, 400, <BulkUploadPage frame={frame} error="Hãy dán nội dung CSV trước khi gửi." />);
    let rows;
    try {
      rows = await parseBulkInvitations(csv, true);
    } catch (err) {
      if (err instanceof AppError && err.kind === 'invalid') return sendHtml(reply, 400, <BulkUploadPage frame={frame} csv={csv} error={uploadErrorVi(err)} />);
      throw err;
    }
    // Rows refused here are the batch's first results: the progress page lists them with their reasons.
    const started = await startBulkAndAudit(ctx, principalOf(who.user), rows);
    return reply.redirect(`/invitations/batches/${started.batchId}`, 303);
  });

  app.get('/invitations/batches/:id', async (req, reply) => {
    const who = await gate(req, reply, INVITATION_ROLES);
    if (!who) return reply;
    const id = z.object({ id: z.uuid() }).safeParse(req.params);
    if (!id.success) throw AppError.notFound('no such invitation batch');
    // Another user's batch is "not found" (its rows name their dossiers' invitations); an admin sees all.
    const batch = await invitationBatchView(ctx.db, principalOf(who.user), id.data.id);
    if ((req.query as Record<string, unknown>).fragment) return sendHtml(reply, 200, <BatchProgress batch={batch} />);
    return sendHtml(reply, 200, <BatchPage frame={{ ...who.frame, path: '/invitations' }} batch={batch} />);
  });
}
