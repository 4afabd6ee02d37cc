/**
 * @module cli/commands/analyze
 * `shopsight analyze`: descriptive analytics of the store. A thin caller of warehouse/analytics:
 * it parses options, calls the library and prints; definitions live in docs/analytics.md.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  GRANULARITIES,
  type CohortMatrix,
  type FunnelResult,
  type Granularity,
  type Kpis,
  type RfmResult,
  type TopProducts,
} from '../../warehouse/analytics/index.js';
import {
  analyticsReport,
  SECTIONS,
  type AnalyticsReport,
  type ReportOptions,
  type Section,
} from '../../warehouse/analytics/report.js';
import { chAnalyticsReport } from '../../warehouse/clickhouse/analytics/report.js';
import { isClickHouseLocation, openClickHouse, resolveDbLocation } from '../../warehouse/open.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

export interface AnalyzeOptions {
  db?: string;
  json?: boolean;
  from?: string;
  to?: string;
  by: Granularity;
  top: number;
  section: Section[];
  asOf?: string;
  rfmCustomers?: boolean;
}

/** What --json prints: one key per requested section (the API's /v1/analytics/* return the same). */
export type AnalyzeReport = AnalyticsReport;

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description(
      'KPIs, revenue over time, by country and category, top products, cohorts, RFM segments, funnel',
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .option('--from <date>', 'period start, inclusive (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC)')
    .option('--to <date>', 'period end, exclusive')
    .addOption(new Option('--by <unit>', 'revenue series bucket').choices(GRANULARITIES).default('month'))
    .option('--top <n>', 'rows in top lists', parsePositiveInt, 10)
    .option('--section <list>', `comma-separated subset of ${SECTIONS.join(',')}`, parseSections, [
      ...SECTIONS,
    ])
    .option(
      '--as-of <date>',
      'RFM reference day (default: --to when it is a day, else the day after the last order)',
    )
    .option('--rfm-customers', 'with --json, include one RFM row per customer')
    .action(async (opts: AnalyzeOptions) => {
      const location = resolveDbLocation(opts.db);
      const report = isClickHouseLocation(location)
        ? await clickHouseReport(location, opts)
        : await withWarehouse(opts.db, (wh) => buildReport(wh, opts));
      if (opts.json) printJson(report);
      else process.stdout.write(renderReport(report, opts.top) + '\n');
    });
}

/** `analyze` on a ClickHouse cluster: the same sections and options, the cluster's SQL. */
export async function clickHouseReport(location: string, opts: AnalyzeOptions): Promise<AnalyzeReport> {
  const ch = await openClickHouse(location);
  try {
    return await chAnalyticsReport(ch, reportOptions(opts));
  } finally {
    await ch.close();
  }
}

/** The CLI's options as the library's (warehouse/analytics/report.ts holds the logic). */
export async function buildReport(wh: Warehouse, opts: AnalyzeOptions): Promise<AnalyzeReport> {
  return analyticsReport(wh, reportOptions(opts));
}

function reportOptions(opts: AnalyzeOptions): ReportOptions {
  return {
    from: opts.from,
    to: opts.to,
    by: opts.by,
    top: opts.top,
    sections: opts.section,
    asOf: opts.asOf,
    rfmCustomers: Boolean(opts.json && opts.rfmCustomers),
  };
}

export function renderReport(r: AnalyzeReport, top: number): string {
  const out: string[] = [];
  const section = (title: string, body: string): void => {
    out.push(`== ${title} ==`, body, '');
  };
  if (r.kpis) section(`KPIs ${periodLabel(r.kpis.period)}`, renderKpis(r.kpis));
  if (r.series) {
    section(
      `Revenue by ${r.series.granularity}`,
      formatTable(
        ['Bucket', 'Orders', 'Gross', 'Cancelled/returned', 'Net', 'Customers'],
        r.series.points.map((p) => [
          p.bucket,
          p.orders,
          p.grossRevenue,
          p.cancelledReturnedValue,
          p.netRevenue,
          p.customers,
        ]),
      ),
    );
  }
  if (r.countries) {
    const rows = r.countries.rows;
    section(
      'Revenue by country',
      formatTable(
        ['Country', 'Orders', 'Gross', 'Net', 'Customers', 'Share'],
        rows
          .slice(0, top)
          .map((c) => [c.country, c.orders, c.grossRevenue, c.netRevenue, c.customers, pct(c.share)]),
      ) + more(rows.length, top),
    );
  }
  if (r.categories) {
    const rows = r.categories.rows;
    section(
      'Revenue by category',
      formatTable(
        ['Category', 'Units', 'Orders', 'Gross', 'Share'],
        rows.slice(0, top).map((c) => [c.category, c.units, c.orders, c.grossRevenue, pct(c.share)]),
      ) + more(rows.length, top),
    );
  }
  if (r.products) {
    const table = (list: TopProducts['byRevenue']): string =>
      formatTable(
        ['Product', 'Title', 'Units', 'Orders', 'Gross'],
        list.map((p) => [p.productId, p.title ?? '', p.units, p.orders, p.grossRevenue]),
      );
    section('Top products by revenue (merchandise only)', table(r.products.byRevenue));
    section('Top products by units (merchandise only)', table(r.products.byUnits));
  }
  if (r.cohorts) section('Cohort retention (share of cohort buying in month k)', renderCohorts(r.cohorts));
  if (r.rfm) section(`RFM segments as of ${r.rfm.asOf}`, renderRfm(r.rfm));
  if (r.funnel) section('Funnel (sessions)', renderFunnel(r.funnel));
  return out.join('\n').trimEnd();
}

function renderKpis(k: Kpis): string {
  return formatTable(
    ['Metric', 'Value'],
    [
      ['Gross revenue', k.grossRevenue],
      ['Cancelled/returned value', k.cancelledReturnedValue],
      ['Net revenue', k.netRevenue],
      ['Orders', k.orders],
      ['Cancelled orders', k.cancelledOrders],
      ['Returned orders', k.returnedOrders],
      ['Average order value', k.aov],
      ['Items per order', k.itemsPerOrder],
      ['Customers', k.customers],
      ['  new (first order in the period)', k.newCustomers],
      ['  returning (bought before the period)', k.returningCustomers],
      ['  repeat (2+ orders up to the period end)', k.repeatCustomers],
      ['Repeat-purchase rate (repeat / customers)', pct(k.repeatPurchaseRate)],
      ['Guest orders', k.guestOrders],
      ['Guest order share', pct(k.guestOrderShare)],
    ],
  );
}

/** At most 13 month columns (a year after the first purchase) keep the matrix readable in a terminal. */
function renderCohorts(m: CohortMatrix): string {
  if (m.cohorts.length === 0) return '(no customers with a sales order)';
  const cols = Math.min(m.months, 13);
  const headers = ['Cohort', 'Size', ...Array.from({ length: cols }, (_, k) => `M${k}`)];
  const rows = m.cohorts.map((c) => [
    c.cohort.slice(0, 7),
    c.size,
    ...Array.from({ length: cols }, (_, k) => (k < c.retention.length ? pct(c.retention[k]!, 0) : '')),
  ]);
  return formatTable(headers, rows);
}

function renderRfm(r: RfmResult): string {
  const table = formatTable(
    ['Segment', 'Customers', 'Share', 'Avg recency (days)', 'Avg orders', 'Avg spend'],
    r.segments.map((s) => [
      s.label,
      s.customers,
      pct(s.share),
      s.avgRecencyDays,
      s.avgFrequency,
      s.avgMonetary,
    ]),
  );
  return `${table}\n${r.scoredCustomers.toLocaleString('en-US')} customers scored, ${r.prospects.toLocaleString('en-US')} prospects`;
}

function renderFunnel(f: FunnelResult): string {
  if (!f.available) return `not available: ${f.reason}`;
  const table = formatTable(
    ['Step', 'Sessions with event', 'Reached (all earlier steps too)', 'Conversion from previous'],
    f.steps.map((s) => [
      s.step,
      s.sessions,
      s.reached,
      s.conversionFromPrevious === null ? '' : pct(s.conversionFromPrevious),
    ]),
  );
  return `${table}\n${f.sessions.toLocaleString('en-US')} sessions; view to purchase ${pct(f.viewToPurchase)}`;
}

function pct(x: number | null, digits = 1): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(digits)}%`;
}

function more(total: number, shown: number): string {
  return total > shown ? `\n(${total - shown} more; --top to show more, --json for all)` : '';
}

function periodLabel(p: { from: string | null; to: string | null }): string {
  if (!p.from && !p.to) return '(all time)';
  return `(${p.from ?? 'beginning'} to ${p.to ?? 'now'}, end excluded)`;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function parseSections(value: string): Section[] {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = parts.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length || parts.length === 0) {
    throw new InvalidArgumentError(
      `unknown section '${unknown.join(',')}'; choose from ${SECTIONS.join(',')}`,
    );
  }
  return parts as Section[];
}
