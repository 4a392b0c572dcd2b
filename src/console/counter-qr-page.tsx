import { Layout, type PageFrame } from './layout.js';

export type CounterPoster = {
  unitCode: string;
  unitName: string;
  /** The open survey's Telegram deep link and its QR code (a data: URI), when the bot's username is set. */
  telegram: { link: string; qr: string } | null;
  /** The Zalo OA's link and QR code, when the Zalo channel is configured. */
  zalo: { link: string; qr: string } | null;
  /** What a Zalo user sends to start this unit's survey. */
  zaloStart: string;
};

/**
 * `/counter-qr/:unitCode`: an A5 poster for the one-stop counter (print it from the
 * browser; the navigation and this page's hints are left out of the print).
 */
export function CounterQrPage({ frame, p }: { frame: PageFrame; p: CounterPoster }) {
  return (
    <Layout title={`Mã QR khảo sát tại quầy: ${p.unitName}`} frame={frame}>
      <div class="no-print">
        <p>Trang này in ra một tờ A5 để đặt tại quầy Một cửa. Dùng lệnh In của trình duyệt (Ctrl+P), chọn khổ giấy A5.</p>
        {p.telegram ? '' : <p class="error">Chưa cấu hình TELEGRAM_BOT_USERNAME nên chưa có mã QR Telegram.</p>}
        {p.zalo ? '' : <p class="muted">Kênh Zalo chưa được cấu hình: tờ in chỉ có hướng dẫn, không có mã QR Zalo.</p>}
      </div>
      <article class="poster" aria-labelledby="poster-title">
        <p class="poster-kicker">Khảo sát mức độ hài lòng của người dân, tổ chức</p>
        <h2 id="poster-title" class="poster-unit" safe>
          {p.unitName}
        </h2>
        <p class="poster-lead">Ông/Bà vui lòng dành 5 phút đánh giá sự phục vụ của chúng tôi. Phiếu khảo sát hoàn toàn ẩn danh.</p>
        <div class="poster-channels">
          <section class="poster-channel" aria-labelledby="poster-telegram">
            <h3 id="poster-telegram">Qua Telegram</h3>
            {p.telegram ? (
              <>
                <img class="poster-qr" src={p.telegram.qr} alt={`Mã QR mở khảo sát trên Telegram cho ${p.unitName}`} width="220" height="220" />
                <p>Quét mã QR bằng điện thoại, mở Telegram và bấm «Bắt đầu» (Start).</p>
                <p class="poster-link" safe>
                  {p.telegram.link}
                </p>
              </>
            ) : (
              <p>Mã QR Telegram chưa sẵn sàng.</p>
            )}
          </section>
          <section class="poster-channel" aria-labelledby="poster-zalo">
            <h3 id="poster-zalo">Qua Zalo</h3>
            {p.zalo ? <img class="poster-qr" src={p.zalo.qr} alt="Mã QR mở Zalo Official Account của cơ quan" width="220" height="220" /> : ''}
            <ol>
              <li>{p.zalo ? 'Quét mã QR bằng Zalo để mở Official Account (OA) của cơ quan.' : 'Mở Zalo, tìm Official Account (OA) của cơ quan.'}</li>
              <li>Bấm «Quan tâm» để nhận phiếu khảo sát.</li>
              <li>
                Gửi tin nhắn <strong safe>{p.zaloStart}</strong> để khảo sát đúng đơn vị này.
              </li>
            </ol>
          </section>
        </div>
        <p class="poster-foot">Xin cảm ơn Ông/Bà đã góp ý để chúng tôi phục vụ tốt hơn.</p>
      </article>
    </Layout>
  );
}
