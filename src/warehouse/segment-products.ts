/**
 * @module warehouse/segment-products
 * The products a group of customers bought most (sales orders, merchandise only): what campaign copy
 * for a segment names.
 */
import type { Warehouse } from './warehouse.js';

export interface SegmentProduct {
  readonly product_id: string;
  readonly title: string | null;
  readonly customers: number;
  readonly units: number;
}

/**
 * The k products bought by the most of these customers (ties: more units, then id); with `before`
 * ('YYYY-MM-DD'), only orders placed before that day (figures as of a scoring day).
 */
export async function topProductsOfCustomers(
  wh: Warehouse,
  customerIds: readonly string[],
  k = 3,
  before?: string,
): Promise<SegmentProduct[]> {
  if (!customerIds.length) return [];
  return wh.rows<SegmentProduct & Record<string, unknown>>(
    `WITH ids AS (SELECT unnest(from_json(CAST(? AS JSON), '["VARCHAR"]')) AS customer_id)
     SELECT i.product_id, any_value(p.title) AS title, count(DISTINCT o.customer_id) AS customers,
            sum(i.quantity) AS units
     FROM orders o JOIN ids USING (customer_id) JOIN order_items i ON i.order_id = o.order_id
     LEFT JOIN products p ON p.product_id = i.product_id
     WHERE o.status NOT IN ('cancelled', 'returned') AND coalesce(p.is_merchandise, true)
       ${before ? 'AND o.ordered_at < CAST(? AS DATE)' : ''}
     GROUP BY i.product_id ORDER BY customers DESC, units DESC, i.product_id LIMIT ?`,
    before ? [JSON.stringify(customerIds), before, k] : [JSON.stringify(customerIds), k],
  );
}
