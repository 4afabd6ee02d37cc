/**
 * @module warehouse/analytics/report
 * The analytics report of `shopsight analyze` and `GET /v1/analytics/*`: which sections to compute
 * and how the shared options (period, bucket, top-list length, RFM day) reach each one. Both
 * surfaces call `analyticsReport`, so the CLI's --json and the API return the same numbers.
 *
 * @example
 *   const r = await analyticsReport(wh, { sections: ['kpis', 'series'], from: '2011-01-01', by: 'week' });
 *   r.kpis?.grossRevenue; r.series?.points.length;
 */
import type { Warehouse } from '../warehouse.js';
import {
  type BreakdownOptions,
  type CategoryBreakdown,
  type CountryBreakdown,
  type TopProducts,
  type TopProductsOptions,
} from './breakdowns.js';
import { revenueByCategory, revenueByCountry, topProducts } from './breakdowns.js';
import { cohortRetention, type CohortMatrix, type CohortOptions } from './cohorts.js';
import { funnel, type FunnelOptions, type FunnelResult } from './funnel.js';
import { kpis, type KpiOptions, type Kpis } from './kpis.js';
import type { Period } from './period.js';
import {
  revenueSeries,
  type Granularity,
  type RevenueSeries,
  type RevenueSeriesOptions,
} from './revenue-series.js';
import { rfm, type RfmOptions, type RfmResult, type RfmSegmentSummary } from './rfm.js';
import { PROSPECTS_RULE, SEGMENT_RULES } from './rfm-segments.js';

export const SECTIONS = [
  'kpis',
  'series',
  'countries',
  'categories',
  'products',
  'cohorts',
  'rfm',
  'funnel',
] as const;
export type Section = (typeof SECTIONS)[number];

export interface ReportOptions {
  /** Period start, inclusive ('YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM', UTC). */
  readonly from?: string;
  /** Period end, exclusive. */
  readonly to?: string;
  /** Revenue series bucket (default month). */
  readonly by?: Granularity;
  /** Rows in the top-products lists (default 10). */
  readonly top?: number;
  /** Sections to compute (default all). */
  readonly sections?: readonly Section[];
  /** RFM reference day (default: `to` when it is a day, else the day after the last order). */
  readonly asOf?: string;
  /** Include one RFM row per customer. */
  readonly rfmCustomers?: boolean;
}

/** One key per requested section. */
export interface AnalyticsReport {
  kpis?: Kpis;
  series?: RevenueSeries;
  countries?: CountryBreakdown;
  categories?: CategoryBreakdown;
  products?: TopProducts;
  cohorts?: CohortMatrix;
  rfm?: RfmResult;
  funnel?: FunnelResult;
}

/** The RFM day the report uses: asOf, else `to` when it is a whole day, else rfm's own default. */
export function rfmDay(options: Pick<ReportOptions, 'asOf' | 'to'>): string | undefined {
  return options.asOf ?? (options.to && /^\d{4}-\d{2}-\d{2}$/.test(options.to) ? options.to : undefined);
}

export async function analyticsReport(wh: Warehouse, options: ReportOptions = {}): Promise<AnalyticsReport> {
  return reportFrom(
    {
      kpis: (o) => kpis(wh, o),
      series: (o) => revenueSeries(wh, o),
      countries: (o) => revenueByCountry(wh, o),
      categories: (o) => revenueByCategory(wh, o),
      products: (o) => topProducts(wh, o),
      cohorts: (o) => cohortRetention(wh, o),
      rfm: (o) => rfm(wh, o),
      funnel: (o) => funnel(wh, o),
    },
    options,
  );
}

/** Each section's query on one engine (DuckDB's here, ClickHouse's in clickhouse/analytics/report.ts). */
export interface SectionQueries {
  kpis(o: KpiOptions): Promise<Kpis>;
  series(o: RevenueSeriesOptions): Promise<RevenueSeries>;
  countries(o: BreakdownOptions): Promise<CountryBreakdown>;
  categories(o: BreakdownOptions): Promise<CategoryBreakdown>;
  products(o: TopProductsOptions): Promise<TopProducts>;
  cohorts(o: CohortOptions): Promise<CohortMatrix>;
  rfm(o: RfmOptions): Promise<RfmResult>;
  funnel(o: FunnelOptions): Promise<FunnelResult>;
}

/** The report from an engine's section queries: how the options reach each section, for every engine. */
export async function reportFrom(q: SectionQueries, options: ReportOptions = {}): Promise<AnalyticsReport> {
  const period: Period = { from: options.from, to: options.to };
  const want = new Set<Section>(options.sections ?? SECTIONS);
  const granularity = options.by ?? 'month';
  const report: AnalyticsReport = {};
  // Sequential on purpose: one connection, and each query already uses every core.
  if (want.has('kpis')) report.kpis = await q.kpis({ period });
  if (want.has('series')) report.series = await q.series({ period, granularity });
  if (want.has('countries')) report.countries = await q.countries({ period });
  if (want.has('categories')) report.categories = await q.categories({ period });
  if (want.has('products')) report.products = await q.products({ period, limit: options.top ?? 10 });
  if (want.has('cohorts')) report.cohorts = await q.cohorts({ period });
  if (want.has('rfm')) {
    report.rfm = await q.rfm({ asOf: rfmDay(options), includeCustomers: Boolean(options.rfmCustomers) });
  }
  if (want.has('funnel')) report.funnel = await q.funnel({ period });
  return report;
}

/** A segment's sizes and KPIs with the rule that defines it. */
export interface SegmentReportRow extends RfmSegmentSummary {
  readonly description: string;
  /** Inclusive recency-score range of the rule (null for prospects). */
  readonly rRange: readonly [number, number] | null;
  /** Inclusive F + M score range of the rule (null for prospects). */
  readonly fmRange: readonly [number, number] | null;
}

export interface SegmentReport {
  readonly asOf: string;
  readonly scoredCustomers: number;
  readonly prospects: number;
  readonly segments: SegmentReportRow[];
}

/**
 * The RFM segments (sizes, shares, average recency, orders and spend) as `analyze --section rfm`
 * computes them for the same day, each with its rule: what `GET /v1/segments` returns.
 */
export async function segmentReport(wh: Warehouse, options: { asOf?: string } = {}): Promise<SegmentReport> {
  return segmentsOf(await rfm(wh, { asOf: options.asOf, includeCustomers: false }));
}

/** The segment report of an RFM result, whichever engine scored it (ClickHouse's `chRfm` too). */
export function segmentsOf(r: RfmResult): SegmentReport {
  return {
    asOf: r.asOf,
    scoredCustomers: r.scoredCustomers,
    prospects: r.prospects,
    segments: r.segments.map((s) => {
      const rule = SEGMENT_RULES.find((x) => x.segment === s.segment);
      return {
        ...s,
        description: rule?.description ?? PROSPECTS_RULE.description,
        rRange: rule?.r ?? null,
        fmRange: rule?.fm ?? null,
      };
    }),
  };
}
