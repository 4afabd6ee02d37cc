/**
 * @module warehouse/analytics/kpis
 * The headline numbers of a period: revenue, orders, AOV, customers, new vs returning, repeat
 * customers and rate.
 * One SQL statement: orders are joined to their lines once, then order-level and customer-level
 * aggregates are taken from that single pass. Formulas are in docs/analytics.md.
 *
 * @example
 *   const k = await kpis(wh, { period: { from: '2011-01-01', to: '2012-01-01' } });
 *   k.grossRevenue; k.aov; k.repeatPurchaseRate;
 */
import type { Warehouse } from '../warehouse.js';
import { fromClause, resolvePeriod, toClause, type Period, type ResolvedPeriod } from './period.js';
import { isSale, lineAmount, money, Params, ratio } from './sql.js';

export interface KpiOptions {
  readonly period?: Period;
}

export interface Kpis {
  readonly period: ResolvedPeriod;
  /** Sum of line amounts of sales orders (status not cancelled/returned), postage and fees included. */
  readonly grossRevenue: number;
  /** Sum of line amounts of cancelled or returned orders. */
  readonly cancelledReturnedValue: number;
  /** grossRevenue - cancelledReturnedValue. */
  readonly netRevenue: number;
  /** Count of sales orders. */
  readonly orders: number;
  readonly cancelledOrders: number;
  readonly returnedOrders: number;
  /** grossRevenue / orders (null without orders). */
  readonly aov: number | null;
  /** Units sold on sales orders. */
  readonly units: number;
  /** units / orders. */
  readonly itemsPerOrder: number | null;
  /** Distinct known customers with >= 1 sales order in the period (guests not counted). */
  readonly customers: number;
  /** Customers whose first-ever sales order is in the period. */
  readonly newCustomers: number;
  /**
   * Customers of the period who had bought before it (first sales order before the period start):
   * customers - newCustomers. 0 without a period start, where there is no "before".
   */
  readonly returningCustomers: number;
  /**
   * Customers of the period with >= 2 sales orders from the beginning up to the period end. Every
   * returning customer is one (an order before the period and one in it), so
   * returningCustomers <= repeatCustomers <= customers.
   */
  readonly repeatCustomers: number;
  /** repeatCustomers / customers: the share of the period's customers who have bought twice or more. */
  readonly repeatPurchaseRate: number | null;
  /** Sales orders without a customer_id. */
  readonly guestOrders: number;
  /** guestOrders / orders. */
  readonly guestOrderShare: number | null;
}

/** The sums one store's KPI query returns, whatever the engine (clickhouse/analytics/kpis.ts too). */
export type KpiRow = {
  gross: number;
  undone: number;
  orders: number;
  cancelled_orders: number;
  returned_orders: number;
  guest_orders: number;
  units: number;
  customers: number;
  new_customers: number;
  repeat_customers: number;
};

export async function kpis(wh: Warehouse, options: KpiOptions = {}): Promise<Kpis> {
  const period = resolvePeriod(options.period);
  const params = new Params();
  // `o` is history up to the period end (needed for "first-ever order" and repeat counts);
  // `p` narrows it to the period and attaches each order's amount and units.
  const sql = `
    WITH o AS (
      SELECT order_id, customer_id, ordered_at, status, ${isSale('orders')} AS is_sale
      FROM orders WHERE ${toClause('ordered_at', period, params)}
    ),
    p AS (
      SELECT o.order_id, any_value(o.customer_id) AS customer_id, any_value(o.status) AS status,
             any_value(o.is_sale) AS is_sale,
             coalesce(sum(${lineAmount('i')}), 0) AS amount, coalesce(sum(i.quantity), 0) AS units
      FROM o LEFT JOIN order_items i ON i.order_id = o.order_id
      WHERE ${fromClause('o.ordered_at', period, params)}
      GROUP BY o.order_id
    ),
    hist AS (
      SELECT customer_id, min(ordered_at) AS first_at, count(*) AS n
      FROM o WHERE is_sale AND customer_id IS NOT NULL GROUP BY customer_id
    ),
    ord AS (
      SELECT
        CAST(coalesce(sum(amount) FILTER (WHERE is_sale), 0) AS DOUBLE) AS gross,
        CAST(coalesce(sum(amount) FILTER (WHERE NOT is_sale), 0) AS DOUBLE) AS undone,
        count(*) FILTER (WHERE is_sale) AS orders,
        count(*) FILTER (WHERE status = 'cancelled') AS cancelled_orders,
        count(*) FILTER (WHERE status = 'returned') AS returned_orders,
        count(*) FILTER (WHERE is_sale AND customer_id IS NULL) AS guest_orders,
        coalesce(sum(units) FILTER (WHERE is_sale), 0) AS units
      FROM p
    ),
    cust AS (
      SELECT count(*) AS customers,
             count(*) FILTER (WHERE ${fromClause('h.first_at', period, params)}) AS new_customers,
             count(*) FILTER (WHERE h.n >= 2) AS repeat_customers
      FROM (SELECT DISTINCT customer_id FROM p WHERE is_sale AND customer_id IS NOT NULL) a
      JOIN hist h ON h.customer_id = a.customer_id
    )
    SELECT * FROM ord, cust`;
  const [r] = await wh.rows<KpiRow>(sql, params.values);
  if (!r) throw new Error('kpis: the query returned no row');
  return kpisFromRow(period, r);
}

/** The KPIs from the query's sums: money rounded to the warehouse's scale, rates over nothing null. */
export function kpisFromRow(period: ResolvedPeriod, r: KpiRow): Kpis {
  const gross = money(r.gross);
  const undone = money(r.undone);
  return {
    period,
    grossRevenue: gross,
    cancelledReturnedValue: undone,
    netRevenue: money(gross - undone),
    orders: r.orders,
    cancelledOrders: r.cancelled_orders,
    returnedOrders: r.returned_orders,
    aov: ratio(gross, r.orders),
    units: r.units,
    itemsPerOrder: ratio(r.units, r.orders),
    customers: r.customers,
    newCustomers: r.new_customers,
    returningCustomers: r.customers - r.new_customers,
    repeatCustomers: r.repeat_customers,
    repeatPurchaseRate: ratio(r.repeat_customers, r.customers),
    guestOrders: r.guest_orders,
    guestOrderShare: ratio(r.guest_orders, r.orders),
  };
}
