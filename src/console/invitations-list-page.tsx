import { formatDateTime } from './format-vi.js';
import { CHANNEL_VI, INVITATION_STATUS_VI } from './invitation-labels-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';
import { ErrorLine } from './error-line.js';

/** The filters as typed (kept in the form and in the "next page" link). */
export type InvitationFilters = { q?: string; round?: string; unit?: string; status?: string; from?: string; to?: string };
export const FILTER_NAMES = ['q', 'round', 'unit', 'status', 'from', 'to'] as const;

export type InvitationRow = {
  id: string;
  code: string;
  dossierCode: string | null;
  unitCode: string;
  round: string | null;
  channel: string;
  status: string;
  createdAt: Date;
};

export type ListPageProps = {
  frame: PageFrame;
  filters: InvitationFilters;
  rounds: { code: string; name: string }[];
  units: { code: string; name: string }[];
  rows: InvitationRow[];
  nextHref: string | null;
  firstHref: string | null;
  error?: string;
};

function Select({ id, label, value, options }: { id: string; label: string; value?: string; options: { value: string; text: string }[] }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        <option value="">Tất cả</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value} safe>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

function TextField({ id, label, value, hint }: { id: string; label: string; value?: string; hint?: string }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={id} type="text" value={value ?? ''} autocomplete="off" placeholder={hint} />
    </div>
  );
}

/** `/invitations`: search and filters (a GET form), the page of invitations, and "Trang sau". */
export function InvitationsListPage({ frame, filters, rounds, units, rows, nextHref, firstHref, error }: ListPageProps) {
  return (
    <Layout title="Thư mời" frame={frame}>
      <p class="actions">
        <a href="/invitations/new" class="button">
          Tạo thư mời
        </a>
        <a href="/invitations/bulk" class="button secondary">
          Tải lên danh sách (CSV)
        </a>
      </p>
      <form method="get" action="/invitations" class="filters" role="search" aria-label="Tìm thư mời">
        <TextField id="q" label="Mã ngắn hoặc mã hồ sơ" value={filters.q} />
        <Select id="round" label="Đợt khảo sát" value={filters.round} options={rounds.map((r) => ({ value: r.code, text: `${r.name} (${r.code})` }))} />
        <Select id="unit" label="Đơn vị" value={filters.unit} options={units.map((u) => ({ value: u.code, text: `${u.name} (${u.code})` }))} />
        <Select id="status" label="Trạng thái" value={filters.status} options={Object.entries(INVITATION_STATUS_VI).map(([value, text]) => ({ value, text }))} />
        <TextField id="from" label="Từ ngày (dd/mm/yyyy)" value={filters.from} hint="dd/mm/yyyy" />
        <TextField id="to" label="Đến ngày (dd/mm/yyyy)" value={filters.to} hint="dd/mm/yyyy" />
        <div class="field filter-submit">
          <button type="submit">Tìm</button>
        </div>
      </form>
      <ErrorLine message={error} />
      {rows.length === 0 ? (
        <p>Không có thư mời nào khớp với bộ lọc.</p>
      ) : (
        <TableWrap label="Danh sách thư mời">
          <table>
            <caption>Danh sách thư mời (mới nhất trước)</caption>
            <thead>
              <tr>
                <th scope="col">Mã ngắn</th>
                <th scope="col">Mã hồ sơ</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Đợt</th>
                <th scope="col">Kênh</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Ngày tạo</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/invitations/${r.id}`} safe>
                      {r.code}
                    </a>
                  </td>
                  <td safe>{r.dossierCode ?? '—'}</td>
                  <td safe>{r.unitCode}</td>
                  <td safe>{r.round ?? '—'}</td>
                  <td safe>{CHANNEL_VI[r.channel] ?? r.channel}</td>
                  <td safe>{INVITATION_STATUS_VI[r.status] ?? r.status}</td>
                  <td safe>{formatDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {firstHref || nextHref ? (
        <nav class="pager" aria-label="Phân trang">
          {firstHref ? <a href={firstHref}>Trang đầu</a> : ''}
          {nextHref ? (
            <a href={nextHref} rel="next">
              Trang sau
            </a>
          ) : (
            ''
          )}
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}
