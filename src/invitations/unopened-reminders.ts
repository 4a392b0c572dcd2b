import type { Db } from '../db/prisma-client.js';
import { unopenedReminderJob, unopenedRemindersSweepJob } from '../queues/job-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import { QUEUE } from '../queues/queue-names.js';
import type { InvitationDeliveries } from './deliver-invitation.js';

export const UNOPENED_SWEEP_EVERY_MS = 10 * 60_000;
/** Invitations claimed per statement: bounds one transaction (and the jobs it enqueues). */
export const UNOPENED_CLAIM_BATCH = 200;
/** Batches per sweep run; the rest waits for the next run. */
const MAX_BATCHES_PER_SWEEP = 50;

export type UnopenedReminderSettings = { afterHours: number; zns: boolean };

/**
 * Claims up to `limit` invitations due for their one reminder: sent (never opened, started,
 * cancelled or expired), sent at least `afterHours` ago, not reminded yet, still valid, on
 * a free channel (Telegram, Zalo CS) or on ZNS when paid reminders are enabled. The claim
 * (`unopened_reminder_at`) and `enqueue` happen in one transaction: a concurrent sweep skips
 * the locked rows and finds them claimed, and a failed enqueue leaves them unclaimed.
 */
export async function claimUnopenedReminders(db: Db, now: Date, settings: UnopenedReminderSettings, enqueue: (ids: string[]) => Promise<void>, limit = UNOPENED_CLAIM_BATCH): Promise<string[]> {
  const due = new Date(now.getTime() - settings.afterHours * 3600_000);
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE invitations SET unopened_reminder_at = ${now}
      WHERE id IN (
        SELECT id FROM invitations
        WHERE status = 'sent' AND unopened_reminder_at IS NULL AND sent_at <= ${due} AND expires_at > ${now}
          AND ((channel = 'telegram' AND recipient_chat_id IS NOT NULL)
            OR (channel = 'zalo' AND (recipient_zalo_id IS NOT NULL OR (${settings.zns} AND recipient_phone IS NOT NULL))))
        ORDER BY sent_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      AND status = 'sent' AND unopened_reminder_at IS NULL
      RETURNING id::text AS id`;
    const ids = rows.map((r) => r.id);
    if (ids.length) await enqueue(ids);
    return ids;
  });
}

/** One sweep: claims due invitations batch by batch and enqueues one reminder job each; returns how many. */
export async function sweepUnopenedReminders(deps: { db: Db; queues: JobQueues; now: () => Date; settings: UnopenedReminderSettings }): Promise<number> {
  if (deps.settings.afterHours <= 0) return 0;
  const enqueue = async (ids: string[]) => {
    for (const invitationId of ids) await deps.queues.add(unopenedReminderJob, { invitationId });
  };
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
    const ids = await claimUnopenedReminders(deps.db, deps.now(), deps.settings, enqueue);
    total += ids.length;
    if (ids.length < UNOPENED_CLAIM_BATCH) break;
  }
  return total;
}

/**
 * Sends one claimed reminder on the invitation's channel, unless the citizen opened it
 * meanwhile (or it was cancelled, expired or completed): the status is read again at send
 * time, which may be hours after the claim when quiet hours held the job back.
 */
export async function deliverUnopenedReminder(deps: { db: Db; now: () => Date; deliveries: InvitationDeliveries; settings: UnopenedReminderSettings }, invitationId: string): Promise<'sent' | 'skipped'> {
  const inv = await deps.db.invitation.findUnique({ where: { id: invitationId }, include: { unit: true, questionnaire: true } });
  if (!inv || inv.status !== 'sent' || inv.openedAt || inv.expiresAt <= deps.now()) return 'skipped';
  if (inv.channel === 'zalo' && !inv.recipientZaloId && !deps.settings.zns) return 'skipped';
  const deliver = deps.deliveries[inv.channel];
  if (!deliver) return 'skipped';
  await deliver(inv, 'reminder');
  return 'sent';
}

/** One schedule for the whole deployment; none when the reminder is off (UNOPENED_REMINDER_HOURS=0). */
export async function scheduleUnopenedReminders(queues: JobQueues, settings: UnopenedReminderSettings): Promise<void> {
  const maintenance = queues.queue(QUEUE.maintenance);
  if (settings.afterHours <= 0) {
    await maintenance.removeJobScheduler('unopened-reminders');
    return;
  }
  await maintenance.upsertJobScheduler(
    'unopened-reminders',
    { every: UNOPENED_SWEEP_EVERY_MS },
    { name: unopenedRemindersSweepJob.name, data: {}, opts: { attempts: 3, removeOnComplete: 100, removeOnFail: 100 } },
  );
}
