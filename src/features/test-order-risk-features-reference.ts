/**
 * @module features/test-order-risk-features-reference
 * The batch order risk query as it was before the speed work of issue 10 (a RANGE window over every
 * order in one partition for the shop's usual value, a window and two as-of joins for the product
 * return rates): the reference the current query is checked against in order-risk-features.test.ts.
 * Test only; the feature expressions themselves (FEATURE_COLUMNS_SQL) are shared.
 */
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  BASE_CTES,
  FEATURE_COLUMNS_SQL,
  lastDay,
  lastHour,
  readFeatureMatrix,
  strictlyEarlier,
  UNDO_EVENTS,
  velocity,
  type OrderFeatureMatrix,
} from './order-risk-features.js';

function previousFeatureSql(): string {
  return `
  WITH ${BASE_CTES}
  windowed AS (
    SELECT *,
      CASE WHEN customer_id IS NULL THEN NULL
        ELSE avg(lv) OVER (PARTITION BY customer_id ORDER BY ordered_at ${strictlyEarlier}) END AS cust_mean_lv,
      avg(lv) OVER (ORDER BY ordered_at ${strictlyEarlier}) AS shop_mean_lv,
      CASE WHEN customer_id IS NULL THEN 0
        ELSE count(*) OVER (PARTITION BY customer_id ORDER BY ordered_at ${strictlyEarlier}) END AS cust_earlier,
      ${velocity('customer_id', lastHour)} AS cust_1h,
      ${velocity('customer_id', lastDay)} AS cust_24h,
      ${velocity('device_id', lastHour)} AS dev_1h,
      ${velocity('device_id', lastDay)} AS dev_24h,
      ${velocity('ip_hash', lastHour)} AS ip_1h,
      ${velocity('ip_hash', lastDay)} AS ip_24h
    FROM base
  ),
  -- Running totals in RANGE frames: rows at the same instant share one total (everything up to and
  -- including that instant), so the as-of joins below read the same value whichever peer they meet.
  undo AS (
    SELECT o.customer_id, u.at, count(*) OVER (PARTITION BY o.customer_id ORDER BY u.at
                                               RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n
    FROM (${UNDO_EVENTS}) u JOIN orders o ON o.order_id = u.order_id WHERE o.customer_id IS NOT NULL
  ),
  product_sold AS (
    SELECT l.product_id, o.ordered_at AS at, sum(l.amount) OVER (PARTITION BY l.product_id ORDER BY o.ordered_at
                                          RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS amount
    FROM line l JOIN orders o ON o.order_id = l.order_id
  ),
  product_undone AS (
    SELECT l.product_id, u.at, sum(l.amount) OVER (PARTITION BY l.product_id ORDER BY u.at
                                    RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS amount
    FROM (${UNDO_EVENTS}) u JOIN line l ON l.order_id = u.order_id
  ),
  line_rate AS (
    SELECT l.order_id, l.amount, coalesce(pu.amount, 0) / ps.amount AS rate
    FROM line l JOIN orders o ON o.order_id = l.order_id
    ASOF LEFT JOIN product_sold ps ON ps.product_id = l.product_id AND o.ordered_at > ps.at
    ASOF LEFT JOIN product_undone pu ON pu.product_id = l.product_id AND o.ordered_at > pu.at
  ),
  returned AS (
    SELECT order_id, sum(amount * rate) FILTER (WHERE rate IS NOT NULL)
                     / nullif(sum(amount) FILTER (WHERE rate IS NOT NULL), 0) AS returned_share
    FROM line_rate GROUP BY order_id
  ),
  f AS (
    SELECT w.*, w.seen_at AS first_known, ud.n AS undone_before, r.returned_share
    FROM windowed w
    ASOF LEFT JOIN undo ud ON ud.customer_id = w.customer_id AND w.ordered_at > ud.at
    LEFT JOIN returned r ON r.order_id = w.order_id
  )
  SELECT order_id, customer_id, ordered_at, ${FEATURE_COLUMNS_SQL}
  FROM f
  ORDER BY ordered_at, order_id`;
}

/** Every order's features by the previous query. */
export function previousOrderRiskFeatures(wh: Warehouse): Promise<OrderFeatureMatrix> {
  return readFeatureMatrix(wh, previousFeatureSql());
}
