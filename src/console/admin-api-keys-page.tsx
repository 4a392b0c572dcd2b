import type { Role } from '../auth/principal.js';
import { Flash } from './admin-common.js';
import type { Outcome } from './admin-units-page.js';
import { formatDateTime } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { ROLE_LABELS } from './navigation.js';
import { RoleAndUnitsFields } from './role-fields.js';
import { TableWrap } from './table-wrap.js';

export type ApiKeyView = { id: string; name: string; prefix: string; role: Role; unitCodes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
export type NewKeyForm = { name: string; role: string; units: string };

/** `/admin/api-keys`: every key (never the key itself: only its prefix), a revoke button each, and a form to create one. */
export function ApiKeysPage({ frame, keys, outcome, form }: { frame: PageFrame; keys: ApiKeyView[]; outcome?: Outcome; form?: NewKeyForm }) {
  return (
    <Layout title="Khóa API" frame={frame}>
      <Flash {...outcome} />
      <p>Khóa API cho phép hệ thống khác (một cửa, phần mềm quản lý hồ sơ) gọi API của SIPAS. Chỉ lưu mã băm của khóa: khóa chỉ hiện một lần khi tạo.</p>
      <TableWrap label={`Danh sách khóa API (${keys.length})`}>
        <table>
          <caption>{`Danh sách khóa API (${keys.length})`}</caption>
          <thead>
            <tr>
              <th scope="col">Tên</th>
              <th scope="col">Tiền tố</th>
              <th scope="col">Vai trò</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Tạo lúc</th>
              <th scope="col">Dùng gần nhất</th>
              <th scope="col">Trạng thái</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr>
                <td safe>{k.name}</td>
                <td>
                  <code safe>{`sk_${k.prefix}_…`}</code>
                </td>
                <td safe>{ROLE_LABELS[k.role]}</td>
                <td safe>{k.unitCodes.join(', ') || '—'}</td>
                <td>{formatDateTime(k.createdAt)}</td>
                <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Chưa dùng'}</td>
                <td>{k.revokedAt ? `Đã thu hồi lúc ${formatDateTime(k.revokedAt)}` : 'Đang dùng'}</td>
                <td>
                  {k.revokedAt ? (
                    '—'
                  ) : (
                    <form method="post" action={`/admin/api-keys/${encodeURIComponent(k.id)}/revoke`} class="inline">
                      <input type="hidden" name="_csrf" value={frame.csrf} />
                      <button type="submit" class="secondary" aria-label={`Thu hồi khóa ${k.name}`}>
                        Thu hồi
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>Tạo khóa API</h2>
      <form method="post" action="/admin/api-keys" class="stack narrow-form">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <label for="key-name">Tên (hệ thống hoặc người dùng khóa)</label>
        <input id="key-name" name="name" type="text" autocomplete="off" required maxlength="100" value={form?.name ?? ''} />
        <RoleAndUnitsFields idPrefix="key-" role={form?.role} units={form?.units} />
        <button type="submit">Tạo khóa</button>
      </form>
    </Layout>
  );
}

/** The answer to creating a key: the only time the key is ever shown. */
export function ApiKeyCreatedPage({ frame, name, apiKey }: { frame: PageFrame; name: string; apiKey: string }) {
  return (
    <Layout title="Đã tạo khóa API" frame={frame}>
      <p class="notice" role="status" safe>
        {`Đã tạo khóa API “${name}”.`}
      </p>
      <p>
        <strong>Hãy sao chép khóa ngay bây giờ.</strong> Khóa chỉ hiện một lần này; SIPAS chỉ lưu mã băm nên không thể xem lại. Nếu làm mất, hãy thu hồi và tạo khóa mới.
      </p>
      <label for="new-key">Khóa API</label>
      <input id="new-key" class="secret" type="text" readonly value={apiKey} autocomplete="off" spellcheck="false" />
      <p>
        Gửi kèm mỗi yêu cầu trong tiêu đề <code safe>{'Authorization: Bearer <khóa>'}</code>.
      </p>
      <p>
        <a href="/admin/api-keys">← Danh sách khóa API</a>
      </p>
    </Layout>
  );
}
