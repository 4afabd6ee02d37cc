/**
 * The forecasting and pricing inputs of the `clickhouse` suite (issue 14): on Online Retail, the
 * sales series (every level, day and week, units and revenue, undone lines left out or netted, a
 * cutoff) and the pricing panel read from the 2-shard cluster equal DuckDB's element by element,
 * exactly: units are whole-number sums, revenue each period's DECIMAL sum read as text on both
 * engines, the median as DuckDB interpolates it. One entry of SECTION_CHECKS in clickhouse.ts each.
 */
import { loadPricePanel } from '../../src/features/price-observations.js';
import { loadSalesSeries, type SalesSeriesOptions } from '../../src/features/sales-series.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { holds, type Check } from '../check.js';

const SUITE = 'clickhouse: Online Retail on 2 shards';
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

/** The first place two values differ (typed arrays element by element, Object.is), or null. */
function firstExactDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | null {
  for (const k of Object.keys(b)) {
    const x = a[k];
    const y = b[k];
    if (ArrayBuffer.isView(x) && ArrayBuffer.isView(y)) {
      const xs = x as unknown as ArrayLike<number>;
      const ys = y as unknown as ArrayLike<number>;
      if (xs.length !== ys.length) return `${k}: ${xs.length} vs ${ys.length} elements`;
      for (let i = 0; i < xs.length; i++)
        if (!Object.is(xs[i], ys[i])) return `${k}[${i}]: ${xs[i]} vs ${ys[i]}`;
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      return `${k}: ${JSON.stringify(x).slice(0, 80)} vs ${JSON.stringify(y).slice(0, 80)}`;
    }
  }
  return null;
}

async function exactlyTheSame<O>(
  name: string,
  options: readonly O[],
  read: (wh: Warehouse, o: O) => Promise<Record<string, unknown>>,
  ch: Warehouse,
  wh: Warehouse,
): Promise<Check> {
  const diffs: string[] = [];
  for (const o of options) {
    const d = firstExactDifference(await read(ch, o), await read(wh, o));
    if (d) diffs.push(`${JSON.stringify(o)}: ${d}`);
  }
  return holds(
    SUITE,
    `${name} equal DuckDB's (${options.length} option sets)`,
    diffs.length === 0,
    diffs[0] ?? 'all equal',
    SAME,
  );
}

export function sameSalesSeries(s: { ch: Warehouse; wh: Warehouse }): Promise<Check> {
  return exactlyTheSame(
    'forecasting sales series (levels, day/week, units/revenue, undone, cutoff)',
    SERIES_OPTIONS,
    async (w, o) => ({ ...(await loadSalesSeries(w, o)) }),
    s.ch,
    s.wh,
  );
}

export function samePricePanel(s: { ch: Warehouse; wh: Warehouse }): Promise<Check> {
  return exactlyTheSame(
    'pricing panel (units and median price per product and day)',
    [{ category: '(none)' }, { category: '(none)', cutoff: CUTOFF }],
    async (w, o) => {
      const { ids, panel } = await loadPricePanel(w, o);
      return { ids, ...panel };
    },
    s.ch,
    s.wh,
  );
}
