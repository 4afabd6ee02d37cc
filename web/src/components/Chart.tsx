/**
 * An ECharts chart: only the chart types and components the pages use are registered, which keeps
 * the bundle about a third of the full build's size; the bar chart, grid, tooltip and renderer come
 * registered from echarts-lite.ts (what the first view loads). Renders SVG (crisp at any zoom, and
 * the same renderer the HTML report uses on the server).
 */
import { HeatmapChart, LineChart, PieChart, TreemapChart } from 'echarts/charts';
import { DataZoomComponent, LegendComponent, VisualMapComponent } from 'echarts/components';
import { useEffect, useRef } from 'react';
import { echarts, type ChartOption } from './echarts-lite';

echarts.use([
  LineChart,
  PieChart,
  HeatmapChart,
  TreemapChart,
  LegendComponent,
  VisualMapComponent,
  DataZoomComponent,
]);

export type { ChartOption };

export function Chart(props: { option: ChartOption; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(props.option, true);
  }, [props.option]);
  return <div ref={ref} data-testid={props.testId} style={{ width: '100%', height: props.height ?? 320 }} />;
}
