/**
 * @module warehouse/analytics/recommendations
 * The feedback loop: what the recommendations served earned, per task, model version and A/B
 * variant, from `recommendation_impressions` (one row per response served, migration 7) and the
 * events that came back carrying the response's request_id (events.request_id).
 *
 * Definitions (docs/server.md repeats them):
 * - impression: one recommendation response (a request_id); `items` counts the products it listed.
 * - attribution window: an event counts for a response when it carries the response's request_id
 *   and happened before served_at + windowDays (default 7). There is no lower bound: an event can
 *   only carry an id it was given, so an earlier timestamp is clock skew, not an earlier event.
 * - click: a `recommendation_click` or `view` event carrying the request_id. CTR = responses with
 *   at least one click / impressions.
 * - add-to-cart rate = responses with an add_to_cart event carrying the id / impressions.
 * - attribution 'request' (default): an attributed order is a `purchase` event carrying the id;
 *   revenue is the sum of those events' value (purchases without a value are counted in
 *   purchasesWithoutValue, so a missing value is visible instead of a silent 0).
 * - attribution 'last_touch': each sales order (status as stored now) of a known customer goes to
 *   that customer's latest click (as above) before the order and within windowDays of it, and only
 *   to that one; revenue is the order's amount (sum of its lines, else its total). Orders carry no
 *   request_id, so this links them through the customer instead; guests' clicks cannot be linked.
 * - conversion rate = responses with at least one attributed order / impressions.
 *
 * One SQL statement per report: impressions in the period, joined once to their events.
 *
 * @example
 *   const r = await recommendationPerformance(wh, { period: { from: '2026-11-01' }, windowDays: 7 });
 *   r.rows[0]; // { task: 'recommend', modelVersion: 3, variant: 'B', impressions: 5120, ctr: 0.041, ... }
 */
import type { Warehouse } from '../warehouse.js';
import { periodClause, resolvePeriod, type Period, type ResolvedPeriod } from './period.js';
import { isSale, lineAmount, money, Params, ratio } from './sql.js';

export const ATTRIBUTIONS = ['request', 'last_touch'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];
export const DEFAULT_ATTRIBUTION_DAYS = 7;
/** The event types that count as a click on a recommendation. */
export const CLICK_EVENTS = ['recommendation_click', 'view'] as const;

export interface RecommendationPerformanceOptions {
  /** Window on served_at ([from, to), UTC). */
  readonly period?: Period;
  /** Days after serving in which events count (default 7; 1 to 365). */
  readonly windowDays?: number;
  readonly attribution?: Attribution;
  /** Only this task (the registry task behind the response, e.g. 'recommend'). */
  readonly task?: string;
  /** Only this surface ('user', 'item', 'together', 'session'). */
  readonly surface?: string;
}

export interface RecommendationPerformanceRow {
  readonly task: string;
  /** null for responses served without a model (e.g. a popularity fallback). */
  readonly modelVersion: number | null;
  /** The A/B arm; null when no split was running. */
  readonly variant: string | null;
  readonly impressions: number;
  /** Products listed over all the responses. */
  readonly items: number;
  readonly clickedImpressions: number;
  readonly clicks: number;
  /** clickedImpressions / impressions. */
  readonly ctr: number | null;
  readonly cartedImpressions: number;
  readonly addToCartRate: number | null;
  readonly convertedImpressions: number;
  /** Attributed orders (purchase events, or orders under last touch). */
  readonly orders: number;
  readonly conversionRate: number | null;
  readonly revenue: number;
  /** Attributed purchase events without a value (request attribution only; 0 under last touch). */
  readonly purchasesWithoutValue: number;
  readonly revenuePerImpression: number | null;
}

export interface RecommendationPerformance {
  readonly period: ResolvedPeriod;
  readonly windowDays: number;
  readonly attribution: Attribution;
  /** Ordered by task, model version, variant. */
  readonly rows: RecommendationPerformanceRow[];
}

type Row = {
  task: string;
  model_version: number | null;
  variant: string | null;
  impressions: number;
  items: number;
  clicked: number;
  clicks: number;
  carted: number;
  converted: number;
  orders: number;
  revenue: number;
  no_value: number;
};

/** Per response: clicks and carts from events carrying its id inside the window. */
function eventsSql(window: string): string {
  const clicks = CLICK_EVENTS.map((t) => `'${t}'`).join(', ');
  return `
    ev AS (
      SELECT imp.request_id, e.type, e.value, e.customer_id, e.occurred_at
      FROM imp JOIN events e ON e.request_id = imp.request_id
      WHERE e.occurred_at < imp.served_at + ${window}
    ),
    act AS (
      SELECT request_id,
             count(*) FILTER (WHERE type IN (${clicks})) AS clicks,
             count(*) FILTER (WHERE type = 'add_to_cart') AS carts,
             count(*) FILTER (WHERE type = 'purchase') AS purchases,
             coalesce(sum(value) FILTER (WHERE type = 'purchase'), 0) AS purchase_value,
             count(*) FILTER (WHERE type = 'purchase' AND value IS NULL) AS no_value
      FROM ev GROUP BY request_id
    )`;
}

/** Per response: the sales orders whose latest prior click (within the window) came from it. */
function lastTouchSql(window: string): string {
  const clicks = CLICK_EVENTS.map((t) => `'${t}'`).join(', ');
  return `,
    touches AS (
      SELECT request_id, customer_id, occurred_at FROM ev
      WHERE type IN (${clicks}) AND customer_id IS NOT NULL
    ),
    ord AS (
      SELECT o.order_id, any_value(o.customer_id) AS customer_id, any_value(o.ordered_at) AS ordered_at,
             coalesce(sum(${lineAmount('i')}), any_value(o.total), 0) AS amount
      FROM orders o LEFT JOIN order_items i ON i.order_id = o.order_id
      WHERE ${isSale('o')} AND o.customer_id IN (SELECT customer_id FROM touches)
      GROUP BY o.order_id
    ),
    won AS (
      SELECT ord.order_id, ord.amount, t.request_id,
             row_number() OVER (PARTITION BY ord.order_id ORDER BY t.occurred_at DESC, t.request_id DESC) AS k
      FROM ord JOIN touches t ON t.customer_id = ord.customer_id
       AND t.occurred_at <= ord.ordered_at AND t.occurred_at > ord.ordered_at - ${window}
    ),
    lt AS (
      SELECT request_id, count(*) AS orders, sum(amount) AS amount FROM won WHERE k = 1 GROUP BY request_id
    )`;
}

export async function recommendationPerformance(
  wh: Warehouse,
  options: RecommendationPerformanceOptions = {},
): Promise<RecommendationPerformance> {
  const windowDays = options.windowDays ?? DEFAULT_ATTRIBUTION_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 365) {
    throw new RangeError(`window_days must be a whole number from 1 to 365, got ${windowDays}`);
  }
  const attribution = options.attribution ?? 'request';
  if (!ATTRIBUTIONS.includes(attribution)) {
    throw new RangeError(
      `attribution must be one of ${ATTRIBUTIONS.join(', ')}, got '${String(attribution)}'`,
    );
  }
  const period = resolvePeriod(options.period);
  const params = new Params();
  const window = `(INTERVAL 1 DAY * CAST(${params.add(windowDays)} AS INTEGER))`;
  const filters = [periodClause('served_at', period, params)];
  if (options.task !== undefined) filters.push(`task = ${params.add(options.task)}`);
  if (options.surface !== undefined) filters.push(`surface = ${params.add(options.surface)}`);
  const lastTouch = attribution === 'last_touch';
  const sql = `
    WITH imp AS (
      SELECT request_id, served_at, task, model_version, variant, len(product_ids) AS items
      FROM recommendation_impressions WHERE ${filters.join(' AND ')}
    ),
    ${eventsSql(window)}${lastTouch ? lastTouchSql(window) : ''},
    per AS (
      SELECT imp.task, imp.model_version, imp.variant, imp.items,
             coalesce(act.clicks, 0) AS clicks, coalesce(act.carts, 0) AS carts,
             ${
               lastTouch
                 ? 'coalesce(lt.orders, 0) AS orders, coalesce(lt.amount, 0) AS revenue, 0 AS no_value'
                 : 'coalesce(act.purchases, 0) AS orders, coalesce(act.purchase_value, 0) AS revenue, coalesce(act.no_value, 0) AS no_value'
             }
      FROM imp LEFT JOIN act ON act.request_id = imp.request_id
      ${lastTouch ? 'LEFT JOIN lt ON lt.request_id = imp.request_id' : ''}
    )
    SELECT task, model_version, variant, count(*) AS impressions, coalesce(sum(items), 0) AS items,
           count(*) FILTER (WHERE clicks > 0) AS clicked, sum(clicks) AS clicks,
           count(*) FILTER (WHERE carts > 0) AS carted,
           count(*) FILTER (WHERE orders > 0) AS converted, sum(orders) AS orders,
           CAST(sum(revenue) AS DOUBLE) AS revenue, sum(no_value) AS no_value
    FROM per GROUP BY task, model_version, variant
    ORDER BY task, model_version NULLS FIRST, variant NULLS FIRST`;
  const rows = await wh.rows<Row>(sql, params.values);
  return {
    period,
    windowDays,
    attribution,
    rows: rows.map((r) => ({
      task: r.task,
      modelVersion: r.model_version,
      variant: r.variant,
      impressions: r.impressions,
      items: r.items,
      clickedImpressions: r.clicked,
      clicks: r.clicks,
      ctr: ratio(r.clicked, r.impressions),
      cartedImpressions: r.carted,
      addToCartRate: ratio(r.carted, r.impressions),
      convertedImpressions: r.converted,
      orders: r.orders,
      conversionRate: ratio(r.converted, r.impressions),
      revenue: money(r.revenue),
      purchasesWithoutValue: r.no_value,
      revenuePerImpression: r.impressions > 0 ? money(r.revenue / r.impressions) : null,
    })),
  };
}
