/**
 * @module features/baskets
 * Market baskets from the warehouse: one basket per sales order (cancelled and returned orders left
 * out), holding the distinct merchandise products on its lines (postage, fees and vouchers left out:
 * "postage is bought with everything" is not a finding). Orders and products get dense indices in
 * SQL, so only two integer columns cross into JavaScript.
 *
 * @example
 *   const { baskets, productIds } = await loadBaskets(wh, { cutoff: new Date('2011-09-01') });
 *   baskets.count; // sales orders placed before the cutoff with at least one merchandise line
 *   productIds[baskets.itemIds[0]]; // '85123A'
 */
import type { Baskets } from '../ml/basket/baskets.js';
import { isMerchandise, isSale, Params } from '../warehouse/analytics/sql.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface BasketOptions {
  /** Only orders placed strictly before this instant (point-in-time training). Default: all. */
  readonly cutoff?: Date;
}

export interface BasketData {
  readonly baskets: Baskets;
  /** Item index -> product_id, ascending by product_id. */
  readonly productIds: string[];
  /** Basket index -> order_id, ascending by order_id. */
  readonly orderIds: string[];
}

export async function loadBaskets(wh: Warehouse, options: BasketOptions = {}): Promise<BasketData> {
  const params = new Params();
  const cutoff = options.cutoff ? `o.ordered_at < CAST(${params.add(options.cutoff)} AS TIMESTAMP)` : 'TRUE';
  const lines = `SELECT DISTINCT i.order_id, i.product_id
    FROM order_items i
    JOIN orders o ON o.order_id = i.order_id
    LEFT JOIN products p ON p.product_id = i.product_id
    WHERE ${isSale('o')} AND ${isMerchandise('p')} AND ${cutoff}`;
  // Each side is numbered by its sorted ids; dense_rank over the lines and row_number over the
  // distinct ids give the same numbers. Results are placed by index, so no row order is relied on.
  const pairs = await wh.columns(
    `WITH lines AS (${lines})
     SELECT dense_rank() OVER (ORDER BY order_id) - 1 AS basket,
            dense_rank() OVER (ORDER BY product_id) - 1 AS item
     FROM lines`,
    { basket: 'i32', item: 'i32' },
    params.values,
  );
  const productIds = await numberedIds(wh, lines, 'product_id', params);
  const orderIds = await numberedIds(wh, lines, 'order_id', params);

  // Counting sort of the (basket, item) pairs by basket.
  const count = orderIds.length;
  const offsets = new Int32Array(count + 1);
  for (let k = 0; k < pairs.length; k++) offsets[pairs.basket[k]! + 1]!++;
  for (let b = 0; b < count; b++) offsets[b + 1]! += offsets[b]!;
  const fill = offsets.slice(0, count);
  const itemIds = new Int32Array(pairs.length);
  for (let k = 0; k < pairs.length; k++) itemIds[fill[pairs.basket[k]!]!++] = pairs.item[k]!;
  return { baskets: { count, items: productIds.length, offsets, itemIds }, productIds, orderIds };
}

/** The distinct values of `column` in the lines, placed at their position in sorted order. */
async function numberedIds(
  wh: Warehouse,
  lines: string,
  column: 'order_id' | 'product_id',
  params: Params,
): Promise<string[]> {
  const c = await wh.columns(
    `WITH lines AS (${lines})
     SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM (SELECT DISTINCT ${column} AS id FROM lines)`,
    { id: 'str', n: 'i32' },
    params.values,
  );
  const ids = new Array<string>(c.length);
  for (let k = 0; k < c.length; k++) ids[c.n[k]!] = c.id[k] ?? '';
  return ids;
}
