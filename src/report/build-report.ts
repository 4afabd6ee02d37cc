/**
 * @module report/build-report
 * `shopsight report`: one self-contained HTML file with the dashboard's headline content, for people
 * who mail results around: the KPIs of a period with their change against the period as long just
 * before it, net revenue by week, the top countries, the RFM segments, and every serving model
 * beside its baseline with the evaluation protocol. CSS inline, charts as inline SVG (ECharts SSR),
 * no script and no external reference: it opens with no network.
 *
 * The default period is the dashboard's: the last 90 days of data, ending the day after the last
 * order. The numbers come from the same library functions as `GET /v1/analytics/*` and `/v1/segments`,
 * on a DuckDB file or a ClickHouse cluster (report-reads.ts: chAnalyticsReport there).
 *
 * @example
 *   const html = await buildReport(wh, { lang: 'zh-CN' });
 */
import { listModels } from '../registry/registry.js';
import type { ModelRecord } from '../schema/models.js';
import type { Kpis } from '../warehouse/analytics/kpis.js';
import { segmentsOf } from '../warehouse/analytics/report.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { barChart, horizontalBars } from './charts.js';
import { MODEL_HEADLINES } from './model-headlines.js';
import { reportRange, reportSections } from './report-reads.js';
import { reportFormat, type ReportFormat, type ReportLang, type ReportTextKey } from './texts.js';

export interface ReportOptions {
  readonly lang?: ReportLang;
  /** Period start, inclusive, YYYY-MM-DD (default: 90 days before `to`). */
  readonly from?: string;
  /** Period end, exclusive, YYYY-MM-DD (default: the day after the last order). */
  readonly to?: string;
  /** When the report was made (default now); shown in the header. */
  readonly now?: Date;
}

export const DEFAULT_REPORT_DAYS = 90;
const DAY_MS = 86_400_000;
const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The report's period and the one as long just before it. */
export function reportPeriods(
  lastOrderAt: string,
  options: Pick<ReportOptions, 'from' | 'to'>,
): { from: string; to: string; prevFrom: string; days: number } {
  for (const [name, v] of Object.entries({ from: options.from, to: options.to })) {
    if (v !== undefined && !DAY.test(v))
      throw new RangeError(`${name} must be a day like 2011-09-01, got '${v}'`);
  }
  const to = options.to ?? addDays(lastOrderAt.slice(0, 10), 1);
  const from = options.from ?? addDays(to, -DEFAULT_REPORT_DAYS);
  if (from >= to) throw new RangeError(`from (${from}) must be before to (${to})`);
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
  return { from, to, prevFrom: addDays(from, -days), days };
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const CSS = `
body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:0;background:#f5f5f5;color:#1f1f1f}
main{max-width:960px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin:28px 0 12px;font-size:18px}
.muted{color:#666;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}
.card{background:#fff;border-radius:8px;padding:14px 16px}
.card .label{color:#666;font-size:13px}.card .value{font-size:24px;margin:4px 0}
.up{color:#389e0d}.down{color:#cf1322}
section{background:#fff;border-radius:8px;padding:16px;margin-top:12px}
table{width:100%;border-collapse:collapse;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #f0f0f0;text-align:left}
td.n,th.n{text-align:right}
svg{max-width:100%;height:auto}
`;

function change(now: number | null, before: number | null): number | null {
  return now === null || before === null || before === 0 ? null : (now - before) / Math.abs(before);
}

function kpiCards(f: ReportFormat, k: Kpis, prev: Kpis | null): string {
  const cards: [ReportTextKey, string, number | null, number | null][] = [
    ['netRevenue', f.money(k.netRevenue), k.netRevenue, prev?.netRevenue ?? null],
    ['orders', f.num(k.orders), k.orders, prev?.orders ?? null],
    ['aov', f.money(k.aov), k.aov, prev?.aov ?? null],
    ['customers', f.num(k.customers), k.customers, prev?.customers ?? null],
    ['newCustomers', f.num(k.newCustomers), k.newCustomers, prev?.newCustomers ?? null],
    ['repeatRate', f.pct(k.repeatPurchaseRate), k.repeatPurchaseRate, prev?.repeatPurchaseRate ?? null],
  ];
  return `<div class="cards">${cards
    .map(([key, shown, now, before]) => {
      const c = change(now, before);
      const delta =
        c === null
          ? `<span class="muted">${f.t('noPrevious')}</span>`
          : `<span class="${c >= 0 ? 'up' : 'down'}">${c >= 0 ? '▲' : '▼'} ${f.pct(Math.abs(c))} ${f.t('vsPrevious')}</span>`;
      return `<div class="card" id="kpi-${key}"><div class="label">${f.t(key)}</div><div class="value">${escapeHtml(shown)}</div>${delta}</div>`;
    })
    .join('')}</div>`;
}

function modelRows(f: ReportFormat, models: readonly ModelRecord[]): string {
  const serving = models.filter((m) => m.status === 'promoted');
  if (!serving.length) return `<p class="muted">${f.t('noModels')}</p>`;
  return serving
    .map((m) => {
      const h = MODEL_HEADLINES[m.task];
      const metric =
        h && typeof m.metrics[h.metric] === 'number' ? f.num(m.metrics[h.metric] as number, 3) : '–';
      const base =
        h && typeof m.metrics[h.baseline] === 'number' ? f.num(m.metrics[h.baseline] as number, 3) : '–';
      const protocol = typeof m.metrics['protocol'] === 'string' ? (m.metrics['protocol'] as string) : '';
      return `<tr><td>${escapeHtml(m.task)}</td><td>${m.version}</td><td>${escapeHtml(String(m.params['model'] ?? m.kind))}</td>
<td class="n">${h ? `${h.label} ${metric}` : '–'}</td><td class="n">${h ? `${escapeHtml(h.baselineLabel)} ${base}` : '–'}</td>
<td class="muted">${escapeHtml(protocol)}</td></tr>`;
    })
    .join('\n');
}

export async function buildReport(wh: Warehouse, options: ReportOptions = {}): Promise<string> {
  const range = await reportRange(wh);
  const f = reportFormat(options.lang ?? 'en', range.currency ?? 'USD');
  const head = `<!doctype html><html lang="${f.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${f.t('title')}</title><style>${CSS}</style></head><body><main>`;
  if (range.lastOrderAt === null || range.firstOrderAt === null) {
    return `${head}<h1>${f.t('title')}</h1><p>${f.t('noOrders')}</p></main></body></html>\n`;
  }
  const p = reportPeriods(range.lastOrderAt, options);
  const period = await reportSections(wh, {
    from: p.from,
    to: p.to,
    by: 'week',
    sections: ['kpis', 'series', 'countries'],
  });
  const now = period.kpis!;
  // A previous period that starts before the first order has nothing to compare with.
  const prev =
    range.firstOrderAt.slice(0, 10) <= p.prevFrom
      ? (await reportSections(wh, { from: p.prevFrom, to: p.from, sections: ['kpis'] })).kpis!
      : null;
  const series = period.series!;
  const countries = period.countries!.rows.slice(0, 10);
  // The segments as of rfm's own default day (the report's `to` is not passed: the dashboard's).
  const segments = segmentsOf((await reportSections(wh, { sections: ['rfm'] })).rfm!);
  const models = await listModels(wh);
  const made = new Intl.DateTimeFormat(f.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(options.now ?? new Date());
  return `${head}
<h1>${f.t('title')}</h1>
<p class="muted">${escapeHtml(f.t('generated', { at: `${made} UTC`, orders: f.num(range.orders), first: f.day(range.firstOrderAt), last: f.day(range.lastOrderAt) }))}</p>
<p class="muted" id="period" data-from="${p.from}" data-to="${p.to}">${escapeHtml(f.t('period', { from: f.day(p.from), to: f.day(addDays(p.to, -1)), days: p.days }))}</p>
<h2>${f.t('kpis')}</h2>
${kpiCards(f, now, prev)}
<section><h2>${f.t('revenueOverTime')}</h2>
${barChart(
  series.points.map((x) => f.day(x.bucket)),
  series.points.map((x) => x.netRevenue),
  (v) => f.num(v),
)}</section>
<section><h2>${f.t('countries')}</h2>
${horizontalBars(
  countries.map((c) => c.country),
  countries.map((c) => c.netRevenue),
  (v) => f.money(v),
)}</section>
<section><h2>${escapeHtml(f.t('segments', { day: f.day(segments.asOf) }))}</h2>
<table id="segments"><thead><tr><th>${f.t('segment')}</th><th class="n">${f.t('customers')}</th><th class="n">${f.t('share')}</th><th class="n">${f.t('avgSpend')}</th><th>${f.t('rule')}</th></tr></thead><tbody>
${segments.segments
  .map(
    (s) =>
      `<tr><td>${escapeHtml(s.label)}</td><td class="n">${f.num(s.customers)}</td><td class="n">${f.pct(s.share)}</td><td class="n">${f.money(s.avgMonetary)}</td><td class="muted">${escapeHtml(s.description)}</td></tr>`,
  )
  .join('\n')}
</tbody></table></section>
<section><h2>${f.t('models')}</h2>
<table id="models"><thead><tr><th>${f.t('task')}</th><th>${f.t('version')}</th><th>${f.t('model')}</th><th class="n">${f.t('metric')}</th><th class="n">${f.t('baseline')}</th><th>${f.t('protocol')}</th></tr></thead><tbody>
${modelRows(f, models)}
</tbody></table></section>
</main></body></html>
`;
}
