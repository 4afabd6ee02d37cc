/**
 * @module generate/options
 * Checks generator options up front and fills in defaults, so a bad value fails in milliseconds with a
 * message naming the option, not after minutes of writing.
 *
 * @example
 *   resolveOptions({ customers: 1000, out: '/tmp/store' }); // { customers: 1000, days: 365, seed: 1, ... }
 *   resolveOptions({ customers: 0, out: 'x' }); // throws GenerateOptionsError: customers must be ...
 */

export interface GenerateProgress {
  /** `calibrating` while sizing the shop for an --events target, then `writing`. */
  phase: 'calibrating' | 'writing';
  /** Share of the time window simulated so far, 0..1. */
  fraction: number;
  events: number;
}

export interface GenerateOptions {
  /** Output directory (created if missing); the five CSVs inside are overwritten. */
  out: string;
  /** Number of customers. Default 10,000, or sized from `events` when that is given. */
  customers?: number;
  /** Aim for about this many events (within a few percent) by sizing the customer base. */
  events?: number;
  /** Length of the window in days. Default 365. */
  days?: number;
  /** Same seed and options, byte-identical files. Default 1. */
  seed?: number;
  /** First day of the window, `YYYY-MM-DD` (UTC). Default 2024-01-01. */
  start?: string;
  /** Merchandise products. Default grows with the customer base (10 * sqrt(customers), 50..50,000). */
  products?: number;
  /** ISO 4217 currency of all amounts. Default GBP. */
  currency?: string;
  onProgress?: (progress: GenerateProgress) => void;
}

export interface ResolvedOptions {
  out: string;
  customers: number | null;
  events: number | null;
  days: number;
  seed: number;
  start: string;
  startMs: number;
  products: number | null;
  currency: string;
}

export const LIMITS = {
  customers: 20_000_000,
  events: 2_000_000_000,
  days: 3660,
  seed: 2 ** 48 - 1,
  products: 1_000_000,
  minProducts: 30,
} as const;

/** A bad option; `option` is its name (the CLI shows it as --name). */
export class GenerateOptionsError extends Error {
  constructor(
    readonly option: string,
    readonly detail: string,
  ) {
    super(`${option} ${detail}`);
    this.name = 'GenerateOptionsError';
  }
}

export function resolveOptions(o: GenerateOptions): ResolvedOptions {
  if (typeof o.out !== 'string' || o.out.trim() === '')
    throw new GenerateOptionsError('out', 'must be a directory path');
  if (o.customers !== undefined && o.events !== undefined) {
    throw new GenerateOptionsError(
      'events',
      'sets the number of customers itself: give customers or events, not both',
    );
  }
  const start = o.start ?? '2024-01-01';
  const startMs = parseDay(start);
  return {
    out: o.out,
    customers:
      o.customers === undefined
        ? o.events === undefined
          ? 10_000
          : null
        : wholeNumber('customers', o.customers, 1, LIMITS.customers),
    events: o.events === undefined ? null : wholeNumber('events', o.events, 1, LIMITS.events),
    days: wholeNumber('days', o.days ?? 365, 1, LIMITS.days),
    seed: wholeNumber('seed', o.seed ?? 1, 0, LIMITS.seed),
    start,
    startMs,
    products:
      o.products === undefined
        ? null
        : wholeNumber('products', o.products, LIMITS.minProducts, LIMITS.products),
    currency: currency(o.currency ?? 'GBP'),
  };
}

/** Default catalogue size: bigger shops sell more products, sub-linearly. */
export function defaultProducts(customers: number): number {
  return Math.min(50_000, Math.max(50, Math.round(10 * Math.sqrt(customers))));
}

function wholeNumber(option: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = `${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
    throw new GenerateOptionsError(option, `must be a whole number from ${range} (got ${String(value)})`);
  }
  return value;
}

function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC rolls 2024-02-31 over to March; a round trip catches that.
  if (!m || new Date(ms).toISOString().slice(0, 10) !== s || Number(m[1]) < 1990 || Number(m[1]) > 2100) {
    throw new GenerateOptionsError(
      'start',
      `must be a date YYYY-MM-DD between 1990 and 2100 (got ${JSON.stringify(s)})`,
    );
  }
  return ms;
}

function currency(code: string): string {
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new GenerateOptionsError(
      'currency',
      `must be a three-letter ISO 4217 code (got ${JSON.stringify(code)})`,
    );
  }
  return code;
}
