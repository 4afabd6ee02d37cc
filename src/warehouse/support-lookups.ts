/**
 * @module warehouse/support-lookups
 * What the support assistant's tools may read: one customer's own orders (never another's) and a
 * product's public facts. Read-only.
 */
import type { Warehouse } from './warehouse.js';

export interface CustomerOrder {
  readonly order_id: string;
  readonly status: string;
  readonly ordered_at: string;
  readonly total: number | null;
  readonly currency: string | null;
  readonly lines: number;
}

/** The customer's orders, newest first (at most `limit`). */
export async function customerOrders(wh: Warehouse, customerId: string, limit = 5): Promise<CustomerOrder[]> {
  return wh.rows<CustomerOrder & Record<string, unknown>>(
    `SELECT o.order_id, o.status, strftime(o.ordered_at, '%Y-%m-%d %H:%M') AS ordered_at,
            CAST(o.total AS DOUBLE) AS total, o.currency,
            (SELECT count(*) FROM order_items i WHERE i.order_id = o.order_id) AS lines
     FROM orders o WHERE o.customer_id = ? ORDER BY o.ordered_at DESC, o.order_id LIMIT ?`,
    [customerId, limit],
  );
}

/** One order, only when it belongs to this customer (undefined otherwise: no hint that it exists). */
export async function customerOrder(
  wh: Warehouse,
  customerId: string,
  orderId: string,
): Promise<CustomerOrder | undefined> {
  const rows = await wh.rows<CustomerOrder & Record<string, unknown>>(
    `SELECT o.order_id, o.status, strftime(o.ordered_at, '%Y-%m-%d %H:%M') AS ordered_at,
            CAST(o.total AS DOUBLE) AS total, o.currency,
            (SELECT count(*) FROM order_items i WHERE i.order_id = o.order_id) AS lines
     FROM orders o WHERE o.customer_id = ? AND o.order_id = ?`,
    [customerId, orderId],
  );
  return rows[0];
}

export interface ProductFacts {
  readonly product_id: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly category: string | null;
  readonly price: number | null;
  readonly currency: string | null;
  readonly in_stock: boolean | null;
}

export async function productFacts(wh: Warehouse, productId: string): Promise<ProductFacts | undefined> {
  const rows = await wh.rows<ProductFacts & Record<string, unknown>>(
    `SELECT product_id, title, description, category, CAST(price AS DOUBLE) AS price, currency, in_stock
     FROM products WHERE product_id = ?`,
    [productId],
  );
  return rows[0];
}
