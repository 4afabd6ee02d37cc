/**
 * The Overview drawn before React and antd have loaded: the KPI cards with their change, the revenue
 * chart, then the top countries and products as their answers arrive, from the answers the boot
 * script (src/boot.ts) started. Plain DOM and ECharts' core with bar charts only (echarts-lite.ts):
 * what this chunk loads is a fraction of the app's libraries, whose evaluation dominated the first
 * load on a 2-core machine. The numbers come from the same functions as the app's Overview
 * (pages/overview/figures.ts); the app replaces this view when its own Overview has drawn
 * (handoff.ts). It is a picture, not the app: nothing here reacts to clicks.
 */
import type { CountriesBody, KpisBody, ProductsBody, RangeBody, SeriesBody } from '../api/types';
import { echarts, type ChartOption } from '../components/echarts-lite';
import type { Period } from '../components/period';
import { makeI18n, type I18n, type Lang } from '../i18n/format';
import { changeText, comparable, countriesOption, kpiCards, seriesOption } from '../pages/overview/figures';
import './first-view.css';
import { showFirstView } from './handoff';

export interface FirstViewAnswers {
  readonly kpis: Promise<KpisBody>;
  readonly kpisBefore: Promise<KpisBody>;
  readonly series: Promise<SeriesBody>;
  readonly countries: Promise<CountriesBody>;
  readonly products: Promise<ProductsBody>;
}

type Child = Node | string;

function el(tag: string, attrs: Record<string, string>, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function card(title: string, testId: string, ...body: Child[]): HTMLElement {
  return el('section', { class: 'fv-card', 'data-testid': testId }, el('h5', {}, title), ...body);
}

function chart(host: HTMLElement, option: ChartOption, charts: echarts.ECharts[]): void {
  const c = echarts.init(host, undefined, { renderer: 'svg' });
  c.setOption(option);
  charts.push(c);
}

function productsTable(p: ProductsBody, i18n: I18n): HTMLElement {
  const th = (text: string, num = false) => el('th', num ? { class: 'fv-num' } : {}, text);
  const td = (text: string, num = false) => el('td', num ? { class: 'fv-num' } : {}, text);
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        th(i18n.t('col.product')),
        th(i18n.t('col.category')),
        th(i18n.t('col.revenue'), true),
        th(i18n.t('col.units'), true),
        th(i18n.t('col.orders'), true),
      ),
    ),
    el(
      'tbody',
      {},
      ...p.by_revenue.map((r) =>
        el(
          'tr',
          {},
          td(r.title ?? r.product_id),
          td(r.category ?? '–'),
          td(i18n.money(r.gross_revenue), true),
          td(i18n.num(r.units), true),
          td(i18n.num(r.orders), true),
        ),
      ),
    ),
  );
}

/**
 * Draws the first view once the KPIs (both periods) and the revenue series have answered. Resolves
 * false, drawing nothing, when there is nothing real to show (an error, no orders in the period):
 * the app then shows its own loading, empty or error state.
 */
export async function drawFirstView(
  answers: FirstViewAnswers,
  period: Period,
  range: RangeBody,
  lang: Lang,
): Promise<boolean> {
  const [now, before, series] = await Promise.all([
    answers.kpis,
    answers.kpisBefore.catch(() => undefined),
    answers.series,
  ]).catch(() => [undefined, undefined, undefined] as const);
  if (!now || now.orders === 0 || !series || series.points.length === 0) return false;
  const i18n = makeI18n(lang, range.currency ?? 'USD');
  const compare = comparable(period, range.first_order_at);
  const cards = kpiCards(now, compare ? before : undefined, i18n).map((k) =>
    el(
      'div',
      { class: 'fv-card', 'data-testid': `first-kpi-${k.key}` },
      el('div', { class: 'fv-kpi-title' }, k.title),
      el('div', { class: 'fv-kpi-value', 'data-role': 'value' }, k.value),
      el(
        'div',
        { class: k.change === null ? 'fv-none' : k.change >= 0 ? 'fv-up' : 'fv-down', 'data-role': 'change' },
        changeText(k.change, period, i18n),
      ),
    ),
  );
  const seriesHost = el('div', { 'data-testid': 'first-revenue-series', style: 'height:320px' });
  const countriesHost = el('div', { style: 'height:320px' }, i18n.t('state.loading'));
  const productsHost = el('div', { 'data-testid': 'first-top-products' }, i18n.t('state.loading'));
  const view = el(
    'div',
    { id: 'first-view', 'data-testid': 'first-view' },
    el('aside', { class: 'fv-side' }, el('h4', {}, i18n.t('app.title'))),
    el(
      'main',
      { class: 'fv-main' },
      el('div', { class: 'fv-kpis' }, ...cards),
      card(i18n.t('overview.revenueOverTime'), 'first-revenue', seriesHost),
      el(
        'div',
        { class: 'fv-row' },
        card(i18n.t('overview.countries'), 'first-countries', countriesHost),
        card(i18n.t('overview.topProducts'), 'first-products', productsHost),
      ),
    ),
  );
  const charts: echarts.ECharts[] = [];
  showFirstView(view, () => charts.splice(0).forEach((c) => c.dispose()));
  chart(seriesHost, seriesOption(series, i18n), charts);
  // The lower cards fill in when their answers come, unless the app has replaced the view by then.
  answers.countries.then(
    (c) => {
      if (!view.isConnected) return;
      countriesHost.textContent = '';
      chart(countriesHost, countriesOption(c, i18n), charts);
    },
    () => undefined,
  );
  answers.products.then(
    (p) => {
      if (view.isConnected) productsHost.replaceChildren(productsTable(p, i18n));
    },
    () => undefined,
  );
  return true;
}
