/**
 * @module generate/store
 * One synthetic shop from a plan: catalogue, customers, then the simulated sessions with their orders.
 * Each part draws from its own seeded random stream, so e.g. the catalogue does not change when the
 * customer count does, and the same plan always gives the same bytes.
 *
 * @example
 *   const counts = await writeStore(plan, writers);
 */
import { buildCatalogue, writeProducts } from './catalogue.js';
import { Clock } from './clock.js';
import type { CsvWriter } from './csv-writer.js';
import { buildPopulation, writeCustomers } from './customers.js';
import { Rng } from '../core/random.js';
import { Seasonality } from './seasonality.js';
import { simulate, type SimulationCounts } from './simulate.js';

export interface StorePlan {
  seed: number;
  customers: number;
  products: number;
  days: number;
  startMs: number;
  currency: string;
}

export interface StoreWriters {
  customers: CsvWriter;
  products: CsvWriter;
  orders: CsvWriter;
  items: CsvWriter;
  events: CsvWriter;
}

/** Independent random streams per part of the shop (seed <= 2^48, so seed * 16 + k stays exact). */
const STREAM = { catalogue: 1, population: 2, customerRows: 3, sessions: 4 } as const;

export async function writeStore(
  plan: StorePlan,
  out: StoreWriters,
  onProgress?: (fraction: number, events: number) => void,
): Promise<SimulationCounts> {
  const rng = (k: number): Rng => new Rng(plan.seed * 16 + k);
  const season = new Seasonality(plan.startMs, plan.days);
  const clock = new Clock(plan.startMs, plan.days);
  const cat = buildCatalogue(rng(STREAM.catalogue), plan.products);
  const pop = buildPopulation(rng(STREAM.population), plan.customers, season, cat.topWeights);

  await writeProducts(out.products, cat, plan.currency);
  await writeCustomers(out.customers, pop, clock, rng(STREAM.customerRows));
  return simulate(
    { rng: rng(STREAM.sessions), cat, pop, clock, season, currency: plan.currency, onProgress },
    { events: out.events, orders: out.orders, items: out.items },
  );
}
