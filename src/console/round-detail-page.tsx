import type { ProgressCounts, RoundProgress } from '../rounds/round-progress.js';
import type { RoundWithQuotas } from '../rounds/round-store.js';
import type { FrameUploadResult } from '../sampling/upload-frame.js';
import { formatDay, formatNumber, formatPercent } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { frameRejectionVi } from './round-errors-vi.js';
import type { RoundFormValues } from './round-form.js';
import { onQuotaFullVi, RoundFields } from './round-form-fields.js';
import { roundStatusVi } from './rounds-page.js';
import { TableWrap } from './table-wrap.js';

export type RoundDetail = {
  round: RoundWithQuotas;
  progress: RoundProgress;
  /** Unit-group code → its label. */
  groupLabels: Map<string, string>;
  /** Units whose counter poster the user may open. */
  posterUnits: Set<string>;
  chart: string | null;
  today: string;
};

export type RoundDetailState = {
  notice?: string;
  editErrors?: string[];
  edit?: RoundFormValues;
  frameErrors?: string[];
  frameResult?: FrameUploadResult;
};

const rate = (r: number | null) => (r === null ? '—' : formatPercent(r));
const met = (m: boolean) => (m ? 'Đạt' : 'Chưa đạt');

const COUNT_COLUMNS: { key: keyof ProgressCounts; label: string }[] = [
  { key: 'target', label: 'Chỉ tiêu' },
  { key: 'invited', label: 'Đã mời' },
  { key: 'sent', label: 'Đã gửi' },
  { key: 'opened', label: 'Đã mở' },
  { key: 'started', label: 'Đã bắt đầu' },
  { key: 'completed', label: 'Hoàn thành' },
  { key: 'undeliverable', label: 'Không gửi được' },
  { key: 'optedOut', label: 'Từ chối nhận' },
];

function Counts({ c }: { c: ProgressCounts }) {
  return (
    <>
      {COUNT_COLUMNS.map((col) => (
        <td class="num">{formatNumber(c[col.key])}</td>
      ))}
    </>
  );
}

/** Progress per unit, a subtotal per unit group and the round's total, as `roundProgress` gives them. */
function ProgressTable({ d }: { d: RoundDetail }) {
  const p = d.progress;
  const caption = 'Tiến độ theo đơn vị';
  return (
    <TableWrap label={caption}>
      <table class="progress-table">
        <caption>{`${caption} (tỷ lệ hoàn thành = phiếu hoàn thành từ lời mời / lời mời đã gửi)`}</caption>
        <thead>
          <tr>
            <th scope="col">Đơn vị</th>
            {COUNT_COLUMNS.map((c) => (
              <th scope="col" class="num">
                {c.label}
              </th>
            ))}
            <th scope="col" class="num">
              Tỷ lệ hoàn thành
            </th>
            <th scope="col">Đạt chỉ tiêu</th>
            <th scope="col">Mã QR tại quầy</th>
          </tr>
        </thead>
        {p.groups.map((g) => (
          <tbody>
            {p.units
              .filter((u) => u.group === g.group)
              .map((u) => (
                <tr>
                  <th scope="row" safe>
                    {`${u.unitName} (${u.unitCode})`}
                  </th>
                  <Counts c={u} />
                  <td class="num">{rate(u.completionRate)}</td>
                  <td>{met(u.quotaMet)}</td>
                  <td>
                    {d.posterUnits.has(u.unitCode) ? (
                      <a href={`/counter-qr/${encodeURIComponent(u.unitCode)}`} aria-label={`Mã QR tại quầy của ${u.unitName}`}>
                        Mã QR
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            <tr class="subtotal">
              <th scope="row" safe>
                {`Cộng nhóm: ${d.groupLabels.get(g.group) ?? g.group} (${formatNumber(g.unitsWithQuotaMet)}/${formatNumber(g.units)} đơn vị đạt)`}
              </th>
              <Counts c={g} />
              <td class="num">{rate(g.completionRate)}</td>
              <td>{met(g.quotaMet)}</td>
              <td></td>
            </tr>
          </tbody>
        ))}
        <tfoot>
          <tr>
            <th scope="row">{`Tổng cả đợt (${formatNumber(p.total.unitsWithQuotaMet)}/${formatNumber(p.total.units)} đơn vị đạt)`}</th>
            <Counts c={p.total} />
            <td class="num">{rate(p.total.completionRate)}</td>
            <td>{met(p.total.quotaMet)}</td>
            <td></td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}

/** The chart's figures: per unit when few, else per unit group (the chart shows the same). */
export function chartRows(d: Pick<RoundDetail, 'progress' | 'groupLabels'>): { label: string; target: number; completed: number }[] {
  const p = d.progress;
  return p.units.length <= 20
    ? p.units.map((u) => ({ label: u.unitName, target: u.target, completed: u.completed }))
    : p.groups.map((g) => ({ label: d.groupLabels.get(g.group) ?? g.group, target: g.target, completed: g.completed }));
}

function ChartWithTable({ d }: { d: RoundDetail }) {
  const rows = chartRows(d);
  const caption = 'Phiếu hoàn thành so với chỉ tiêu';
  return (
    <div class="chart-pair">
      {d.chart ? <figure class="chart">{d.chart}</figure> : ''}
      <TableWrap label={caption}>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{d.progress.units.length <= 20 ? 'Đơn vị' : 'Nhóm đơn vị'}</th>
              <th scope="col" class="num">
                Chỉ tiêu
              </th>
              <th scope="col" class="num">
                Hoàn thành
              </th>
              <th scope="col" class="num">
                Tỷ lệ
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row" safe>
                  {r.label}
                </th>
                <td class="num">{formatNumber(r.target)}</td>
                <td class="num">{formatNumber(r.completed)}</td>
                <td class="num">{r.target > 0 ? formatPercent(r.completed / r.target) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}

function FrameResult({ r }: { r: FrameUploadResult }) {
  return (
    <section class="frame-result" aria-labelledby="frame-result">
      <h3 id="frame-result">Kết quả tải danh sách hồ sơ</h3>
      <p role="status">{`Đã đọc ${formatNumber(r.rows)} dòng: nhận ${formatNumber(r.accepted)} (thêm mới ${formatNumber(r.added)}), loại ${formatNumber(r.rejected.length)}.`}</p>
      <p>
        Hạt giống rút mẫu: <code safe>{r.seed}</code>
        {` · cỡ mẫu: ${r.size === 'yamane' ? 'công thức Yamane' : 'bằng chỉ tiêu'} · ${formatNumber(r.waves)} đợt gửi.`}
      </p>
      <TableWrap label="Cỡ mẫu theo đơn vị">
        <table>
          <caption>Cỡ mẫu theo đơn vị</caption>
          <thead>
            <tr>
              <th scope="col">Đơn vị</th>
              <th scope="col" class="num">Chỉ tiêu</th>
              <th scope="col" class="num">Hồ sơ hợp lệ</th>
              <th scope="col" class="num">Cỡ mẫu</th>
              <th scope="col" class="num">Đã rút</th>
              <th scope="col" class="num">Rút lần này</th>
            </tr>
          </thead>
          <tbody>
            {r.units.map((u) => (
              <tr>
                <th scope="row" safe>
                  {u.unitCode}
                </th>
                <td class="num">{formatNumber(u.target)}</td>
                <td class="num">{formatNumber(u.eligible)}</td>
                <td class="num">{formatNumber(u.sampleSize)}</td>
                <td class="num">{formatNumber(u.drawn)}</td>
                <td class="num">{formatNumber(u.drawnNow)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {r.rejected.length ? (
        <TableWrap label="Các dòng bị loại" tall>
          <table>
            <caption>{`Các dòng bị loại (${formatNumber(r.rejected.length)})`}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Dòng</th>
                <th scope="col">Lý do</th>
              </tr>
            </thead>
            <tbody>
              {r.rejected.slice(0, 1000).map((x) => (
                <tr>
                  <td class="num">{formatNumber(x.row)}</td>
                  <td safe>{frameRejectionVi(x)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        ''
      )}
    </section>
  );
}

function ErrorList({ errors }: { errors?: string[] }) {
  if (!errors?.length) return '';
  return (
    <div class="error" role="alert">
      <ul>
        {errors.map((e) => (
          <li safe>{e}</li>
        ))}
      </ul>
    </div>
  );
}

/** Officers and administrators send the sampling frame: a CSV export of completed dossiers. */
function FrameForm({ frame, code }: { frame: PageFrame; code: string }) {
  return (
    <form method="post" action={`/rounds/${encodeURIComponent(code)}/frame`} enctype="multipart/form-data" class="stack narrow-form">
      <input type="hidden" name="_csrf" value={frame.csrf} />
      <label for="frame-file">Tệp CSV hồ sơ đã hoàn thành (Mã đơn vị, Mã hồ sơ, Ngày hoàn thành, Mã Telegram / Mã Zalo / Số điện thoại…)</label>
      <input id="frame-file" name="frame" type="file" accept=".csv,text/csv" required />
      <label for="frame-size">Cỡ mẫu</label>
      <select id="frame-size" name="size">
        <option value="quota">Bằng chỉ tiêu của đơn vị</option>
        <option value="yamane">Công thức Yamane (sai số 5%)</option>
      </select>
      <label for="frame-waves">Số đợt gửi lời mời</label>
      <input id="frame-waves" name="waves" type="text" inputmode="numeric" value="1" />
      <label for="frame-seed">Hạt giống rút mẫu (để trống: tự tạo)</label>
      <input id="frame-seed" name="seed" type="text" autocomplete="off" />
      <button type="submit">Tải lên và rút mẫu</button>
    </form>
  );
}

/** `/rounds/:code`: the round, its progress (chart and table) and, by role, the forms to edit it and send its frame. */
export function RoundDetailPage({ frame, d, state }: { frame: PageFrame; d: RoundDetail; state: RoundDetailState }) {
  const r = d.round;
  const role = frame.user.role;
  const status = roundStatusVi({ closed: r.closedAt !== null, open: d.progress.open, opensOn: r.opensOn }, d.today);
  return (
    <Layout title={`${r.name} (${r.code})`} frame={frame}>
      <p>
        <a href="/rounds">← Danh sách đợt khảo sát</a>
      </p>
      {state.notice ? (
        <p class="notice" role="status" safe>
          {state.notice}
        </p>
      ) : (
        ''
      )}
      <dl class="round-facts">
        <dt>Mã đợt</dt>
        <dd safe>{r.code}</dd>
        <dt>Bộ câu hỏi</dt>
        <dd safe>{`${r.questionnaire.code} (phiên bản ${r.questionnaire.version})`}</dd>
        <dt>Thời gian</dt>
        <dd>{`${formatDay(r.opensOn)} – ${formatDay(r.closesOn)}`}</dd>
        <dt>Trạng thái</dt>
        <dd>{`${status}${d.progress.open ? `, còn ${formatNumber(d.progress.daysLeft)} ngày` : ''}`}</dd>
        <dt>Hồ sơ được khảo sát</dt>
        <dd>{r.eligibleFrom || r.eligibleTo ? `hoàn thành ${r.eligibleFrom ? `từ ${formatDay(r.eligibleFrom)} ` : ''}${r.eligibleTo ? `đến ${formatDay(r.eligibleTo)}` : ''}` : 'không giới hạn ngày hoàn thành'}</dd>
        <dt>Khi đạt chỉ tiêu</dt>
        <dd>{onQuotaFullVi(r.onQuotaFull)}</dd>
        {r.sampleSeed && role !== 'viewer' ? (
          <>
            <dt>Hạt giống rút mẫu</dt>
            <dd>
              <code safe>{r.sampleSeed}</code>
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <h2>Tiến độ</h2>
      {d.progress.units.length === 0 ? (
        <p>Đợt này chưa có đơn vị nào trong phạm vi của bạn.</p>
      ) : (
        <>
          <ChartWithTable d={d} />
          <ProgressTable d={d} />
        </>
      )}
      {role === 'admin' || role === 'officer' ? (
        <>
          <h2>Danh sách hồ sơ để rút mẫu</h2>
          {state.frameResult ? <FrameResult r={state.frameResult} /> : ''}
          <ErrorList errors={state.frameErrors} />
          {r.closedAt ? <p>Đợt đã đóng: không nhận thêm danh sách hồ sơ.</p> : <FrameForm frame={frame} code={r.code} />}
        </>
      ) : (
        ''
      )}
      {role === 'admin' ? (
        <>
          <h2 id="edit-round">Sửa đợt khảo sát</h2>
          <form method="post" action={`/rounds/${encodeURIComponent(r.code)}`} class="stack narrow-form round-form" aria-labelledby="edit-round">
            <input type="hidden" name="_csrf" value={frame.csrf} />
            <RoundFields v={state.edit!} mode="edit" closed={r.closedAt !== null} errors={state.editErrors} />
            <button type="submit">Lưu thay đổi</button>
          </form>
          {r.closedAt ? (
            ''
          ) : (
            <>
              <h2 id="close-round">Kết thúc sớm</h2>
              <form method="post" action={`/rounds/${encodeURIComponent(r.code)}/close`} class="stack narrow-form" aria-labelledby="close-round">
                <input type="hidden" name="_csrf" value={frame.csrf} />
                <p>Đợt sẽ đóng ngay hôm nay: không gửi thêm lời mời; hồ sơ chưa rút mẫu bị xoá.</p>
                <button type="submit" class="danger">
                  Kết thúc đợt ngay
                </button>
              </form>
            </>
          )}
        </>
      ) : (
        ''
      )}
    </Layout>
  );
}
