import type { AuditEntry } from '../audit/read-audit.js';
import { Flash } from './admin-common.js';
import { formatDateTime } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';

export type AuditFilterForm = { actor: string; action: string; from: string; to: string };

/** What the page says for the actions the product writes (others show their code only). */
const ACTION_VI: Record<string, string> = {
  'console.login': 'Đăng nhập bảng điều khiển',
  'console.logout': 'Đăng xuất',
  'console.login_failed': 'Đăng nhập sai',
  'console.login_throttled': 'Đăng nhập bị chặn tạm thời',
  'console.first_admin': 'Tạo quản trị viên đầu tiên',
  'user.create': 'Thêm người dùng',
  'user.disable': 'Khóa người dùng',
  'user.reset_password': 'Đặt lại mật khẩu',
  'apikey.create': 'Tạo khóa API',
  'apikey.revoke': 'Thu hồi khóa API',
  'units.upsert': 'Tải lên đơn vị',
  'units.update': 'Sửa đơn vị',
  'unit-groups.upsert': 'Lưu nhóm đơn vị',
  'queue.retry_failed': 'Chạy lại việc lỗi của hàng đợi',
  'round.create': 'Tạo đợt khảo sát',
  'round.update': 'Sửa đợt khảo sát',
  'round.frame': 'Tải lên khung mẫu',
  'invitations.bulk': 'Gửi lời mời hàng loạt',
  'invitation.resend': 'Gửi lại lời mời',
  'invitation.cancel': 'Hủy lời mời',
  'report.download': 'Tải báo cáo',
  'microdata.download': 'Tải dữ liệu vi mô',
  'procedures.upsert': 'Tải lên thủ tục',
  'sandbox.purge': 'Xóa dữ liệu thử',
};

/** Keys never shown even if a detail held one by mistake (the log is meant to hold none). */
const SECRET_KEY = /password|secret|token|hash|^key$/i;

function detailValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.length ? v.map(detailValue).join(', ') : '—';
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** An entry's details as "key: value" lines, nested objects flattened with dots. */
export function detailLines(details: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(details).flatMap(([k, v]) => {
    if (SECRET_KEY.test(k)) return [];
    if (v && typeof v === 'object' && !Array.isArray(v)) return detailLines(v as Record<string, unknown>, `${prefix}${k}.`);
    return [`${prefix}${k}: ${detailValue(v)}`];
  });
}

/** `/admin/audit`: filters (actor, action, day range), the entries newest first, and a link to older ones. */
export function AuditPage({
  frame,
  entries,
  actorNames,
  filter,
  olderHref,
  newestHref,
  error,
}: {
  frame: PageFrame;
  entries: AuditEntry[];
  actorNames: Map<string, string>;
  filter: AuditFilterForm;
  olderHref?: string | undefined;
  newestHref?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <Layout title="Nhật ký" frame={frame}>
      <Flash error={error} />
      <form method="get" action="/admin/audit" class="filters" role="search" aria-label="Lọc nhật ký">
        <div class="field">
          <label for="f-actor">Người thực hiện (tên đăng nhập, tên khóa API hoặc mã)</label>
          <input id="f-actor" name="actor" type="text" autocomplete="off" value={filter.actor} />
        </div>
        <div class="field">
          <label for="f-action">Hành động (mã, ví dụ apikey.create)</label>
          <input id="f-action" name="action" type="text" autocomplete="off" list="audit-actions" value={filter.action} />
          <datalist id="audit-actions">
            {Object.entries(ACTION_VI).map(([code, label]) => (
              <option value={code} safe>
                {label}
              </option>
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="f-from">Từ ngày (dd/mm/yyyy)</label>
          <input id="f-from" name="from" type="text" inputmode="numeric" autocomplete="off" placeholder="dd/mm/yyyy" value={filter.from} />
        </div>
        <div class="field">
          <label for="f-to">Đến ngày (dd/mm/yyyy)</label>
          <input id="f-to" name="to" type="text" inputmode="numeric" autocomplete="off" placeholder="dd/mm/yyyy" value={filter.to} />
        </div>
        <div class="field admin-filter-actions">
          <button type="submit">Lọc</button> <a href="/admin/audit">Bỏ lọc</a>
        </div>
      </form>
      <TableWrap label="Các mục nhật ký">
        <table class="audit">
          <caption>{entries.length ? `Nhật ký, mới nhất trước (${entries.length} mục trên trang này)` : 'Không có mục nào khớp bộ lọc'}</caption>
          <thead>
            <tr>
              <th scope="col">Thời điểm</th>
              <th scope="col">Người thực hiện</th>
              <th scope="col">Hành động</th>
              <th scope="col">Chi tiết</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const lines = detailLines(e.details);
              return (
                <tr>
                  <td class="nowrap" data-label="Thời điểm">{formatDateTime(e.at)}</td>
                  <td data-label="Người thực hiện" safe>{actorNames.get(e.actor) ?? e.actor}</td>
                  <td data-label="Hành động">
                    {ACTION_VI[e.action] ? (
                      <>
                        <span safe>{ACTION_VI[e.action]!}</span>
                        <br />
                        <code safe>{e.action}</code>
                      </>
                    ) : (
                      <code safe>{e.action}</code>
                    )}
                  </td>
                  <td data-label="Chi tiết">
                    {lines.length ? (
                      <ul class="audit-details">
                        {lines.map((l) => (
                          <li safe>{l}</li>
                        ))}
                      </ul>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <p class="pager">
        {newestHref ? <a href={newestHref}>← Mới nhất</a> : ''}
        {olderHref ? <a href={olderHref}>Cũ hơn →</a> : ''}
      </p>
    </Layout>
  );
}
