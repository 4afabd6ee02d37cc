/**
 * @module server/engine-reads
 * The reads of the routes that run on both engines, one small function each: the route hands over
 * the Warehouse its ServerWarehouse gave it (DuckDB's connection, or the ClickHouseStore of a server
 * on a cluster: engine-gate.ts) and gets the same answer from that engine's SQL, the way
 * `shopsight analyze` chooses per engine. The ClickHouse queries are held to DuckDB's answers by the
 * contract suite (warehouse/clickhouse/contract.test.ts) and serve-clickhouse.test.ts.
 */
import {
  analyticsReport,
  segmentReport,
  segmentsOf,
  type AnalyticsReport,
  type ReportOptions,
  type SegmentReport,
} from '../warehouse/analytics/report.js';
import { storeRange, type StoreRange } from '../warehouse/analytics/store-range.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chAnalyticsReport } from '../warehouse/clickhouse/analytics/report.js';
import { chRfm } from '../warehouse/clickhouse/analytics/rfm.js';
import { chStoreRange } from '../warehouse/clickhouse/analytics/store-range.js';
import { readSplit, type StoredSplit } from '../warehouse/ab-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** The sections of `shopsight analyze` asked for, from the store's engine. */
export function reportOn(wh: Warehouse, options: ReportOptions): Promise<AnalyticsReport> {
  return wh instanceof ClickHouseStore ? chAnalyticsReport(wh, options) : analyticsReport(wh, options);
}

/** The RFM segments with their rules (`GET /v1/segments`), from the store's engine. */
export async function segmentsOn(wh: Warehouse, asOf: string | undefined): Promise<SegmentReport> {
  return wh instanceof ClickHouseStore
    ? segmentsOf(await chRfm(wh, { asOf, includeCustomers: false }))
    : segmentReport(wh, { asOf });
}

/** The span of the orders and their main currency, from the store's engine. */
export function storeRangeOn(wh: Warehouse): Promise<StoreRange> {
  return wh instanceof ClickHouseStore ? chStoreRange(wh) : storeRange(wh);
}

/**
 * The A/B split in force for a task. A cluster holds no `ab_splits` table yet (the split routes
 * answer 501 there), so on ClickHouse none is in force and every visitor gets the promoted model.
 */
export function splitOn(wh: Warehouse, task: string): Promise<StoredSplit | undefined> {
  return wh instanceof ClickHouseStore ? Promise.resolve(undefined) : readSplit(wh, task);
}
