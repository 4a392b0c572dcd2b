import type { ProgressCounts } from '../rounds/round-progress.js';
import type { NamedPeriod } from '../scoring/report-period.js';
import type { Interval, ReportNode } from '../scoring/report-schema.js';
import { formatDay, formatNumber, formatPercent } from './format-vi.js';
import { TableWrap } from './table-wrap.js';
import { Layout, type PageFrame } from './layout.js';
import type { OverviewData } from './overview-data.js';

/** Charts rendered beforehand (ECharts on the server), each shown with its data table. */
export type OverviewCharts = { groups: string | null; daily: string | null; funnel: string | null };

export function periodLabel(p: NamedPeriod): string {
  const [y, part] = p.name.split('-');
  if (p.granularity === 'year') return `Năm ${y}`;
  if (p.granularity === 'quarter') return `Quý ${part!.replace('Q', '')}/${y}`;
  return `Tháng ${Number(part)}/${y}`;
}

const pct = (v: number | null) => (v === null ? '—' : `${formatNumber(v, 2)}%`);
const ci = (i: Interval | null) => (i ? `${formatNumber(i.low, 2)}–${formatNumber(i.high, 2)}%` : '—');
const share = (part: number, whole: number) => (whole > 0 ? formatPercent(part / whole) : '—');

export const FUNNEL_STEPS: { key: keyof ProgressCounts; label: string }[] = [
  { key: 'invited', label: 'Đã mời' },
  { key: 'sent', label: 'Đã gửi' },
  { key: 'opened', label: 'Đã mở' },
  { key: 'started', label: 'Đã bắt đầu' },
  { key: 'completedInvited', label: 'Đã hoàn thành' },
];

function Chart({ svg }: { svg: string | null }) {
  return svg ? <figure class="chart">{svg}</figure> : '';
}

function RoundSection({ data, charts }: { data: OverviewData; charts: OverviewCharts }) {
  const r = data.round;
  if (!r) return <p>Hiện không có đợt khảo sát nào đang mở.</p>;
  const p = r.progress;
  return (
    <>
      <p safe>{`${r.name} (${r.code}): từ ${formatDay(r.opensOn)} đến ${formatDay(r.closesOn)}, còn ${formatNumber(p.daysLeft)} ngày.`}</p>
      <h3>Tiến độ theo nhóm đơn vị</h3>
      <div class="chart-pair">
        <Chart svg={charts.groups} />
        <TableWrap label="Phiếu hoàn thành so với chỉ tiêu">
          <table>
            <caption>Phiếu hoàn thành so với chỉ tiêu</caption>
            <thead>
              <tr>
                <th scope="col">Nhóm đơn vị</th>
                <th scope="col" class="num">Đơn vị</th>
                <th scope="col" class="num">Đạt chỉ tiêu</th>
                <th scope="col" class="num">Chỉ tiêu</th>
                <th scope="col" class="num">Hoàn thành</th>
                <th scope="col" class="num">Tỷ lệ</th>
              </tr>
            </thead>
            <tbody>
              {p.groups.map((g) => (
                <tr>
                  <th scope="row" safe>
                    {data.groupLabels.get(g.group) ?? g.group}
                  </th>
                  <td class="num">{formatNumber(g.units)}</td>
                  <td class="num">{formatNumber(g.unitsWithQuotaMet)}</td>
                  <td class="num">{formatNumber(g.target)}</td>
                  <td class="num">{formatNumber(g.completed)}</td>
                  <td class="num">{share(g.completed, g.target)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Tổng</th>
                <td class="num">{formatNumber(p.total.units)}</td>
                <td class="num">{formatNumber(p.total.unitsWithQuotaMet)}</td>
                <td class="num">{formatNumber(p.total.target)}</td>
                <td class="num">{formatNumber(p.total.completed)}</td>
                <td class="num">{share(p.total.completed, p.total.target)}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      </div>
      <h3>Phiếu hoàn thành theo ngày</h3>
      <div class="chart-pair">
        <Chart svg={charts.daily} />
        <TableWrap label="Số phiếu hoàn thành mỗi ngày" tall>
          <table>
            <caption>Số phiếu hoàn thành mỗi ngày</caption>
            <thead>
              <tr>
                <th scope="col">Ngày</th>
                <th scope="col" class="num">Phiếu hoàn thành</th>
              </tr>
            </thead>
            <tbody>
              {r.daily.map((d) => (
                <tr>
                  <th scope="row">{formatDay(new Date(d.day))}</th>
                  <td class="num">{formatNumber(d.completed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
      <h3>Phễu thư mời</h3>
      <div class="chart-pair">
        <Chart svg={charts.funnel} />
        <TableWrap label="Thư mời qua từng bước">
          <table>
            <caption>Thư mời qua từng bước</caption>
            <thead>
              <tr>
                <th scope="col">Bước</th>
                <th scope="col" class="num">Số thư mời</th>
                <th scope="col" class="num">So với đã mời</th>
              </tr>
            </thead>
            <tbody>
              {FUNNEL_STEPS.map((s) => (
                <tr>
                  <th scope="row">{s.label}</th>
                  <td class="num">{formatNumber(p.total[s.key])}</td>
                  <td class="num">{share(p.total[s.key], p.total.invited)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
      <p class="muted">{`Ngoài ra: ${formatNumber(p.total.completedOpen)} phiếu hoàn thành qua mã QR tại đơn vị; ${formatNumber(p.total.undeliverable)} thư mời không gửi được; ${formatNumber(p.total.optedOut)} người từ chối nhận tin.`}</p>
    </>
  );
}

/** Fields and their elements (criteria are on the unit pages). */
function indexRows(nodes: ReportNode[]): { node: ReportNode; depth: number }[] {
  return nodes.flatMap((n) => [{ node: n, depth: 0 }, ...(n.children ?? []).filter((c) => c.kind !== 'criterion').map((c) => ({ node: c, depth: 1 }))]);
}

function IndexSection({ data }: { data: OverviewData }) {
  const ix = data.index;
  if (!ix) return '';
  const o = ix.report.overall;
  return (
    <section aria-labelledby="index-heading">
      <h2 id="index-heading" safe>
        {`Chỉ số hài lòng chung · ${periodLabel(ix.period)}`}
      </h2>
      {o.suppressed || o.index === null ? (
        <p safe>{`Chưa đủ phiếu để công bố chỉ số (cần ít nhất ${formatNumber(ix.report.minCell)} phiếu).`}</p>
      ) : (
        <>
          <div class="cards">
            <div class="card">
              <p class="muted">Chỉ số chung</p>
              <p class="value">{pct(o.index)}</p>
              <p class="muted">{`Khoảng tin cậy 95%: ${ci(o.ci)}`}</p>
            </div>
            <div class="card">
              <p class="muted">Phiếu được tính</p>
              <p class="value">{formatNumber(o.responses ?? 0)}</p>
              <p class="muted" safe>
                {`${formatDay(new Date(ix.period.from))} – ${formatDay(new Date(ix.period.to))}`}
              </p>
            </div>
          </div>
          <TableWrap label="Chỉ số theo lĩnh vực và yếu tố">
            <table>
              <caption>Chỉ số theo lĩnh vực và yếu tố</caption>
              <thead>
                <tr>
                  <th scope="col">Mục</th>
                  <th scope="col" class="num">Chỉ số</th>
                  <th scope="col" class="num">Khoảng tin cậy 95%</th>
                </tr>
              </thead>
              <tbody>
                {indexRows(o.nodes).map(({ node, depth }) => (
                  <tr>
                    <th scope="row" class={depth ? 'indent' : undefined} safe>
                      {`${node.code}. ${node.title}`}
                    </th>
                    <td class="num">{pct(node.index)}</td>
                    <td class="num">{ci(node.ci)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

/** `/`: the open round's progress for every role; the index for administrators and viewers. */
export function OverviewPage({ frame, data, charts }: { frame: PageFrame; data: OverviewData; charts: OverviewCharts }) {
  return (
    <Layout title="Tổng quan" frame={frame}>
      <section aria-labelledby="round-heading">
        <h2 id="round-heading">Đợt khảo sát đang mở</h2>
        <RoundSection data={data} charts={charts} />
      </section>
      <IndexSection data={data} />
    </Layout>
  );
}
