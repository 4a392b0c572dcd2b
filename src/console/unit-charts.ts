import type { ReportNode } from '../scoring/report-schema.js';
import { formatNumber } from './format-vi.js';
import { renderSvgChart } from './svg-chart.js';
import type { ShareQuestion, TrendPoint, UnitPageData } from './unit-data.js';

const BAR = '#2f6fb0';
const EXPECTATION = '#8a5a00';

/** Charts rendered beforehand (ECharts on the server); each is shown beside the table of its figures. */
export type UnitCharts = { elements: string | null; trend: string | null; shares: Map<string, string> };

/** Round a percentage for a chart label (the table beside it has the full figure with a decimal comma). */
const rounded = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
/** A bar's or point's label as Vietnamese write it: decimal comma. */
const viLabel = (p: { value?: unknown }) => (typeof p.value === 'number' ? formatNumber(p.value, 1) : '');

/** Every element of the tree (under its field when the instrument has two). */
export function elementsOf(nodes: ReportNode[]): ReportNode[] {
  return nodes.flatMap((n) => (n.kind === 'element' ? [n] : (n.children ?? []).filter((c) => c.kind === 'element')));
}

const shortLabel = (n: ReportNode) => {
  const text = `${n.code}. ${n.title}`;
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
};

function elementsChart(nodes: ReportNode[]): Promise<string> | null {
  const elements = elementsOf(nodes);
  if (!elements.some((e) => e.index !== null)) return null;
  return renderSvgChart(
    {
      grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'category', inverse: true, data: elements.map(shortLabel), axisLabel: { width: 220, overflow: 'truncate' } },
      series: [{ type: 'bar', name: 'Chỉ số', data: elements.map((e) => rounded(e.index)), itemStyle: { color: BAR }, label: { show: true, position: 'right', formatter: viLabel } }],
    },
    { width: 640, height: 48 + 30 * elements.length },
    'Biểu đồ thanh: chỉ số hài lòng theo từng yếu tố của đơn vị, phần trăm (số liệu trong bảng bên cạnh)',
  );
}

function trendChart(trend: TrendPoint[]): Promise<string> | null {
  if (trend.filter((t) => t.index !== null).length < 2) return null;
  return renderSvgChart(
    {
      grid: { left: 48, right: 24, top: 24, bottom: 48 },
      xAxis: { type: 'category', data: trend.map((t) => t.round.code), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [{ type: 'line', name: 'Chỉ số chung', data: trend.map((t) => rounded(t.index)), connectNulls: false, itemStyle: { color: BAR }, label: { show: true, position: 'top', formatter: viLabel } }],
    },
    { width: 640, height: 280 },
    'Biểu đồ đường: chỉ số hài lòng chung của đơn vị qua các đợt khảo sát, phần trăm (số liệu trong bảng bên cạnh)',
  );
}

function shareChart(q: ShareQuestion): Promise<string> | null {
  const s = q.shares;
  if (!s || s.answered === 0) return null;
  const labels = s.shares.map((o) => (o.label.length > 40 ? `${o.label.slice(0, 39)}…` : o.label));
  return renderSvgChart(
    {
      grid: { left: 8, right: 56, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { width: 200, overflow: 'truncate' } },
      series: [{ type: 'bar', name: 'Tỷ lệ', data: s.shares.map((o) => rounded(o.share)), itemStyle: { color: q.role === 'expectation' ? EXPECTATION : BAR }, label: { show: true, position: 'right', formatter: viLabel } }],
    },
    { width: 640, height: 40 + 30 * s.shares.length },
    `Biểu đồ thanh: tỷ lệ người trả lời chọn từng phương án của câu ${q.code}, phần trăm (số liệu trong bảng bên cạnh)`,
  );
}

/** The unit page's charts: element indices, the trend over rounds, and one chart of option shares per question. */
export async function unitCharts(data: UnitPageData): Promise<UnitCharts> {
  const r = data.results;
  const unit = r?.unit && !r.unit.suppressed ? r.unit : undefined;
  const questions = r && unit ? r.questions : [];
  const [elements, trend, ...shares] = await Promise.all([unit ? elementsChart(unit.nodes) : null, trendChart(data.trend), ...questions.map(shareChart)]);
  return {
    elements: elements ?? null,
    trend: trend ?? null,
    shares: new Map(questions.flatMap((q, i) => (shares[i] ? [[q.code, shares[i]]] : []))),
  };
}
