import type { Db } from '../db/prisma-client.js';

export type ZaloDeliveryRecord = {
  kind: 'invitation' | 'reminder' | 'reply';
  /** Zalo user id or phone: kept in PostgreSQL (like the invitation itself), never logged. */
  recipient: string;
  status: 'sent' | 'failed' | 'dropped';
  invitationId?: string | undefined;
  platformMessageId?: string | undefined;
  /** Zalo's error code ("-230"), or a short local reason ("recipient_unreachable"). */
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  attempts: number;
  at: Date;
};

/** One `outbound_messages` row per final outcome of an invitation or reminder send (replies are not logged). */
export async function logZaloDelivery(db: Db, r: ZaloDeliveryRecord): Promise<void> {
  await db.outboundMessage.create({
    data: {
      channel: 'zalo',
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
