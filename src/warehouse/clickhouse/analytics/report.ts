/**
 * @module warehouse/clickhouse/analytics/report
 * analytics/report.ts on ClickHouse: every section of `shopsight analyze`, each equal to DuckDB's by
 * the contract suite, wired through the same reportFrom so the options reach each section the same
 * way on both engines.
 */
import { reportFrom, type AnalyticsReport, type ReportOptions } from '../../analytics/report.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { chRevenueByCategory, chRevenueByCountry, chTopProducts } from './breakdowns.js';
import { chCohortRetention } from './cohorts.js';
import { chFunnel } from './funnel.js';
import { chKpis } from './kpis.js';
import { chRevenueSeries } from './revenue-series.js';
import { chRfm } from './rfm.js';

export async function chAnalyticsReport(
  ch: ClickHouseStore,
  options: ReportOptions = {},
): Promise<AnalyticsReport> {
  return reportFrom(
    {
      kpis: (o) => chKpis(ch, o),
      series: (o) => chRevenueSeries(ch, o),
      countries: (o) => chRevenueByCountry(ch, o),
      categories: (o) => chRevenueByCategory(ch, o),
      products: (o) => chTopProducts(ch, o),
      cohorts: (o) => chCohortRetention(ch, o),
      rfm: (o) => chRfm(ch, o),
      funnel: (o) => chFunnel(ch, o),
    },
    options,
  );
}
