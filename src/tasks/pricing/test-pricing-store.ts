/**
 * A store with known price elasticities (tests only). Category `toys`, 112 days from Monday
 * 2024-01-01, one UK order a day per product (one line), seeded:
 * - t1..t5 sell 200 (p / 10)^b units a day at a price drawn each day from 10 x [0.7, 1.3], with
 *   b = -1.2, -1.4, -1.5, -1.6, -1.8 (TOY_ELASTICITY), times a weekday factor (Saturday and Sunday
 *   x 1.8, when the price is also 10% lower, so a regression without the weekday reads the busy
 *   weekend as a price effect), a trend of +20% a year, and lognormal noise (sd 0.1);
 * - flat: 40 a day at 5.00 every day (no price variation);
 * - few: 3 units at 4.00 or 5.00 on 6 days (too few days);
 * - in category `garden`: g1 at a varying price (another category, not pooled with toys).
 * Units are rounded to whole numbers.
 */
import { Rng } from '../../core/random.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export const PRICING_DAYS = 112;
export const TOY_ELASTICITY: Record<string, number> = { t1: -1.2, t2: -1.4, t3: -1.5, t4: -1.6, t5: -1.8 };

const DAY0 = Date.UTC(2024, 0, 1);

export async function seedPricingStore(wh: Warehouse): Promise<void> {
  const rng = new Rng(20261201);
  const orders: string[] = [];
  const lines: string[] = [];
  const add = (pid: string, d: number, qty: number, price: number): void => {
    const id = `${pid}-${d}`;
    const at = new Date(DAY0 + d * 86_400_000 + 10 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    orders.push(`('${id}', 'c-${pid}', TIMESTAMP '${at}', 'paid', 'UK')`);
    lines.push(`('${id}', 1, '${pid}', ${qty}, ${price.toFixed(4)})`);
  };
  for (let d = 0; d < PRICING_DAYS; d++) {
    const weekend = d % 7 >= 5;
    for (const [pid, b] of Object.entries(TOY_ELASTICITY)) {
      const price = Math.round(10 * (0.7 + 0.6 * rng.float()) * (weekend ? 0.9 : 1) * 100) / 100;
      const mean = 200 * (price / 10) ** b * (weekend ? 1.8 : 1) * (1 + (0.2 * d) / 365);
      add(pid, d, Math.max(1, Math.round(mean * rng.lognormal(0, 0.1))), price);
    }
    add('flat', d, 40, 5);
    add(
      'g1',
      d,
      Math.round(50 * (1 + 0.3 * Math.sin(d)) ** -2),
      Math.round(8 * (1 + 0.3 * Math.sin(d)) * 100) / 100,
    );
    if (d % 19 === 0) add('few', d, 3, d % 2 === 0 ? 4 : 5);
  }
  await wh.exec(`INSERT INTO products (product_id, title, category, is_merchandise) VALUES
    ('t1', 'Kite', 'toys', true), ('t2', 'Yo-yo', 'toys', true), ('t3', 'Ball', 'toys', true),
    ('t4', 'Puzzle', 'toys', true), ('t5', 'Robot', 'toys', true), ('flat', 'Top', 'toys', true),
    ('few', 'Marbles', 'toys', true), ('g1', 'Rake', 'garden', true), ('nosale', 'Drum', 'toys', true)`);
  await wh.exec(
    `INSERT INTO orders (order_id, customer_id, ordered_at, status, country) VALUES ${orders.join(',\n')}`,
  );
  await wh.exec(
    `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES ${lines.join(',\n')}`,
  );
}
