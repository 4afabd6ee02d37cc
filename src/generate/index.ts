/**
 * @module generate
 * The synthetic store generator: a realistic shop of any size written as the five CSV files the
 * importer's `shopsight` preset reads (customers, products, orders, order_items, events), with headers
 * exactly the canonical columns of schema/tables.ts. For scale benchmarks and tests only: it is never a
 * substitute for real datasets in evaluation.
 *
 * Streaming and deterministic: memory is O(customers + products) whatever the number of events, and the
 * same options and seed give byte-identical files.
 *
 * @example
 *   const summary = await generateStore({ customers: 200_000, days: 365, seed: 7, out: '/tmp/store' });
 *   summary.files.events.rows; // ~10 million
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { customersForEvents } from './calibrate.js';
import { formatUtc } from './clock.js';
import { CsvWriter, type CsvFileStats } from './csv-writer.js';
import { defaultProducts, resolveOptions, type GenerateOptions } from './options.js';
import { writeStore, type StoreWriters } from './store.js';

export { GenerateOptionsError, LIMITS, type GenerateOptions, type GenerateProgress } from './options.js';
export type { CsvFileStats } from './csv-writer.js';

/** The files, named after their canonical table. */
export const GENERATED_FILES = {
  customers: 'customers.csv',
  products: 'products.csv',
  orders: 'orders.csv',
  order_items: 'order_items.csv',
  events: 'events.csv',
} as const;
export type GeneratedTable = keyof typeof GENERATED_FILES;

export interface GenerateSummary {
  outDir: string;
  seed: number;
  customers: number;
  /** Merchandise products (the catalogue also holds the non-merchandise postage and gift-wrap lines). */
  products: number;
  days: number;
  /** First and last second of the window, `YYYY-MM-DD HH:MM:SS` UTC. */
  start: string;
  end: string;
  currency: string;
  sessions: number;
  files: Record<GeneratedTable, CsvFileStats>;
  rows: number;
  bytes: number;
  seconds: number;
  /** Event rows written per second of wall time, the whole run included. */
  eventsPerSecond: number;
}

export async function generateStore(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const o = resolveOptions(options);
  const outDir = resolve(o.out);
  const report = options.onProgress;
  const base = { seed: o.seed, days: o.days, startMs: o.startMs, currency: o.currency };

  const customers =
    o.customers ??
    (await customersForEvents(o.events!, { ...base, products: o.products }, (fraction, events) =>
      report?.({ phase: 'calibrating', fraction, events }),
    ));
  const products = o.products ?? defaultProducts(customers);

  await mkdir(outDir, { recursive: true });
  const open = (table: GeneratedTable): CsvWriter => CsvWriter.open(join(outDir, GENERATED_FILES[table]));
  const writers: StoreWriters = {
    customers: open('customers'),
    products: open('products'),
    orders: open('orders'),
    items: open('order_items'),
    events: open('events'),
  };
  const all = Object.values(writers);
  let sessions: number;
  try {
    const counts = await writeStore({ ...base, customers, products }, writers, (fraction, events) =>
      report?.({ phase: 'writing', fraction, events }),
    );
    sessions = counts.sessions;
  } catch (err) {
    for (const w of all) w.abort();
    throw err;
  }
  const [c, p, ord, items, ev] = await Promise.all(all.map((w) => w.close()));
  const files = { customers: c!, products: p!, orders: ord!, order_items: items!, events: ev! };
  report?.({ phase: 'writing', fraction: 1, events: files.events.rows });

  const seconds = (performance.now() - started) / 1000;
  const stats = Object.values(files);
  return {
    outDir,
    seed: o.seed,
    customers,
    products,
    days: o.days,
    start: formatUtc(o.startMs),
    end: formatUtc(o.startMs + o.days * 86_400_000 - 1000),
    currency: o.currency,
    sessions,
    files,
    rows: stats.reduce((a, f) => a + f.rows, 0),
    bytes: stats.reduce((a, f) => a + f.bytes, 0),
    seconds,
    eventsPerSecond: files.events.rows / seconds,
  };
}
