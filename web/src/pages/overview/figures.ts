/**
 * What the Overview shows, computed from the API's answers without React or antd: the KPI cards and
 * the charts' options. The page (OverviewPage.tsx) and the first view drawn before the app has loaded
 * (src/first-view/) both use these, so the two cannot show different numbers.
 */
import type { CountriesBody, KpisBody, SeriesBody } from '../../api/types';
import type { ChartOption } from '../../components/echarts-lite';
import { change, daysBetween, type Period } from '../../components/period';
import type { I18n } from '../../i18n/format';
import type { MessageKey } from '../../i18n/en';
import { overviewRequests } from './requests';

export interface KpiCardFigure {
  /** The card's name: its test id is `kpi-<key>`, its title the text `overview.<key>`. */
  readonly key: string;
  readonly title: string;
  readonly value: string;
  /** Relative change against the period before; null when there is nothing to compare with. */
  readonly change: number | null;
}

/** Whether the period before `period` starts on or after the store's first order (else no change is shown). */
export function comparable(period: Period, firstOrderAt: string | null): boolean {
  return firstOrderAt !== null && firstOrderAt.slice(0, 10) <= overviewRequests(period).kpisBefore[1].from;
}

export function kpiCards(now: KpisBody, before: KpisBody | undefined, i18n: I18n): KpiCardFigure[] {
  const { money, num, pct } = i18n;
  const b = before;
  const cards: [string, string, number | null, number | null | undefined][] = [
    ['netRevenue', money(now.net_revenue), now.net_revenue, b?.net_revenue],
    ['orders', num(now.orders), now.orders, b?.orders],
    ['aov', money(now.aov), now.aov, b?.aov],
    ['customers', num(now.customers), now.customers, b?.customers],
    ['newCustomers', num(now.new_customers), now.new_customers, b?.new_customers],
    ['repeatRate', pct(now.repeat_purchase_rate), now.repeat_purchase_rate, b?.repeat_purchase_rate],
  ];
  return cards.map(([key, value, current, previous]) => ({
    key,
    title: i18n.t(`overview.${key}` as MessageKey),
    value,
    change: change(current, previous ?? null),
  }));
}

/** The line under a KPI: the change with its arrow and the period compared, or why there is none. */
export function changeText(figure: number | null, period: Period, i18n: I18n): string {
  if (figure === null) return i18n.t('overview.noPrevious');
  const label = i18n.t('overview.vsPrevious', { days: daysBetween(period) });
  return `${figure >= 0 ? '▲' : '▼'} ${i18n.pct(Math.abs(figure))} ${label}`;
}

export function seriesOption(s: SeriesBody, i18n: I18n): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.money(Number(v)) },
    grid: { left: 70, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: s.points.map((p) => i18n.day(p.bucket)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => i18n.num(v) } },
    series: [{ type: 'bar', name: i18n.t('overview.netRevenue'), data: s.points.map((p) => p.net_revenue) }],
  };
}

/** The ten countries with the most revenue, on a log axis (the home country dwarfs the rest). */
export function countriesOption(c: CountriesBody, i18n: I18n): ChartOption {
  const rows = c.rows.slice(0, 10).reverse();
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.money(Number(v)) },
    grid: { left: 130, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'log', axisLabel: { formatter: (v: number) => i18n.num(v) } },
    yAxis: { type: 'category', data: rows.map((r) => r.country) },
    series: [{ type: 'bar', name: i18n.t('col.revenue'), data: rows.map((r) => Math.max(r.net_revenue, 1)) }],
  };
}
