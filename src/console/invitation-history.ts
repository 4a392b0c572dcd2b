import type { Invitation } from '../db/generated/client.js';
import type { Db } from '../db/prisma-client.js';

/** One line of an invitation's history; `day` alone when only the day may be shown. */
export type HistoryEvent = { at: Date; dayOnly?: boolean; label: string; detail?: string };

const OUTBOUND_KIND_VI: Record<string, string> = { invitation: 'Tin nhắn mời', reminder: 'Tin nhắn nhắc' };
const OUTBOUND_STATUS_VI: Record<string, string> = { queued: 'đang chờ gửi', sent: 'đã gửi', failed: 'gửi lỗi', dropped: 'bỏ qua' };

/**
 * What happened to an invitation, oldest first: its own timestamps, the invitation and
 * reminder messages sent for it (never the conversation's replies: nothing of the answers)
 * and the officers' resends and cancellation from the audit log. Once the survey is
 * completed only its creation and completion day are shown, as the API does: exact times
 * would tie a known dossier to one response.
 */
export async function invitationHistory(db: Db, inv: Invitation): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [{ at: inv.createdAt, label: 'Tạo thư mời' }];
  if (inv.status === 'completed') {
    const day = inv.completedDay ?? inv.completedAt;
    if (day) events.push({ at: day, dayOnly: true, label: 'Hoàn thành khảo sát' });
    return events;
  }
  const [messages, audits] = await Promise.all([
    db.outboundMessage.findMany({ where: { invitationId: inv.id, kind: { in: ['invitation', 'reminder'] } }, orderBy: { createdAt: 'asc' }, select: { kind: true, status: true, createdAt: true, sentAt: true, errorCode: true } }),
    db.auditLog.findMany({ where: { action: { in: ['invitation.resend', 'invitation.cancel'] }, details: { path: ['invitationId'], equals: inv.id } }, orderBy: { at: 'asc' }, select: { action: true, at: true, details: true } }),
  ]);
  if (inv.queuedAt) events.push({ at: inv.queuedAt, label: 'Đưa vào hàng đợi gửi' });
  if (inv.sentAt) events.push({ at: inv.sentAt, label: 'Đã gửi tới công dân' });
  if (inv.openedAt) events.push({ at: inv.openedAt, label: 'Công dân đã mở thư mời' });
  if (inv.startedAt) events.push({ at: inv.startedAt, label: 'Công dân bắt đầu trả lời' });
  if (inv.unopenedReminderAt) events.push({ at: inv.unopenedReminderAt, label: 'Đã nhắc (chưa mở thư mời)' });
  if (inv.expiredAt) events.push({ at: inv.expiredAt, label: inv.status === 'cancelled' ? 'Đã hủy' : 'Hết hạn' });
  for (const m of messages) {
    const what = `${OUTBOUND_KIND_VI[m.kind] ?? m.kind}: ${OUTBOUND_STATUS_VI[m.status] ?? m.status}`;
    events.push({ at: m.sentAt ?? m.createdAt, label: what, ...(m.errorCode ? { detail: `Mã lỗi ${m.errorCode}` } : {}) });
  }
  for (const a of audits) {
    const changed = (a.details as { recipientChanged?: boolean } | null)?.recipientChanged;
    events.push({ at: a.at, label: a.action === 'invitation.cancel' ? 'Cán bộ hủy thư mời' : changed ? 'Cán bộ gửi lại tới người nhận mới' : 'Cán bộ gửi lại' });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}
