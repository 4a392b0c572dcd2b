import { formatDate } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';

export type InvitationCard = { id: string; code: string; channel: string; unitName: string; expiresAt: Date; qrDataUri: string | null };

/** The one line a citizen needs: where to scan, or where to type the code. */
function instruction(channel: string): string {
  if (channel === 'zalo') return 'Quét mã QR bằng Zalo, rồi gửi mã ngắn cho Zalo OA để bắt đầu khảo sát.';
  return 'Quét mã QR bằng điện thoại để mở Telegram và trả lời khảo sát về sự hài lòng của bạn.';
}

/** `/invitations/:id/card`: a print-ready card (the print stylesheet hides the console around it). */
export function InvitationCardPage({ frame, card, notice }: { frame: PageFrame; card: InvitationCard; notice?: string }) {
  return (
    <Layout title={`Thẻ mời ${card.code}`} frame={frame}>
      <div class="no-print">
        {notice ? (
          <p class="notice" role="status" safe>
            {notice}
          </p>
        ) : (
          ''
        )}
        <p>
          <a href={`/invitations/${card.id}`}>← Chi tiết thư mời</a>
        </p>
        <p>Dùng lệnh In của trình duyệt (Ctrl+P) để in thẻ; phần điều hướng sẽ không được in.</p>
      </div>
      <section class="invitation-card" aria-label="Thẻ mời khảo sát">
        <p class="card-unit" safe>
          {card.unitName}
        </p>
        <p class="card-title">Mời ông/bà đánh giá sự hài lòng về dịch vụ hành chính công</p>
        {card.qrDataUri ? <img class="card-qr" src={card.qrDataUri} alt={`Mã QR của thư mời ${card.code}`} width="240" height="240" /> : <p class="error">Kênh này chưa có đường dẫn công khai nên chưa tạo được mã QR.</p>}
        <p class="card-code">
          Mã ngắn: <strong safe>{card.code}</strong>
        </p>
        <p class="card-instruction" safe>
          {instruction(card.channel)}
        </p>
        <p class="card-expiry" safe>
          {`Hạn trả lời: ${formatDate(card.expiresAt)}`}
        </p>
      </section>
    </Layout>
  );
}
