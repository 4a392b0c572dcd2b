import type { Job } from 'bullmq';
import { recordZaloFailure } from './zalo-recipient-records.js';
import type { ZaloZnsClient } from './zalo-zns-client.js';
import type { ZaloConfig } from '../../config/load-config.js';
import type { Db } from '../../db/prisma-client.js';
import type { Metrics } from '../../observability/metrics.js';
import { endZaloJob, zaloErrorCode } from './end-zalo-job.js';
import { logDelivery } from '../../outbound/delivery-log.js';
import { markInvitationSent, markInvitationUndeliverable } from '../../invitations/invitation-outcome.js';

export type ZnsDeps = { db: Db; zns: ZaloZnsClient; config: Pick<ZaloConfig, 'znsTemplateId' | 'znsParams'>; metrics: Metrics; now: () => Date };

/** Template data: the first configured parameter gets the survey code, the second the unit name. */
export function znsTemplateData(params: readonly string[], code: string, unitName: string): Record<string, string> {
  const [codeParam = 'survey_code', unitParam = 'unit_name'] = params;
  return { [codeParam]: code, [unitParam]: unitName };
}

/**
 * Sends an invitation as a ZNS template to its phone (`tracking_id` = invitation id).
 * -108/-118 (bad phone, no Zalo account) make it undeliverable with the reason; without
 * a configured template nothing can be sent, which is said in the reason too.
 */
export async function deliverZnsInvitation(deps: ZnsDeps, invitationId: string, job: Job, reminder = false): Promise<void> {
  const { db, metrics } = deps;
  const inv = await db.invitation.findUnique({ where: { id: invitationId }, include: { unit: true } });
  // A reminder goes only to an invitation still sent and unopened; an invitation only while unsent.
  if (!inv || !(reminder ? ['sent'] : ['created', 'queued']).includes(inv.status)) return;
  const at = deps.now();
  if (inv.expiresAt <= at) {
    if (!reminder) await db.invitation.updateMany({ where: { id: inv.id, status: { in: ['created', 'queued'] } }, data: { status: 'expired', expiredAt: at } });
    return;
  }
  const base = { channel: 'zalo' as const, kind: reminder ? ('reminder' as const) : ('invitation' as const), recipient: inv.recipientPhone ?? '', invitationId: inv.id, attempts: job.attemptsMade + 1, at };
  if (!inv.recipientPhone || !deps.config.znsTemplateId) {
    if (reminder) return;
    const reason = inv.recipientPhone ? 'zns_template_not_configured (set ZALO_ZNS_TEMPLATE_ID)' : 'no phone for ZNS';
    await markInvitationUndeliverable(db, inv.id, reason);
    await logDelivery(db, { ...base, status: 'failed', errorCode: 'not_sent', errorMessage: reason });
    metrics.outbound.inc({ channel: 'zalo', outcome: 'undeliverable' });
    return;
  }
  const result = await deps.zns.sendTemplate({
    phone: inv.recipientPhone,
    templateId: deps.config.znsTemplateId,
    templateData: znsTemplateData(deps.config.znsParams, inv.code, inv.unit.name),
    trackingId: inv.id,
  });
  if (result.ok) {
    if (!reminder) await markInvitationSent(db, inv.id, deps.now());
    await logDelivery(db, { ...base, status: 'sent', platformMessageId: result.msgId, at: deps.now() });
    metrics.outbound.inc({ channel: 'zalo', outcome: 'sent' });
    return;
  }
  metrics.outbound.inc({ channel: 'zalo', outcome: result.failure.kind });
  await endZaloJob(job, result.failure, async (f) => {
    // -108/-118 are recorded by recordZaloFailure; any other final failure gets its own reason.
    if (!reminder && (await recordZaloFailure(db, f, { invitationId: inv.id }, deps.now())) === 'none') {
      await markInvitationUndeliverable(db, inv.id, `zns_${f.kind} (error ${zaloErrorCode(f)})`);
    }
    await logDelivery(db, { ...base, status: 'failed', errorCode: zaloErrorCode(f), errorMessage: f.message });
  });
}
