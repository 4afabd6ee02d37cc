/**
 * @module report/report-reads
 * The report's reads from the store's engine, the way `shopsight analyze` and the server's
 * engine-reads.ts choose: DuckDB's analytics, or on a ClickHouse cluster chAnalyticsReport and
 * chStoreRange (each section equal to DuckDB's by the contract suite).
 */
import { analyticsReport, type AnalyticsReport, type ReportOptions } from '../warehouse/analytics/report.js';
import { storeRange, type StoreRange } from '../warehouse/analytics/store-range.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chAnalyticsReport } from '../warehouse/clickhouse/analytics/report.js';
import { chStoreRange } from '../warehouse/clickhouse/analytics/store-range.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** The sections of `shopsight analyze` asked for, from the store's engine. */
export function reportSections(wh: Warehouse, options: ReportOptions): Promise<AnalyticsReport> {
  return wh instanceof ClickHouseStore ? chAnalyticsReport(wh, options) : analyticsReport(wh, options);
}

/** The span of the orders and their main currency, from the store's engine. */
export function reportRange(wh: Warehouse): Promise<StoreRange> {
  return wh instanceof ClickHouseStore ? chStoreRange(wh) : storeRange(wh);
}
