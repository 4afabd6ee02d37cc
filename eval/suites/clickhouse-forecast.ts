/**
 * The forecasting and pricing inputs of the `clickhouse` suite (issue 14): on Online Retail, the
 * sales series (every level, day and week, units and revenue, undone lines left out or netted, a
 * cutoff) and the pricing panel read from the 2-shard cluster equal DuckDB's element by element,
 * exactly: units are whole-number sums, revenue each period's DECIMAL sum read as text on both
 * engines, the median as DuckDB interpolates it. One entry of SECTIONS in clickhouse.ts each.
 */
import { loadPricePanel } from '../../src/features/price-observations.js';
import { loadSalesSeries, type SalesSeriesOptions } from '../../src/features/sales-series.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { compareEngines, firstExactDifference, type EngineComparison } from './clickhouse-same.js';

const SAME = 'DuckDB on the same file (the reference engine), every element equal to the bit';
const CUTOFF = new Date('2011-06-01T00:00:00Z');

export const SERIES_OPTIONS: readonly SalesSeriesOptions[] = [
  { level: 'total' },
  { level: 'country' },
  { level: 'category', granularity: 'week' },
  { level: 'product' },
  { level: 'product', measure: 'revenue' },
  { level: 'country', measure: 'revenue', granularity: 'week', undone: 'net' },
  { level: 'product', undone: 'net', cutoff: CUTOFF },
  { level: 'product', measure: 'revenue', cutoff: CUTOFF, merchandiseOnly: false },
];

const exactly = <O>(
  name: string,
  options: readonly O[],
  read: (w: Warehouse, o: O) => Promise<Record<string, unknown>>,
): EngineComparison =>
  compareEngines({
    name,
    options,
    onClickHouse: read,
    onDuckDB: read,
    difference: firstExactDifference,
    source: SAME,
  });

export const SALES_SERIES = exactly(
  'forecasting sales series (levels, day/week, units/revenue, undone, cutoff)',
  SERIES_OPTIONS,
  async (w, o) => ({ ...(await loadSalesSeries(w, o)) }),
);

export const PRICE_PANEL = exactly(
  'pricing panel (units and median price per product and day)',
  [{ category: '(none)' }, { category: '(none)', cutoff: CUTOFF }],
  async (w, o) => {
    const { ids, panel } = await loadPricePanel(w, o);
    return { ids, ...panel };
  },
);
