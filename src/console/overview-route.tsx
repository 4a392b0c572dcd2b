import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import type { ConsoleGate } from './console-gate.js';
import { loadOverview, type OverviewData } from './overview-data.js';
import { FUNNEL_STEPS, OverviewPage, type OverviewCharts } from './overview-page.js';
import { sendHtml } from './send-html.js';
import { renderSvgChart } from './svg-chart.js';

const COMPLETED = '#2f6fb0';
const TARGET = '#b9c6d6';

/** The overview's charts: completed vs quota per unit group, completions per day, and the invitation funnel. */
async function overviewCharts(data: OverviewData): Promise<OverviewCharts> {
  const p = data.round?.progress;
  if (!p || p.groups.length === 0) return { groups: null, daily: null, funnel: null };
  const daily = data.round!.daily;
  const labels = p.groups.map((g) => data.groupLabels.get(g.group) ?? g.group);
  const [groups, dailyChart, funnel] = await Promise.all([
    renderSvgChart(
      {
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 36, bottom: 48 },
        xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, width: 90, overflow: 'break' } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { type: 'bar', name: 'Chỉ tiêu', data: p.groups.map((g) => g.target), itemStyle: { color: TARGET } },
          { type: 'bar', name: 'Hoàn thành', data: p.groups.map((g) => g.completed), itemStyle: { color: COMPLETED } },
        ],
      },
      { width: 640, height: 320 },
      'Biểu đồ cột: phiếu hoàn thành so với chỉ tiêu theo nhóm đơn vị (số liệu trong bảng bên cạnh)',
    ),
    renderSvgChart(
      {
        grid: { left: 48, right: 16, top: 16, bottom: 40 },
        xAxis: { type: 'category', data: daily.map((d) => `${d.day.slice(8, 10)}/${d.day.slice(5, 7)}`), boundaryGap: false },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'line', name: 'Phiếu hoàn thành', data: daily.map((d) => d.completed), itemStyle: { color: COMPLETED }, showSymbol: daily.length <= 31 }],
      },
      { width: 640, height: 260 },
      'Biểu đồ đường: số phiếu hoàn thành mỗi ngày của đợt (số liệu trong bảng bên cạnh)',
    ),
    renderSvgChart(
      {
        grid: { left: 110, right: 24, top: 16, bottom: 32 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: FUNNEL_STEPS.map((s) => s.label) },
        series: [{ type: 'bar', name: 'Thư mời', data: FUNNEL_STEPS.map((s) => p.total[s.key]), itemStyle: { color: COMPLETED }, label: { show: true, position: 'right' } }],
      },
      { width: 640, height: 260 },
      'Biểu đồ thanh: số thư mời qua từng bước (số liệu trong bảng bên cạnh)',
    ),
  ]);
  return { groups, daily: dailyChart, funnel };
}

/** `/`: the overview every role lands on after login. */
export function registerOverviewRoute(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  app.get('/', async (req, reply) => {
    const who = await gate(req, reply, ['admin', 'officer', 'viewer']);
    if (!who) return reply;
    const data = await loadOverview(ctx, who.user);
    return sendHtml(reply, 200, <OverviewPage frame={who.frame} data={data} charts={await overviewCharts(data)} />);
  });
}
