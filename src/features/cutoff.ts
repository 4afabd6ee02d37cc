/**
 * @module features/cutoff
 * The "as of" instant every point-in-time feature is built from, checked against the data: a cutoff
 * before the first sales order has nobody to describe, and one after the last order plus a label
 * horizon has no future to learn from. Refusing both here gives one clear message instead of an
 * empty matrix (or NaN metrics) three stages later.
 *
 * @example
 *   await dataRange(wh);                    // { first: 2010-12-01T08:26Z, last: 2011-12-09T12:50Z }
 *   parseCutoff('2011-09-09');              // Date 2011-09-09T00:00:00Z (a day, midnight UTC)
 *   defaultCutoff(range);                   // the day after the last order: score "as of now"
 */
import type { Warehouse } from '../warehouse/warehouse.js';

const DAY_MS = 86_400_000;

export interface DataRange {
  /** First and last sales order with a customer (cancellations and guests left out). */
  readonly first: Date;
  readonly last: Date;
}

/**
 * 'YYYY-MM-DD' -> that day at 00:00 UTC; refuses anything else. A cutoff is a whole day so that
 * "before the cutoff" means the same to the features, the labels and the RFM scores (which work in days).
 */
export function parseCutoff(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) {
    throw new RangeError(`cutoff must be a day like 2011-09-09, got '${value}'`);
  }
  return d;
}

export async function dataRange(wh: Warehouse): Promise<DataRange | null> {
  const c = await wh.columns(
    `SELECT min(ordered_at) AS first, max(ordered_at) AS last FROM orders
     WHERE customer_id IS NOT NULL AND status NOT IN ('cancelled', 'returned')`,
    { first: 'ts', last: 'ts' },
  );
  const first = c.first[0];
  const last = c.last[0];
  if (first === undefined || last === undefined || Number.isNaN(first) || Number.isNaN(last)) return null;
  return { first: new Date(first), last: new Date(last) };
}

/** Midnight UTC after the last sales order: features "as of now" see every order. */
export function defaultCutoff(range: DataRange): Date {
  return new Date(Math.floor(range.last.getTime() / DAY_MS) * DAY_MS + DAY_MS);
}

/**
 * Throws unless the cutoff leaves some history before it and, when a label horizon is asked for,
 * a whole horizon of data after it (a horizon that runs past the data would count every customer
 * as a churner).
 */
export function checkCutoff(range: DataRange | null, cutoff: Date, horizonDays?: number): void {
  if (!range)
    throw new RangeError('no sales orders with a customer id in the warehouse: import orders first');
  const day = (d: Date): string => d.toISOString().slice(0, 10);
  if (cutoff.getTime() <= range.first.getTime()) {
    throw new RangeError(
      `cutoff ${day(cutoff)} is not after the first order (${day(range.first)}): there is no history to learn from`,
    );
  }
  if (horizonDays !== undefined) {
    const end = cutoff.getTime() + horizonDays * DAY_MS;
    // The last order's day counts as covered: data that ends at 12:50 on a day still says who bought that day.
    const covered = Math.floor(range.last.getTime() / DAY_MS) * DAY_MS + DAY_MS;
    if (end > covered) {
      throw new RangeError(
        `cutoff ${day(cutoff)} + ${horizonDays} days runs past the last order (${day(range.last)}): ` +
          `use a cutoff on or before ${day(new Date(covered - horizonDays * DAY_MS))}`,
      );
    }
  } else if (cutoff.getTime() > range.last.getTime() + 366 * DAY_MS) {
    throw new RangeError(
      `cutoff ${day(cutoff)} is more than a year after the last order (${day(range.last)}): features would describe nobody's present`,
    );
  }
}
