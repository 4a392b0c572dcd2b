import type * as EChartsModule from 'echarts';
import type { EChartsOption } from 'echarts';

type ECharts = typeof EChartsModule;
let echartsModule: Promise<ECharts> | undefined;
/** ECharts is large: loaded on the first chart, not at start. */
const loadEcharts = () => (echartsModule ??= import('echarts'));

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Makes ECharts' server-side SVG fit a Content-Security-Policy without inline styles: its
 * `<style>` block (hover effects only, useless in a static picture) is dropped and each
 * `style="a:b"` becomes SVG presentation attributes (`a="b"`).
 */
export function cspSafeSvg(svg: string): string {
  return svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_m, decls: string) =>
    decls
      .split(';')
      .map((d) => d.split(':').map((x) => x.trim()))
      .filter(([prop, value]) => prop && value && /^[a-z-]+$/.test(prop))
      .map(([prop, value]) => ` ${prop}="${escapeAttr(value!)}"`)
      .join(''),
  );
}

/**
 * An ECharts chart rendered to SVG on the server (no script in the browser), labelled for
 * screen readers by `label`; the page puts the same figures in a table beside it.
 */
export async function renderSvgChart(option: EChartsOption, size: { width: number; height: number }, label: string): Promise<string> {
  const echarts = await loadEcharts();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
    return cspSafeSvg(chart.renderToSVGString()).replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" focusable="false" `);
  } finally {
    chart.dispose();
  }
}
