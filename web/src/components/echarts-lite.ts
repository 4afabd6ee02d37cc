/**
 * ECharts' core with only what the Overview's first view draws (bar charts on a grid, tooltips, the
 * SVG renderer): the first view (src/first-view/) loads this and not the other chart types, which
 * Chart.tsx registers on the same instance when the app loads.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
