import { annexTable, type AnnexRow } from '../export/annex-table.js';
import { annexPeriodLine } from '../export/annex-titles.js';
import { nodeHeader } from '../export/xlsx-summary-sheet.js';
import { DEFAULT_QUESTIONNAIRE_CODE } from '../questionnaire/questionnaire-catalog.js';
import { shownIndex } from '../scoring/rank-units.js';
import type { IndexReport } from '../scoring/report-schema.js';
import type { UserRole } from '../users/user-schema.js';
import { formatDay, formatNumber } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { rankingsHref, type RankingsFilters } from './rankings-query.js';
import { TableWrap } from './table-wrap.js';
import { ErrorLine } from './error-line.js';

/** What the filter form offers. */
export type RankingsOptions = {
  questionnaires: { ref: string; title: string }[];
  rounds: { code: string; name: string; opensOn: Date; closesOn: Date }[];
  groups: { code: string; label: string }[];
  /** The latest ended period's name, as an example of what to type. */
  periodExample: string;
};

/** An index as published: 2 decimals (rounded half up as the exports round), decimal comma. */
const pct = (v: number | null) => (v === null ? '—' : formatNumber(shownIndex(v), 2));
const count = (v: number | null) => (v === null ? '—' : formatNumber(v));

function Figures({ row, withNote }: { row: AnnexRow; withNote: boolean }) {
  const hide = row.withheld;
  return (
    <>
      <td class="num">{hide ? '—' : count(row.responses)}</td>
      {row.columns.map((c) => (
        <td class="num">{hide ? '—' : pct(c)}</td>
      ))}
      <td class="num index">{hide ? '—' : pct(row.index)}</td>
      <td class="num">{row.rank === null ? '' : formatNumber(row.rank)}</td>
      {withNote ? <td safe>{row.note}</td> : ''}
    </>
  );
}

/** The annex table as provinces publish it: a section per unit group (its total on the section row), its units ranked within it, the province total. */
function AnnexTableView({ report }: { report: IndexReport }) {
  const table = annexTable(report);
  const withNote = table.rows.some((r) => r.note !== '');
  const separately = new Set(report.groups.filter((g) => g.rankSeparately).map((g) => g.group));
  const sections = report.groups.map((g) => ({ group: g, rows: table.rows.filter((r) => r.kind !== 'province' && r.section === g.section) }));
  const province = table.rows.find((r) => r.kind === 'province');
  const caption = 'Bảng xếp hạng chỉ số hài lòng theo nhóm đơn vị';
  return (
    <TableWrap label={caption}>
      <table class="rankings">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">STT</th>
            <th scope="col">Tên đơn vị</th>
            <th scope="col" class="num">Số phiếu hợp lệ</th>
            {table.columns.map((n) => (
              <th scope="col" class="num node" safe>
                {nodeHeader(n)}
              </th>
            ))}
            <th scope="col" class="num">Chỉ số SIPAS (%)</th>
            <th scope="col" class="num">Xếp hạng trong nhóm</th>
            {withNote ? <th scope="col">Ghi chú</th> : ''}
          </tr>
        </thead>
        {sections.map(({ group, rows }) => (
          <tbody>
            {rows.map((row) =>
              row.kind === 'group' ? (
                <tr class="section">
                  <td class="num" safe>
                    {row.section}
                  </td>
                  <th scope="row" safe>
                    {`${row.section}. ${row.name}${separately.has(group.group) ? ' (xếp hạng riêng)' : ''}`}
                  </th>
                  <Figures row={row} withNote={withNote} />
                </tr>
              ) : (
                <tr>
                  <td class="num">{row.stt === null ? '' : formatNumber(row.stt)}</td>
                  <th scope="row" class="unit" safe>
                    {row.name}
                  </th>
                  <Figures row={row} withNote={withNote} />
                </tr>
              ),
            )}
          </tbody>
        ))}
        {province ? (
          <tfoot>
            <tr class="province">
              <td></td>
              <th scope="row" safe>
                {province.name}
              </th>
              <Figures row={province} withNote={withNote} />
            </tr>
          </tfoot>
        ) : (
          ''
        )}
      </table>
    </TableWrap>
  );
}

function FilterForm({ filters, options, role }: { filters: RankingsFilters; options: RankingsOptions; role: UserRole }) {
  // A GET form (bookmarkable, works without JavaScript); it changes nothing, so it carries no CSRF token (that would leak into URLs).
  return (
    <form method="get" action="/rankings" class="filters">
      <div class="field">
        <label for="f-questionnaire">Bộ câu hỏi</label>
        <select id="f-questionnaire" name="questionnaire">
          <option value="">{`Mặc định (${DEFAULT_QUESTIONNAIRE_CODE}, phiên bản mới nhất)`}</option>
          {options.questionnaires.map((q) => (
            <option value={q.ref} selected={filters.questionnaire === q.ref} safe>
              {`${q.title} (${q.ref})`}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-round">Đợt khảo sát</label>
        <select id="f-round" name="round">
          <option value="">Không chọn đợt</option>
          {options.rounds.map((r) => (
            <option value={r.code} selected={filters.round === r.code} safe>
              {`${r.name} (${formatDay(r.opensOn)}–${formatDay(r.closesOn)})`}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-period">{`Kỳ báo cáo (ví dụ ${options.periodExample}; để trống: kỳ gần nhất đã kết thúc)`}</label>
        <input id="f-period" name="period" type="text" autocomplete="off" value={filters.period ?? ''} />
      </div>
      {role === 'admin' ? (
        <>
          <div class="field">
            <label for="f-from">Từ ngày (dd/mm/yyyy)</label>
            <input id="f-from" name="from" type="text" inputmode="numeric" autocomplete="off" placeholder="dd/mm/yyyy" value={filters.from ?? ''} />
          </div>
          <div class="field">
            <label for="f-to">Đến ngày (dd/mm/yyyy)</label>
            <input id="f-to" name="to" type="text" inputmode="numeric" autocomplete="off" placeholder="dd/mm/yyyy" value={filters.to ?? ''} />
          </div>
        </>
      ) : (
        ''
      )}
      <div class="field">
        <label for="f-group">Nhóm đơn vị</label>
        <select id="f-group" name="group">
          <option value="">Tất cả nhóm</option>
          {options.groups.map((g) => (
            <option value={g.code} selected={filters.group === g.code} safe>
              {g.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field actions">
        <button type="submit">Xem xếp hạng</button>
      </div>
    </form>
  );
}

function Downloads({ filters, role }: { filters: RankingsFilters; role: UserRole }) {
  return (
    <section aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">Tải xuống</h2>
      <ul class="downloads">
        <li>
          <a href={rankingsHref('/rankings/download', filters, { format: 'xlsx' })}>
            Phụ lục xếp hạng (Excel .xlsx)
          </a>
        </li>
        <li>
          <a href={rankingsHref('/rankings/download', filters, { format: 'csv', locale: 'vi' })}>
            Bảng phụ lục (CSV, dấu phẩy thập phân)
          </a>
        </li>
        <li>
          <a href={rankingsHref('/rankings/download', filters, { format: 'json' })}>Số liệu báo cáo (JSON)</a>
        </li>
        {role === 'admin' ? (
          <>
            <li>
              <a href={rankingsHref('/rankings/microdata', filters, { format: 'xlsx' })}>
                Dữ liệu vi mô ẩn danh (Excel .xlsx, chỉ quản trị viên)
              </a>
            </li>
            <li>
              <a href={rankingsHref('/rankings/microdata', filters, { format: 'csv' })}>
                Dữ liệu vi mô ẩn danh (CSV, chỉ quản trị viên)
              </a>
            </li>
          </>
        ) : (
          ''
        )}
      </ul>
    </section>
  );
}

/** `/rankings`: the filter form, then the annex (or why it cannot be shown) and its downloads. */
export function RankingsPage(props: { frame: PageFrame; filters: RankingsFilters; shown: RankingsFilters; options: RankingsOptions; report?: IndexReport; error?: string }) {
  const { frame, filters, shown, options, report, error } = props;
  const role = frame.user.role;
  return (
    <Layout title="Xếp hạng" frame={{ ...frame, path: '/rankings' }}>
      <FilterForm filters={filters} options={options} role={role} />
      <ErrorLine message={error} />
      {report ? (
        <section aria-labelledby="annex-heading">
          <h2 id="annex-heading" safe>
            {annexPeriodLine(report)}
          </h2>
          <p class="muted" safe>
            {`${report.questionnaire.title} (${report.questionnaire.code}@${report.questionnaire.version}). Chỉ số tính theo phần trăm, làm tròn 2 chữ số thập phân; đơn vị xếp hạng trong nhóm của mình. Đơn vị dưới ${formatNumber(report.minCell)} phiếu được ẩn số liệu.`}
          </p>
          <AnnexTableView report={report} />
          <Downloads filters={shown} role={role} />
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** A download that could not be made: why, and the way back to the page with the same filters. */
export function RankingsDownloadError({ frame, filters, message }: { frame: PageFrame; filters: RankingsFilters; message: string }) {
  return (
    <Layout title="Không tải được tệp" frame={{ ...frame, path: '/rankings' }}>
      <p class="error" role="alert" safe>
        {message}
      </p>
      <p>
        <a href={rankingsHref('/rankings', filters)}>Quay lại trang xếp hạng</a>
      </p>
    </Layout>
  );
}
