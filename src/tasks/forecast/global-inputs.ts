/**
 * @module tasks/forecast/global-inputs
 * What the global GBDT reads beside the series (ml/forecast/global-features.ts): the calendar of
 * every day from the series' first to `horizon` days past its last (holidays of the shop's country,
 * features/calendar.ts), and each series' daily price, revenue / units on the days it sold (the
 * order lines' amounts, discounts included; NaN on days without a sale). The full history is read;
 * the model itself reads a day's price only at origins after it (point in time).
 */
import { buildCalendar, holidayCountry } from '../../features/calendar.js';
import { loadSalesSeries, type SalesSeries, type SalesSeriesOptions } from '../../features/sales-series.js';
import { storeCountry } from '../../features/store-country.js';
import type { GlobalInput } from '../../ml/forecast/global-gbdt.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface GlobalInputs {
  readonly calendar: NonNullable<GlobalInput['calendar']>;
  readonly price: Float64Array;
  /** The ISO code whose holidays the calendar holds, or null. */
  readonly country: string | null;
}

/** `options` are those `s` was loaded with (undone, merchandise, cutoff), so both measures count the same lines. */
export async function loadGlobalInputs(
  wh: Warehouse,
  s: SalesSeries,
  horizon: number,
  options: Pick<SalesSeriesOptions, 'undone' | 'merchandiseOnly' | 'cutoff'> = {},
): Promise<GlobalInputs> {
  const country = holidayCountry(await storeCountry(wh, options.cutoff));
  const calendar = buildCalendar(s.start, s.length + horizon, country);
  const other = await loadSalesSeries(wh, {
    ...options,
    level: s.level,
    granularity: s.granularity,
    measure: s.measure === 'units' ? 'revenue' : 'units',
    ids: s.ids,
  });
  const [units, revenue] = s.measure === 'units' ? [s.values, other.values] : [other.values, s.values];
  const price = new Float64Array(units.length);
  for (let i = 0; i < units.length; i++) {
    price[i] = units[i]! > 0 && revenue[i]! > 0 ? revenue[i]! / units[i]! : NaN;
  }
  return { calendar, price, country };
}
