/**
 * @module report/charts
 * Charts rendered on the server by ECharts' SSR into SVG strings: no browser, no script in the
 * report, nothing to fetch when the file is opened.
 */
import * as echarts from 'echarts';

export function svgChart(option: echarts.EChartsOption, width = 900, height = 300): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function barChart(
  labels: readonly string[],
  values: readonly number[],
  format: (v: number) => string,
): string {
  return svgChart({
    grid: { left: 80, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: [...labels] },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => format(v) } },
    series: [{ type: 'bar', data: [...values], itemStyle: { color: '#2f54eb' } }],
  });
}

export function horizontalBars(
  labels: readonly string[],
  values: readonly number[],
  format: (v: number) => string,
): string {
  return svgChart(
    {
      grid: { left: 140, right: 90, top: 10, bottom: 10 },
      xAxis: { type: 'value', show: false },
      yAxis: { type: 'category', data: [...labels].reverse() },
      series: [
        {
          type: 'bar',
          data: [...values].reverse(),
          itemStyle: { color: '#2f54eb' },
          label: {
            show: true,
            position: 'right',
            formatter: (p: { value: unknown }) => format(Number(p.value)),
          },
        },
      ],
    },
    900,
    Math.max(120, labels.length * 28 + 20),
  );
}
