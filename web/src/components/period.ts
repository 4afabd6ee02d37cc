/**
 * Periods as the API takes them: `from` inclusive, `to` exclusive, whole UTC days 'YYYY-MM-DD'.
 * The default is the last 90 days of the store's data (ending the day after its last order, so the
 * last day counts); period-over-period change compares with the equally long period just before.
 */
import type { StoreInfo } from '../app/store';

export interface Period {
  readonly from: string;
  readonly to: string;
}

export const DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS);
}

/** The day after the store's last order (the API's default "as of"), or null without orders. */
export function dataEnd(store: Pick<StoreInfo, 'lastOrderAt'>): string | null {
  return store.lastOrderAt ? addDays(store.lastOrderAt.slice(0, 10), 1) : null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The URL's period when it is valid, else the default one (null for a store without orders). */
export function periodFrom(params: URLSearchParams, store: Pick<StoreInfo, 'lastOrderAt'>): Period | null {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && DAY.test(from) && DAY.test(to) && from < to) return { from, to };
  const end = dataEnd(store);
  return end ? { from: addDays(end, -DEFAULT_DAYS), to: end } : null;
}

export function previousPeriod(p: Period): Period {
  return { from: addDays(p.from, -daysBetween(p)), to: p.from };
}

/** Relative change, null when there is nothing to compare with. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
