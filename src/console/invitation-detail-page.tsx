import { formatDate, formatDateTime } from './format-vi.js';
import type { HistoryEvent } from './invitation-history.js';
import { CHANNEL_VI, INVITATION_STATUS_VI } from './invitation-labels-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';
import { ErrorLine } from './error-line.js';

/** What the detail page shows of an invitation: the officer's own data (they typed it), never answers. */
export type InvitationDetail = {
  id: string;
  code: string;
  channel: string;
  status: string;
  statusReason: string | null;
  unit: { code: string; name: string };
  round: string | null;
  procedureCode: string | null;
  dossierCode: string | null;
  recipient: { phone: string | null; chatId: string | null; zaloId: string | null };
  isTest: boolean;
  createdAt: Date;
  expiresAt: Date;
};

/** Statuses from which an invitation can still be resent or cancelled (change-invitation.ts refuses the others). */
const CHANGEABLE = new Set(['created', 'queued', 'sent', 'undeliverable']);

function Row({ label, value }: { label: string; value: string }) {
  return (
    <tr>
      <th scope="row" safe>
        {label}
      </th>
      <td safe>{value}</td>
    </tr>
  );
}

function recipientText(r: InvitationDetail['recipient']): string {
  const parts = [r.chatId ? `Telegram ${r.chatId}` : '', r.zaloId ? `Zalo ${r.zaloId}` : '', r.phone ? `SĐT ${r.phone}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'Chưa có (in mã QR để trao tận tay)';
}

/** The corrected-recipient field(s) a channel can take. */
function RecipientFields({ channel }: { channel: string }) {
  if (channel === 'telegram') {
    return (
      <>
        <label for="telegramChatId">Mã Telegram (chat id) mới — để trống nếu gửi lại cho người nhận cũ</label>
        <input id="telegramChatId" name="telegramChatId" type="text" inputmode="numeric" autocomplete="off" />
      </>
    );
  }
  if (channel === 'zalo') {
    return (
      <>
        <label for="zaloUserId">Mã Zalo mới (để trống nếu không đổi)</label>
        <input id="zaloUserId" name="zaloUserId" type="text" inputmode="numeric" autocomplete="off" />
        <label for="phone">Số điện thoại mới (để trống nếu không đổi)</label>
        <input id="phone" name="phone" type="text" inputmode="tel" autocomplete="off" />
      </>
    );
  }
  return '';
}

export function InvitationDetailPage({ frame, inv, history, notice, error }: { frame: PageFrame; inv: InvitationDetail; history: HistoryEvent[]; notice?: string; error?: string }) {
  const changeable = CHANGEABLE.has(inv.status);
  return (
    <Layout title={`Thư mời ${inv.code}`} frame={frame}>
      <p>
        <a href="/invitations">← Danh sách thư mời</a>
      </p>
      {notice ? (
        <p class="notice" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      <ErrorLine message={error} />
      <TableWrap label="Thông tin thư mời">
        <table class="details">
          <caption>Thông tin thư mời</caption>
          <tbody>
            <Row label="Mã ngắn" value={inv.code} />
            <Row label="Trạng thái" value={`${INVITATION_STATUS_VI[inv.status] ?? inv.status}${inv.statusReason && inv.status === 'undeliverable' ? ` (${inv.statusReason})` : ''}`} />
            <Row label="Đơn vị" value={`${inv.unit.name} (${inv.unit.code})`} />
            <Row label="Đợt khảo sát" value={inv.round ?? '—'} />
            <Row label="Kênh" value={`${CHANNEL_VI[inv.channel] ?? inv.channel}${inv.isTest ? ' · dữ liệu thử' : ''}`} />
            <Row label="Mã thủ tục" value={inv.procedureCode ?? '—'} />
            <Row label="Mã hồ sơ" value={inv.dossierCode ?? '—'} />
            <Row label="Người nhận" value={recipientText(inv.recipient)} />
            <Row label="Ngày tạo" value={formatDateTime(inv.createdAt)} />
            <Row label="Hết hạn" value={formatDate(inv.expiresAt)} />
          </tbody>
        </table>
      </TableWrap>
      <p>
        <a href={`/invitations/${inv.id}/card`}>In thẻ mời có mã QR</a>
      </p>
      <h2>Lịch sử</h2>
      <TableWrap label="Lịch sử thư mời">
        <table>
          <caption>Lịch sử thư mời (cũ nhất trước)</caption>
          <thead>
            <tr>
              <th scope="col">Thời điểm</th>
              <th scope="col">Sự kiện</th>
            </tr>
          </thead>
          <tbody>
            {history.map((e) => (
              <tr>
                <td safe>{e.dayOnly ? formatDate(e.at) : formatDateTime(e.at)}</td>
                <td safe>{e.detail ? `${e.label} (${e.detail})` : e.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {changeable ? (
        <>
          <h2>Gửi lại</h2>
          <form method="post" action={`/invitations/${inv.id}/resend`} class="stack narrow-form">
            <input type="hidden" name="_csrf" value={frame.csrf} />
            <RecipientFields channel={inv.channel} />
            <p class="muted">Khi đổi người nhận, thư mời có mã ngắn và đường dẫn mới; mã cũ không dùng được nữa.</p>
            <button type="submit">Gửi lại</button>
          </form>
          <h2>Hủy thư mời</h2>
          <form method="post" action={`/invitations/${inv.id}/cancel`} class="stack narrow-form">
            <input type="hidden" name="_csrf" value={frame.csrf} />
            <p class="muted">Thư mời đã hủy không mở được khảo sát; người nhận và mã hồ sơ bị xóa.</p>
            <button type="submit" class="danger">
              Hủy thư mời
            </button>
          </form>
        </>
      ) : (
        <p class="muted">Thư mời này không thể gửi lại hay hủy nữa: công dân đã mở hoặc bắt đầu khảo sát, hoặc thư mời đã kết thúc.</p>
      )}
    </Layout>
  );
}
