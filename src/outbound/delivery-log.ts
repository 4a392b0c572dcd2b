import type { Db } from '../db/prisma-client.js';

export type DeliveryRecord = {
  channel: 'telegram' | 'zalo' | 'simulator';
  kind: 'invitation' | 'reminder' | 'reply';
  /** Chat id, Zalo user id or phone: kept in PostgreSQL (like the invitation itself), never logged. */
  recipient: string;
  status: 'sent' | 'failed' | 'dropped';
  invitationId?: string | undefined;
  platformMessageId?: string | undefined;
  /** The platform's error code ("-230", "403"), or a short local reason ("recipient_unreachable"). */
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  attempts: number;
  at: Date;
};

/** One `outbound_messages` row per final outcome of an invitation or reminder send (replies are not logged). */
export async function logDelivery(db: Db, r: DeliveryRecord): Promise<void> {
  await db.outboundMessage.create({
    data: {
      channel: r.channel,
      recipient: r.recipient,
      kind: r.kind,
      status: r.status,
      invitationId: r.invitationId ?? null,
      platformMessageId: r.platformMessageId ?? null,
      errorCode: r.errorCode ?? null,
      errorMessage: r.errorMessage?.slice(0, 500) ?? null,
      attempts: r.attempts,
      createdAt: r.at,
      sentAt: r.status === 'sent' ? r.at : null,
    },
  });
}
