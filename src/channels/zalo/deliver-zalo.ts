import type { Job } from 'bullmq';
import type { ZaloFailure } from './classify-zalo-error.js';
import { renderZalo, zaloPartCount } from './render-zalo.js';
import type { ZaloOaClient } from './zalo-oa-client.js';
import { recordZaloFailure } from './zalo-recipient-records.js';
import type { Db } from '../../db/prisma-client.js';
import type { Metrics } from '../../observability/metrics.js';
import { endZaloJob, zaloErrorCode } from './end-zalo-job.js';
import type { OutboundJob } from '../../queues/job-catalog.js';
import { logDelivery } from '../../outbound/delivery-log.js';
import { zaloRecipientBlock, type ZaloRecipientBlock } from './zalo-recipient-block.js';

export type DeliverZaloDeps = {
  db: Db;
  oa: ZaloOaClient;
  metrics: Metrics;
  buttons: boolean;
  now: () => Date;
  /** An invitation the CS message could not deliver: fall back to ZNS or mark it undeliverable. */
  invitationMissed: (invitationId: string, why: ZaloRecipientBlock) => Promise<unknown>;
  invitationSent: (invitationId: string) => Promise<void>;
};

/** What an invitation's CS failure means for it: only a silent user may still get a ZNS. */
const missedBecause = (f: ZaloFailure): ZaloRecipientBlock => ({
  fallback: f.kind === 'silent',
  reason: `zalo_cs_${f.kind} (error ${zaloErrorCode(f)})`,
});

/**
 * Sends one outbound job's messages to a Zalo user, in order. Progress (text parts
 * already delivered) is kept on the job, so a retry resumes where the failure was and
 * never sends a part twice. Users marked unreachable get nothing; failures are recorded
 * (respondent unreachable, invitation undeliverable or sent by ZNS) before BullMQ
 * retries, delays (night, rate limit) or gives up.
 */
export async function deliverZalo(deps: DeliverZaloDeps, payload: OutboundJob, job: Job): Promise<void> {
  const { db, metrics } = deps;
  const sends = renderZalo(payload.messages, { buttons: deps.buttons });
  if (!sends.length) return;
  const logged = payload.kind !== 'reply';
  const record = (status: 'sent' | 'failed' | 'dropped', extra: { platformMessageId?: string; errorCode?: string; errorMessage?: string } = {}) =>
    logged ? logDelivery(db, { channel: 'zalo', kind: payload.kind, recipient: payload.userRef, invitationId: payload.invitationId, status, attempts: job.attemptsMade + 1, at: deps.now(), ...extra }) : undefined;

  const blocked = await zaloRecipientBlock(db, payload.userRef, payload.kind);
  if (blocked) {
    metrics.outbound.inc({ channel: 'zalo', outcome: 'dropped' });
    await record('dropped', { errorCode: 'recipient_blocked', errorMessage: blocked.reason });
    if (payload.invitationId && payload.kind === 'invitation') await deps.invitationMissed(payload.invitationId, blocked);
    return;
  }

  let done = typeof job.progress === 'number' ? job.progress : 0;
  let before = 0;
  const ids: string[] = [];
  for (const send of sends) {
    const parts = zaloPartCount(send);
    if (done >= before + parts) {
      before += parts;
      continue;
    }
    const result = await deps.oa.sendText(payload.userRef, send.text, { ...(send.buttons ? { buttons: send.buttons } : {}), skipParts: done - before });
    if (result.messageIds.length) {
      done += result.messageIds.length;
      ids.push(...result.messageIds);
      await job.updateProgress(done);
    }
    if (!result.ok) {
      metrics.outbound.inc({ channel: 'zalo', outcome: result.failure.kind });
      return endZaloJob(job, result.failure, async (f) => {
        await recordZaloFailure(db, f, { userId: payload.userRef }, deps.now());
        await record('failed', { errorCode: zaloErrorCode(f), errorMessage: f.message });
        // A failed reminder leaves the invitation as it was (sent): only an invitation's own failure changes it.
        if (payload.invitationId && payload.kind === 'invitation') await deps.invitationMissed(payload.invitationId, missedBecause(f));
      });
    }
    before += parts;
  }
  metrics.outbound.inc({ channel: 'zalo', outcome: 'sent' });
  await record('sent', ids[0] ? { platformMessageId: ids[0] } : {});
  if (payload.invitationId) await deps.invitationSent(payload.invitationId);
}
