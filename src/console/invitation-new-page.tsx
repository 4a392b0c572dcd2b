import { CHANNEL_VI } from './invitation-labels-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { ErrorLine } from './error-line.js';

export type NewInvitationForm = { unitCode?: string; channel?: string; dossierCode?: string; procedureCode?: string; telegramChatId?: string; zaloUserId?: string; phone?: string };

/** `/invitations/new`: one invitation for a unit of the user's scope; a plain form, the recipient optional (a QR card is printed instead). */
export function NewInvitationPage({ frame, units, channels, form, error }: { frame: PageFrame; units: { code: string; name: string }[]; channels: string[]; form?: NewInvitationForm; error?: string }) {
  const f = form ?? {};
  return (
    <Layout title="Tạo thư mời" frame={frame}>
      <p>
        <a href="/invitations">← Danh sách thư mời</a>
      </p>
      <ErrorLine message={error} />
      <form method="post" action="/invitations/new" class="stack narrow-form">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <label for="unitCode">Đơn vị</label>
        <select id="unitCode" name="unitCode" required>
          {units.map((u) => (
            <option value={u.code} selected={u.code === f.unitCode} safe>
              {`${u.name} (${u.code})`}
            </option>
          ))}
        </select>
        <label for="channel">Kênh</label>
        <select id="channel" name="channel" required>
          {channels.map((c) => (
            <option value={c} selected={c === (f.channel ?? channels[0])} safe>
              {CHANNEL_VI[c] ?? c}
            </option>
          ))}
        </select>
        <label for="dossierCode">Mã hồ sơ (không bắt buộc)</label>
        <input id="dossierCode" name="dossierCode" type="text" autocomplete="off" value={f.dossierCode ?? ''} />
        <label for="procedureCode">Mã thủ tục hành chính (không bắt buộc)</label>
        <input id="procedureCode" name="procedureCode" type="text" autocomplete="off" value={f.procedureCode ?? ''} />
        <fieldset class="stack">
          <legend>Người nhận (không bắt buộc: để trống thì in thẻ có mã QR trao tận tay)</legend>
          <label for="telegramChatId">Mã Telegram (chat id) — kênh Telegram</label>
          <input id="telegramChatId" name="telegramChatId" type="text" inputmode="numeric" autocomplete="off" value={f.telegramChatId ?? ''} />
          {channels.includes('zalo') ? (
            <>
              <label for="zaloUserId">Mã Zalo — kênh Zalo</label>
              <input id="zaloUserId" name="zaloUserId" type="text" inputmode="numeric" autocomplete="off" value={f.zaloUserId ?? ''} />
              <label for="phone">Số điện thoại — kênh Zalo (tin ZNS)</label>
              <input id="phone" name="phone" type="text" inputmode="tel" autocomplete="off" value={f.phone ?? ''} />
            </>
          ) : (
            ''
          )}
        </fieldset>
        <button type="submit">Tạo thư mời</button>
      </form>
    </Layout>
  );
}
