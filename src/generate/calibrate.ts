/**
 * @module generate/calibrate
 * Sizes the customer base for an `--events N` target. Events grow linearly with customers (each
 * customer's visits are independent and the anonymous traffic is proportional to the customer base),
 * so one pilot shop of fixed size, simulated with the same seed, days and start and written nowhere,
 * gives events per customer; the target divided by it is the customer count.
 *
 * @example
 *   const customers = await customersForEvents(10_000_000, { seed: 1, days: 365, ... });
 */
import { CsvWriter } from './csv-writer.js';
import { defaultProducts } from './options.js';
import { writeStore, type StorePlan } from './store.js';

/** Customers in the pilot shop: large enough for ~1% precision, small enough to take about a second. */
export const PILOT_CUSTOMERS = 20_000;

export async function customersForEvents(
  target: number,
  plan: Omit<StorePlan, 'customers' | 'products'> & { products: number | null },
  onProgress?: (fraction: number, events: number) => void,
): Promise<number> {
  const pilot = Math.min(PILOT_CUSTOMERS, Math.max(1000, Math.ceil(target / 20)));
  const products = plan.products ?? defaultProducts(pilot);
  const sink = (): CsvWriter => CsvWriter.discard();
  const writers = { customers: sink(), products: sink(), orders: sink(), items: sink(), events: sink() };
  const counts = await writeStore({ ...plan, customers: pilot, products }, writers, onProgress);
  const perCustomer = counts.events / pilot;
  return Math.max(1, Math.round(target / perCustomer));
}
