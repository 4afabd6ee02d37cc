/**
 * @module tasks/forecast/reorder
 * "When must I reorder, and how much?": per product, the daily-units model forecastSeries would
 * choose (judged on lead-time-step errors), then ml/forecast/inventory's plan: safety stock,
 * reorder point, order quantity and, for a product whose stock is known, the day it runs out.
 *
 * The stock: `stock` for the one product `id` (the command line's --stock), else the imported
 * `stock` table's latest count of the product less what sold since (features/stock-levels.ts),
 * taken as on hand on the first forecast day; only counts and sales before that day are read. A product with no count has no stock-out date and
 * its order quantity is one review period's forecast: nothing is claimed about a stock not known.
 */
import { loadSalesSeries, periodDate, seriesValues } from '../../features/sales-series.js';
import { loadStockLevels, type StockLevel } from '../../features/stock-levels.js';
import { chooseFit } from '../../ml/forecast/forecast-series.js';
import { checkReorderOptions, reorderPlan, type ReorderPlan } from '../../ml/forecast/inventory.js';
import { ForecastInputError } from '../../ml/forecast/types.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface ReorderOptionsIn {
  readonly leadTime?: number;
  readonly serviceLevel?: number;
  readonly reviewPeriod?: number;
  readonly id?: string;
  /** Units on hand of the product `id` (a stock level needs one product). */
  readonly stock?: number;
  readonly top?: number;
}

export interface ReorderRow extends ReorderPlan {
  readonly productId: string;
  readonly model: string;
  readonly note?: string;
  /** ISO day the expected demand exceeds the stock, or null (stock unknown, or lasting a year). */
  readonly stockoutDate: string | null;
  /** The units on hand the plan used, or null when unknown. */
  readonly stock: number | null;
  /** Where the stock came from: the command line, the stock table's count (with its time), or unknown. */
  readonly stockSource: 'given' | 'table' | 'unknown';
  /** ISO time of the stock table's count used. */
  readonly stockCountedAt?: string;
}

export async function reorderProducts(
  wh: Warehouse,
  options: ReorderOptionsIn,
): Promise<{ historyEnd: string; rows: ReorderRow[]; skipped: { id: string; reason: string }[] }> {
  const o = {
    leadTime: options.leadTime ?? 14,
    serviceLevel: options.serviceLevel ?? 0.95,
    reviewPeriod: options.reviewPeriod ?? 7,
    ...(options.stock !== undefined ? { stock: options.stock } : {}),
  };
  checkReorderOptions(o);
  if (options.stock !== undefined && options.id === undefined) {
    throw new ForecastInputError('a stock level is for one product: give the product id with it');
  }
  const s = await loadSalesSeries(wh, {
    level: 'product',
    ...(options.id !== undefined ? { ids: [options.id] } : {}),
    ...(options.top !== undefined ? { top: options.top } : {}),
  });
  // As of the forecast origin (the day after the last order day): a count dated later is not known yet.
  const levels =
    options.stock === undefined
      ? await loadStockLevels(wh, { cutoff: periodDate(s, s.length) })
      : new Map<string, StockLevel>();
  const rows: ReorderRow[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (let i = 0; i < s.ids.length; i++) {
    const id = s.ids[i]!;
    try {
      const c = chooseFit(seriesValues(s, i), { model: 'auto', season: 7, horizon: o.leadTime });
      const counted = levels.get(id);
      const stock = options.stock ?? counted?.now;
      const plan = reorderPlan(c.fit, c.y, { ...o, ...(stock !== undefined ? { stock } : {}) }, c.backtest);
      rows.push({
        productId: id,
        model: c.fit.model,
        ...(c.note ? { note: c.note } : {}),
        ...plan,
        stock: stock ?? null,
        stockSource: options.stock !== undefined ? 'given' : counted ? 'table' : 'unknown',
        ...(counted && options.stock === undefined ? { stockCountedAt: counted.asOf.toISOString() } : {}),
        stockoutDate:
          plan.stockoutDay === null
            ? null
            : periodDate(s, s.length - 1 + plan.stockoutDay)
                .toISOString()
                .slice(0, 10),
      });
    } catch (e) {
      if (!(e instanceof ForecastInputError) || options.id !== undefined) throw e;
      skipped.push({ id, reason: e.message });
    }
  }
  return {
    historyEnd: periodDate(s, s.length - 1)
      .toISOString()
      .slice(0, 10),
    rows,
    skipped,
  };
}
