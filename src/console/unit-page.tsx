import { suppressionNote } from '../export/xlsx-summary-sheet.js';
import type { ProcedureReport } from '../scoring/procedure-report-schema.js';
import type { Interval, ReportNode, UnitReport } from '../scoring/report-schema.js';
import type { IndexChange } from '../scoring/trend-schema.js';
import { formatDay, formatNumber } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';
import { elementsOf, type UnitCharts } from './unit-charts.js';
import type { ShareQuestion, UnitPageData, UnitResults } from './unit-data.js';
import { ErrorLine } from './error-line.js';

const DASH = '—';
const pct = (v: number | null | undefined) => (v === null || v === undefined ? DASH : `${formatNumber(v, 2)}%`);
const ci = (i: Interval | null | undefined) => (i ? `${formatNumber(i.low, 2)}–${formatNumber(i.high, 2)}%` : DASH);
const count = (n: number | null | undefined) => (n === null || n === undefined ? DASH : formatNumber(n));
const KIND_VI = { field: 'Lĩnh vực', element: 'Yếu tố', criterion: 'Tiêu chí' } as const;

function Chart({ svg }: { svg: string | null | undefined }) {
  return svg ? <figure class="chart">{svg}</figure> : '';
}

/** The tree, parents before children, with each row's depth (fields 0, elements 0 or 1, criteria one deeper). */
function treeRows(nodes: ReportNode[], depth = 0): { node: ReportNode; depth: number }[] {
  return nodes.flatMap((n) => [{ node: n, depth }, ...treeRows(n.children ?? [], depth + 1)]);
}

function SelectionForm({ data }: { data: UnitPageData }) {
  const s = data.selection;
  return (
    <form method="get" action={`/units/${encodeURIComponent(data.unit.code)}`} class="unit-select">
      <div class="field">
        <label for="round">Đợt khảo sát</label>
        <select id="round" name="round">
          <option value="" selected={!s.round}>
            Theo kỳ báo cáo
          </option>
          {data.rounds.map((r) => (
            <option value={r.code} selected={r.code === s.round} safe>
              {`${r.name} (${r.code})`}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="questionnaire">Bộ câu hỏi (khi xem theo kỳ)</label>
        <select id="questionnaire" name="questionnaire">
          {data.questionnaires.codes.map((c) => (
            <option value={c} selected={c === (s.questionnaire || data.questionnaires.fallback)} safe>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="period">{`Kỳ báo cáo (${{ year: 'năm, ví dụ 2025', quarter: 'quý, ví dụ 2026-Q3', month: 'tháng, ví dụ 2026-11' }[data.granularity]})`}</label>
        <input type="text" id="period" name="period" value={s.period} aria-describedby="period-hint" autocomplete="off" />
        <p id="period-hint" class="muted">
          Để trống cả hai: kỳ đã kết thúc gần nhất.
        </p>
      </div>
      <button type="submit">Xem</button>
    </form>
  );
}

function SuppressedNote({ unit, minCell }: { unit: UnitReport; minCell: number }) {
  return (
    <p class="notice" safe>
      {`${suppressionNote(unit, minCell)}. Các ô “${DASH}” là số liệu không công bố.`}
    </p>
  );
}

function IndexSection({ r, charts }: { r: UnitResults; charts: UnitCharts }) {
  const u = r.unit;
  if (!u) return <p>Đơn vị không có phiếu nào trong kỳ này.</p>;
  return (
    <>
      {u.suppressed ? <SuppressedNote unit={u} minCell={r.report.minCell} /> : ''}
      <div class="cards">
        <div class="card">
          <p class="muted">Chỉ số chung</p>
          <p class="value">{pct(u.index)}</p>
          <p class="muted">{`Khoảng tin cậy 95%: ${ci(u.ci)}`}</p>
        </div>
        <div class="card">
          <p class="muted">Phiếu được tính</p>
          <p class="value">{count(u.responses)}</p>
          <p class="muted">{`Tối thiểu để công bố: ${formatNumber(r.report.minCell)} phiếu`}</p>
        </div>
        <div class="card">
          <p class="muted">Xếp hạng trong nhóm</p>
          <p class="value">{count(u.rank)}</p>
          <p class="muted">{`Toàn tỉnh: ${count(u.overallRank)}`}</p>
        </div>
      </div>
      <h3>Chỉ số theo yếu tố</h3>
      <div class="chart-pair even">
        <Chart svg={charts.elements} />
        <TableWrap label="Chỉ số theo yếu tố">
          <table>
            <caption>Chỉ số theo yếu tố</caption>
            <thead>
              <tr>
                <th scope="col">Yếu tố</th>
                <th scope="col" class="num">Chỉ số</th>
                <th scope="col" class="num">Khoảng tin cậy 95%</th>
              </tr>
            </thead>
            <tbody>
              {elementsOf(u.nodes).map((n) => (
                <tr>
                  <th scope="row" safe>
                    {`${n.code}. ${n.title}`}
                  </th>
                  <td class="num">{pct(n.index)}</td>
                  <td class="num">{ci(n.ci)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
      <h3>Cây chỉ số đến từng tiêu chí</h3>
      <p class="muted">Số câu trả lời hợp lệ: các câu trả lời mức 1–5 (không tính “không áp dụng”); ở lĩnh vực và yếu tố là tổng của các tiêu chí bên dưới.</p>
      <TableWrap label="Cây chỉ số của đơn vị">
        <table class="index-tree">
          <caption>Chỉ số chung, lĩnh vực, yếu tố và tiêu chí</caption>
          <thead>
            <tr>
              <th scope="col">Mục</th>
              <th scope="col">Cấp</th>
              <th scope="col" class="num">Chỉ số</th>
              <th scope="col" class="num">Khoảng tin cậy 95%</th>
              <th scope="col" class="num">Số câu trả lời hợp lệ</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Chỉ số chung</th>
              <td>Chung</td>
              <td class="num">{pct(u.index)}</td>
              <td class="num">{ci(u.ci)}</td>
              <td class="num">{DASH}</td>
            </tr>
            {treeRows(u.nodes).map(({ node, depth }) => (
              <tr>
                <th scope="row" class={`indent-${Math.min(depth + 1, 3)}`} safe>
                  {`${node.code}. ${node.title}`}
                </th>
                <td>{KIND_VI[node.kind]}</td>
                <td class="num">{pct(node.index)}</td>
                <td class="num">{ci(node.ci)}</td>
                <td class="num">{count(node.n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

const change = (c: IndexChange | null) => (c?.change === null || c?.change === undefined ? DASH : `${c.change > 0 ? '+' : ''}${formatNumber(c.change, 2)} điểm`);
const significance = (c: IndexChange | null) => (c?.significant === null || c?.significant === undefined ? DASH : c.significant ? 'Có' : 'Không');

function TrendSection({ data, charts }: { data: UnitPageData; charts: UnitCharts }) {
  const t = data.trend;
  return (
    <section aria-labelledby="trend-heading">
      <h2 id="trend-heading">Xu hướng qua các đợt khảo sát</h2>
      {t.length === 0 ? (
        <p>Chưa có đợt khảo sát nào để so sánh.</p>
      ) : (
        <>
          {charts.trend ? '' : <p class="muted">Cần chỉ số của ít nhất hai đợt để vẽ xu hướng.</p>}
          <div class="chart-pair stacked">
            <Chart svg={charts.trend} />
            <TableWrap label="Chỉ số chung qua các đợt">
              <table class="trend-table">
                <caption>Chỉ số chung qua các đợt</caption>
                <thead>
                  <tr>
                    <th scope="col">Đợt</th>
                    <th scope="col" class="num">Phiếu</th>
                    <th scope="col" class="num">Chỉ số</th>
                    <th scope="col" class="num">Khoảng tin cậy 95%</th>
                    <th scope="col" class="num">So với đợt trước</th>
                    <th scope="col">Khác biệt có ý nghĩa</th>
                  </tr>
                </thead>
                <tbody>
                  {t.map((p) => (
                    <tr>
                      <th scope="row">
                        <span safe>{`${p.round.name} (${p.round.code})`}</span>
                        <br />
                        <span class="muted">{`${formatDay(p.round.opensOn)} – ${formatDay(p.round.closesOn)}`}</span>
                      </th>
                      <td class="num">{count(p.responses)}</td>
                      <td class="num">{pct(p.index)}</td>
                      <td class="num">{ci(p.ci)}</td>
                      <td class="num">{change(p.change)}</td>
                      <td>{significance(p.change)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </div>
          <p class="muted">{`“${DASH}”: chưa đủ phiếu để công bố (dưới ${formatNumber(data.results?.report.minCell ?? 0)} phiếu hoặc ẩn bổ sung) hoặc không có phiếu. Khác biệt có ý nghĩa: thay đổi lớn hơn sai số ở độ tin cậy 95%.`}</p>
        </>
      )}
    </section>
  );
}

function ProceduresSection({ p }: { p: ProcedureReport }) {
  const hidden = p.rows.some((r) => r.suppressed);
  return (
    <section aria-labelledby="procedures-heading">
      <h2 id="procedures-heading">Theo thủ tục hành chính</h2>
      {p.rows.length === 0 ? (
        <p>Chưa có phiếu nào trong kỳ này.</p>
      ) : (
        <>
          <TableWrap label="Chỉ số theo thủ tục hành chính">
            <table>
              <caption>Chỉ số theo thủ tục hành chính</caption>
              <thead>
                <tr>
                  <th scope="col">Thủ tục</th>
                  <th scope="col">Lĩnh vực</th>
                  <th scope="col" class="num">Phiếu</th>
                  <th scope="col" class="num">Chỉ số</th>
                  <th scope="col" class="num">Khoảng tin cậy 95%</th>
                </tr>
              </thead>
              <tbody>
                {p.rows.map((r) => (
                  <tr>
                    <th scope="row" safe>
                      {r.code && r.code !== r.name ? `${r.name} (${r.code})` : r.name}
                    </th>
                    <td safe>{r.field ?? 'Chưa phân loại'}</td>
                    <td class="num">{count(r.responses)}</td>
                    <td class="num">{pct(r.index)}</td>
                    <td class="num">{ci(r.ci)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Cả đơn vị</th>
                  <td></td>
                  <td class="num">{count(p.total.responses)}</td>
                  <td class="num">{pct(p.total.index)}</td>
                  <td class="num">{ci(p.total.ci)}</td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>
          {hidden || p.total.suppressed ? (
            <p class="muted">{`“${DASH}”: không công bố vì dưới ${formatNumber(p.minCell)} phiếu, hoặc ẩn bổ sung để không suy ra được số liệu của ô ít phiếu.`}</p>
          ) : (
            ''
          )}
        </>
      )}
    </section>
  );
}

function QuestionBlock({ q, svg }: { q: ShareQuestion; svg: string | undefined }) {
  const s = q.shares;
  const caption = `Câu ${q.code}: ${q.title}`;
  return (
    <div class="share-question">
      <h3 safe>{caption}</h3>
      <p class="muted">{`${q.role === 'expectation' ? 'Mong đợi' : 'Nhận định'} · Số người trả lời: ${count(s ? s.answered : null)}`}</p>
      <div class="chart-pair">
        <Chart svg={svg} />
        <TableWrap label={caption}>
          <table>
            <caption safe>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Phương án</th>
                <th scope="col" class="num">Số lượt chọn</th>
                <th scope="col" class="num">Tỷ lệ</th>
              </tr>
            </thead>
            <tbody>
              {s ? (
                s.shares.map((o) => (
                  <tr>
                    <th scope="row" safe>
                      {o.label}
                    </th>
                    <td class="num">{formatNumber(o.count)}</td>
                    <td class="num">{o.share === null ? DASH : `${formatNumber(o.share, 1)}%`}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <th scope="row">Mọi phương án</th>
                  <td class="num">{DASH}</td>
                  <td class="num">{DASH}</td>
                </tr>
              )}
            </tbody>
          </table>
        </TableWrap>
      </div>
    </div>
  );
}

function SharesSection({ r, charts }: { r: UnitResults; charts: UnitCharts }) {
  if (r.questions.length === 0) return '';
  const withheld = !r.unit || r.unit.suppressed;
  return (
    <section aria-labelledby="shares-heading">
      <h2 id="shares-heading">Nhận định và mong đợi của người dân</h2>
      {withheld ? (
        <p class="notice">{`Tỷ lệ lựa chọn không công bố (“${DASH}”): đơn vị chưa đủ ${formatNumber(r.report.minCell)} phiếu trong kỳ, hoặc bị ẩn bổ sung để không suy ra được số liệu của đơn vị ít phiếu.`}</p>
      ) : (
        <p class="muted">Tỷ lệ = số lượt chọn / số người trả lời câu hỏi; câu chọn nhiều phương án có thể cộng quá 100%.</p>
      )}
      {r.questions.map((q) => (
        <QuestionBlock q={q} svg={charts.shares.get(q.code)} />
      ))}
    </section>
  );
}

/** `/units/:code`: one unit's results (administrators and viewers). */
export function UnitPage({ frame, data, charts }: { frame: PageFrame; data: UnitPageData; charts: UnitCharts }) {
  const r = data.results;
  return (
    <Layout title={`Đơn vị: ${data.unit.name}`} frame={frame}>
      <p safe>{`Mã đơn vị: ${data.unit.code} · Nhóm: ${data.unit.groupLabel}${data.unit.active ? '' : ' · Đã ngừng hoạt động'}`}</p>
      <SelectionForm data={data} />
      <ErrorLine message={data.error} />
      {r ? (
        <>
          <section aria-labelledby="index-heading">
            <h2 id="index-heading" safe>
              {`Chỉ số hài lòng · ${r.rangeLabel}`}
            </h2>
            <p class="muted" safe>
              {`Từ ${r.report.period.from ? formatDay(new Date(r.report.period.from)) : '…'} đến ${r.report.period.to ? formatDay(new Date(r.report.period.to)) : '…'} · Bộ câu hỏi ${r.report.questionnaire.code} (phiên bản ${r.report.questionnaire.version})`}
            </p>
            <IndexSection r={r} charts={charts} />
          </section>
          <ProceduresSection p={r.procedures} />
          <SharesSection r={r} charts={charts} />
        </>
      ) : (
        ''
      )}
      <TrendSection data={data} charts={charts} />
    </Layout>
  );
}
