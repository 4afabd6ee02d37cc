/**
 * @module assistant/ask/templates
 * Data questions answered with no language model: each template recognises a family of merchant
 * questions by its words and writes the SQL over the ask views, filled with what the question names
 * (a period, a country, a product, a count such as "top 5"). The SQL still goes through the guard,
 * so templates and the model share one path to the data. Order matters: the specific families come
 * before the general ones ("revenue by month" before "revenue").
 */
import { literal } from '../../warehouse/duckdb/sql-types.js';
import type { Row } from '../../warehouse/warehouse.js';
import { isoDay, type Period } from './period.js';

export interface QuestionFacts {
  readonly period?: Period;
  readonly country?: string;
  readonly productId?: string;
  /** "top 5", "10 best": how many rows a ranking shows (default 10, at most 100). */
  readonly n: number;
}

export interface Template {
  readonly id: string;
  /** A question it answers, shown offline as an example of what can be asked. */
  readonly example: string;
  readonly matches: (q: string) => boolean;
  readonly sql: (f: QuestionFacts) => string;
  readonly summary: (rows: readonly Row[], f: QuestionFacts) => string;
}

function where(
  f: QuestionFacts,
  extra: string[] = [],
  opts: { country?: boolean; product?: boolean } = {},
): string {
  const parts = [...extra];
  if (f.period) {
    parts.push(
      `ordered_at >= TIMESTAMP '${isoDay(f.period.from)}'`,
      `ordered_at < TIMESTAMP '${isoDay(f.period.to)}'`,
    );
  }
  if (f.country && opts.country !== false) parts.push(`country = ${literal(f.country)}`);
  if (f.productId && opts.product) parts.push(`product_id = ${literal(f.productId)}`);
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

const money = (v: unknown): string =>
  Number(v ?? 0).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = (v: unknown): string => Number(v ?? 0).toLocaleString('en-GB');
const pct = (v: unknown): string => `${(100 * Number(v ?? 0)).toFixed(1)}%`;

/** " in November 2011 in France": the filters the answer applied, for its summary line. */
function scope(f: QuestionFacts, product = false): string {
  return `${f.period ? ` in ${f.period.label}` : ''}${f.country ? ` in ${f.country}` : ''}${product && f.productId ? ` for product ${f.productId}` : ''}`;
}

const has = (q: string, ...res: RegExp[]): boolean => res.every((r) => r.test(q));
const REVENUE = /\b(revenue|sales|turnover|sold for|sells? for|made|earn(ed|ings)?|income)\b/;
const PRODUCTS = /\b(products?|items?|articles?|skus?)\b/;

export const TEMPLATES: readonly Template[] = [
  {
    id: 'lost_repeat_customers_by_country',
    example: 'Which country lost the most repeat customers last quarter?',
    matches: (q) => has(q, /\b(lost|lose|churned|stopped)\b/, /\brepeat customers?\b/),
    // A repeat customer lost in the period: two or more sales orders before it, an order in the
    // span of the same length just before it, and none within it.
    sql: (f) => {
      const from = f.period
        ? `TIMESTAMP '${isoDay(f.period.from)}'`
        : `(SELECT max(ordered_at) FROM ask_orders) - INTERVAL 90 DAY`;
      const to = f.period
        ? `TIMESTAMP '${isoDay(f.period.to)}'`
        : `(SELECT max(ordered_at) FROM ask_orders) + INTERVAL 1 SECOND`;
      return `WITH bounds AS (SELECT ${from} AS p_from, ${to} AS p_to),
  before AS (
    SELECT o.customer_id, arg_max(o.country, o.ordered_at) AS country, count(*) AS orders,
           max(o.ordered_at) AS last_order
    FROM ask_orders o, bounds b
    WHERE o.is_sale AND o.customer_id IS NOT NULL AND o.ordered_at < b.p_from
    GROUP BY o.customer_id),
  within AS (
    SELECT DISTINCT o.customer_id FROM ask_orders o, bounds b
    WHERE o.is_sale AND o.customer_id IS NOT NULL AND o.ordered_at >= b.p_from AND o.ordered_at < b.p_to)
SELECT be.country, count(*) AS lost_repeat_customers
FROM before be, bounds b
WHERE be.orders >= 2 AND be.last_order >= b.p_from - (b.p_to - b.p_from)
  AND be.customer_id NOT IN (SELECT customer_id FROM within)${f.country ? ` AND be.country = ${literal(f.country)}` : ''}
GROUP BY be.country
ORDER BY lost_repeat_customers DESC, be.country
LIMIT ${f.n}`;
    },
    summary: (rows, f) =>
      rows.length
        ? `${rows[0]!['country']} lost the most repeat customers${f.period ? ` in ${f.period.label}` : ' in the last 90 days'}: ${count(rows[0]!['lost_repeat_customers'])} (bought twice or more before, and in the span just before, but not in it).`
        : 'No country lost a repeat customer in that period.',
  },
  {
    id: 'revenue_by_month',
    example: 'Revenue by month in 2011',
    matches: (q) => has(q, REVENUE, /\b(by|per|each|every) month\b|\bmonthly\b/),
    sql: (f) =>
      `SELECT strftime(date_trunc('month', ordered_at), '%Y-%m') AS month, round(sum(amount), 2) AS revenue
FROM ask_order_lines ${where(f, ['is_sale'])}
GROUP BY month ORDER BY month`,
    summary: (rows, f) => {
      if (!rows.length) return `No sales${scope(f)}.`;
      const best = [...rows].sort((a, b) => Number(b['revenue']) - Number(a['revenue']))[0]!;
      return `Revenue by month${scope(f)}: ${rows.length} months, the highest ${best['month']} with ${money(best['revenue'])}.`;
    },
  },
  {
    id: 'orders_by_month',
    example: 'Number of orders per month',
    matches: (q) => has(q, /\borders\b/, /\b(by|per|each|every) month\b|\bmonthly\b/),
    sql: (f) =>
      `SELECT strftime(date_trunc('month', ordered_at), '%Y-%m') AS month, count(*) AS orders
FROM ask_orders ${where(f, ['is_sale'])}
GROUP BY month ORDER BY month`,
    summary: (rows, f) => {
      if (!rows.length) return `No orders${scope(f)}.`;
      const best = [...rows].sort((a, b) => Number(b['orders']) - Number(a['orders']))[0]!;
      return `Orders by month${scope(f)}: the most in ${best['month']} (${count(best['orders'])}).`;
    },
  },
  {
    id: 'new_customers_by_month',
    example: 'New customers per month',
    matches: (q) => has(q, /\bnew customers\b/, /\b(by|per|each|every) month\b|\bmonthly\b/),
    sql: (f) =>
      `WITH firsts AS (SELECT customer_id, min(ordered_at) AS ordered_at, arg_min(country, ordered_at) AS country
  FROM ask_orders WHERE is_sale AND customer_id IS NOT NULL GROUP BY customer_id)
SELECT strftime(date_trunc('month', ordered_at), '%Y-%m') AS month, count(*) AS new_customers
FROM firsts ${where(f)}
GROUP BY month ORDER BY month`,
    summary: (rows, f) =>
      rows.length
        ? `New customers (first sales order) by month${scope(f)}: ${count(rows.reduce((s, r) => s + Number(r['new_customers']), 0))} in ${rows.length} months.`
        : `No new customers${scope(f)}.`,
  },
  {
    id: 'new_customers',
    example: 'How many new customers did we get in Q3 2011?',
    matches: (q) => has(q, /\bnew customers\b/),
    sql: (f) =>
      `WITH firsts AS (SELECT customer_id, min(ordered_at) AS ordered_at, arg_min(country, ordered_at) AS country
  FROM ask_orders WHERE is_sale AND customer_id IS NOT NULL GROUP BY customer_id)
SELECT count(*) AS new_customers FROM firsts ${where(f)}`,
    summary: (rows, f) =>
      `${count(rows[0]?.['new_customers'])} new customers (first sales order)${scope(f)}.`,
  },
  {
    id: 'top_countries_by_revenue',
    example: 'Top 5 countries by revenue',
    matches: (q) =>
      has(q, /\bcountr(y|ies)\b/, REVENUE) || has(q, /\b(top|which|best|biggest)\b.*\bcountr(y|ies)\b/),
    sql: (f) =>
      `SELECT coalesce(country, 'unknown') AS country, round(sum(amount), 2) AS revenue, count(DISTINCT order_id) AS orders
FROM ask_order_lines ${where(f, ['is_sale'], { country: false })}
GROUP BY 1 ORDER BY revenue DESC, country LIMIT ${f.n}`,
    summary: (rows, f) =>
      rows.length
        ? `${rows[0]!['country']} brought the most revenue${f.period ? ` in ${f.period.label}` : ''}: ${money(rows[0]!['revenue'])} from ${count(rows[0]!['orders'])} orders.`
        : 'No sales in that period.',
  },
  {
    id: 'top_customers',
    example: 'Who are our top 10 customers by spend?',
    matches: (q) => has(q, /\b(top|best|biggest|most valuable|largest)\b/, /\bcustomers?\b/),
    sql: (f) =>
      `SELECT customer_id, round(sum(amount), 2) AS spend, count(DISTINCT order_id) AS orders
FROM ask_order_lines ${where(f, ['is_sale', 'customer_id IS NOT NULL'])}
GROUP BY customer_id ORDER BY spend DESC, customer_id LIMIT ${f.n}`,
    summary: (rows, f) =>
      rows.length
        ? `The top customer${scope(f)} is ${rows[0]!['customer_id']}, ${money(rows[0]!['spend'])} over ${count(rows[0]!['orders'])} orders.`
        : `No customer bought${scope(f)}.`,
  },
  {
    id: 'top_products_by_quantity',
    example: 'Which 5 products sold the most units?',
    matches: (q) =>
      has(
        q,
        PRODUCTS,
        /\b(units|quantity|quantities|pieces|most (sold|popular)|sold the most|best[- ]?sell)/,
      ),
    sql: (f) =>
      `SELECT product_id, any_value(product_title) AS title, sum(quantity) AS units
FROM ask_order_lines ${where(f, ['is_sale', 'is_merchandise'])}
GROUP BY product_id ORDER BY units DESC, product_id LIMIT ${f.n}`,
    summary: (rows, f) =>
      rows.length
        ? `The product sold in the most units${scope(f)} is ${rows[0]!['product_id']} (${rows[0]!['title']}): ${count(rows[0]!['units'])} units.`
        : `No product sold${scope(f)}.`,
  },
  {
    id: 'top_products_by_revenue',
    example: 'Top 10 products by revenue in 2011',
    matches: (q) => has(q, PRODUCTS, /\b(top|best|most|highest|biggest|which)\b/),
    sql: (f) =>
      `SELECT product_id, any_value(product_title) AS title, round(sum(amount), 2) AS revenue
FROM ask_order_lines ${where(f, ['is_sale', 'is_merchandise'])}
GROUP BY product_id ORDER BY revenue DESC, product_id LIMIT ${f.n}`,
    summary: (rows, f) =>
      rows.length
        ? `The product with the most revenue${scope(f)} is ${rows[0]!['product_id']} (${rows[0]!['title']}): ${money(rows[0]!['revenue'])}.`
        : `No product sold${scope(f)}.`,
  },
  {
    id: 'cancellation_rate',
    example: 'What share of orders were cancelled in 2011?',
    matches: (q) => has(q, /\bcancel/, /\b(rate|share|percent(age)?|proportion|%)/),
    sql: (f) =>
      `SELECT count(*) FILTER (WHERE status = 'cancelled') AS cancelled, count(*) AS orders,
       round(count(*) FILTER (WHERE status = 'cancelled') / count(*), 4) AS cancellation_rate
FROM ask_orders ${where(f)}`,
    summary: (rows, f) =>
      `${pct(rows[0]?.['cancellation_rate'])} of orders${scope(f)} were cancelled (${count(rows[0]?.['cancelled'])} of ${count(rows[0]?.['orders'])}).`,
  },
  {
    id: 'cancelled_orders',
    example: 'How many orders were cancelled last month?',
    matches: (q) => has(q, /\bcancel/),
    sql: (f) =>
      `SELECT count(*) AS cancelled_orders, round(sum(total), 2) AS cancelled_value
FROM ask_orders ${where(f, ["status = 'cancelled'"])}`,
    summary: (rows, f) =>
      `${count(rows[0]?.['cancelled_orders'])} orders were cancelled${scope(f)}, worth ${money(rows[0]?.['cancelled_value'])}.`,
  },
  {
    id: 'average_order_value',
    example: 'What is the average order value?',
    matches: (q) =>
      has(q, /\b(average|mean|avg)\b.*\b(order|basket)\b.*\b(value|size|amount|worth)\b|\baov\b/),
    sql: (f) =>
      `SELECT round(sum(amount) / count(DISTINCT order_id), 2) AS average_order_value, count(DISTINCT order_id) AS orders
FROM ask_order_lines ${where(f, ['is_sale'])}`,
    summary: (rows, f) =>
      `The average order value${scope(f)} is ${money(rows[0]?.['average_order_value'])} over ${count(rows[0]?.['orders'])} orders.`,
  },
  {
    id: 'units_per_order',
    example: 'How many units are in an average order?',
    matches: (q) => has(q, /\b(units|items|pieces)\b/, /\b(per|an average|average|each) order\b/),
    sql: (f) =>
      `SELECT round(sum(quantity) / count(DISTINCT order_id), 2) AS units_per_order
FROM ask_order_lines ${where(f, ['is_sale', 'is_merchandise'])}`,
    summary: (rows, f) =>
      `An order${scope(f)} holds ${rows[0]?.['units_per_order']} units on average (merchandise only).`,
  },
  {
    id: 'repeat_customer_rate',
    example: 'What share of customers ordered more than once?',
    matches: (q) => has(q, /\bcustomers?\b/, /\b(repeat|more than once|again|returning|twice)\b/),
    sql: (f) =>
      `WITH per AS (SELECT customer_id, count(*) AS orders FROM ask_orders
  ${where(f, ['is_sale', 'customer_id IS NOT NULL'])} GROUP BY customer_id)
SELECT count(*) FILTER (WHERE orders >= 2) AS repeat_customers, count(*) AS customers,
       round(count(*) FILTER (WHERE orders >= 2) / count(*), 4) AS repeat_rate
FROM per`,
    summary: (rows, f) =>
      `${count(rows[0]?.['repeat_customers'])} of ${count(rows[0]?.['customers'])} customers${scope(f)} ordered more than once (${pct(rows[0]?.['repeat_rate'])}).`,
  },
  {
    id: 'busiest_weekday',
    example: 'Which day of the week has the most orders?',
    matches: (q) => has(q, /\b(day of (the )?week|weekday|busiest day|which day)\b/),
    sql: (f) =>
      `SELECT dayname(ordered_at) AS weekday, count(*) AS orders
FROM ask_orders ${where(f, ['is_sale'])}
GROUP BY weekday ORDER BY orders DESC, weekday`,
    summary: (rows, f) =>
      rows.length
        ? `${rows[0]!['weekday']} has the most orders${scope(f)}: ${count(rows[0]!['orders'])}.`
        : `No orders${scope(f)}.`,
  },
  {
    id: 'busiest_hour',
    example: 'At what hour do most orders come in?',
    matches: (q) => has(q, /\b(hour|time of day)\b/),
    sql: (f) =>
      `SELECT hour(ordered_at) AS hour, count(*) AS orders
FROM ask_orders ${where(f, ['is_sale'])}
GROUP BY hour ORDER BY orders DESC, hour`,
    summary: (rows, f) =>
      rows.length
        ? `Most orders${scope(f)} come in at ${rows[0]!['hour']}:00 UTC (${count(rows[0]!['orders'])}).`
        : `No orders${scope(f)}.`,
  },
  {
    id: 'distinct_products_sold',
    example: 'How many different products did we sell in 2011?',
    matches: (q) => has(q, /\bhow many\b|\bnumber of\b/, /\b(different|distinct)?\s*products\b/),
    sql: (f) =>
      `SELECT count(DISTINCT product_id) AS products FROM ask_order_lines ${where(f, ['is_sale', 'is_merchandise'])}`,
    summary: (rows, f) => `${count(rows[0]?.['products'])} different products sold${scope(f)}.`,
  },
  {
    id: 'customer_count',
    example: 'How many customers ordered in 2011?',
    matches: (q) => has(q, /\bcustomers\b/, /\bhow many\b|\bnumber of\b|\bcount\b/),
    sql: (f) =>
      `SELECT count(DISTINCT customer_id) AS customers FROM ask_orders ${where(f, ['is_sale', 'customer_id IS NOT NULL'])}`,
    summary: (rows, f) => `${count(rows[0]?.['customers'])} customers placed a sales order${scope(f)}.`,
  },
  {
    id: 'order_count',
    example: 'How many orders did we get in November 2011?',
    matches: (q) => has(q, /\borders\b/, /\bhow many\b|\bnumber of\b|\bcount\b/),
    sql: (f) => `SELECT count(*) AS orders FROM ask_orders ${where(f, ['is_sale'])}`,
    summary: (rows, f) =>
      `${count(rows[0]?.['orders'])} sales orders${scope(f)} (cancellations and returns not counted).`,
  },
  {
    id: 'product_revenue',
    example: 'How much did product 85123A sell for in 2011?',
    matches: (q) => has(q, /\bproduct\b/, REVENUE),
    sql: (f) =>
      `SELECT product_id, any_value(product_title) AS title, round(sum(amount), 2) AS revenue, sum(quantity) AS units
FROM ask_order_lines ${where(f, ['is_sale'], { product: true })}
GROUP BY product_id`,
    summary: (rows, f) =>
      rows.length
        ? `Product ${rows[0]!['product_id']} (${rows[0]!['title']}) sold ${count(rows[0]!['units'])} units for ${money(rows[0]!['revenue'])}${scope(f)}.`
        : `No sales${scope(f, true)}.`,
  },
  {
    id: 'revenue',
    example: 'What was our revenue in Q4 2011?',
    matches: (q) => has(q, REVENUE),
    sql: (f) =>
      `SELECT round(sum(amount), 2) AS revenue, count(DISTINCT order_id) AS orders
FROM ask_order_lines ${where(f, ['is_sale'], { product: true })}`,
    summary: (rows, f) =>
      `Revenue${scope(f, true)}: ${money(rows[0]?.['revenue'])} from ${count(rows[0]?.['orders'])} sales orders (cancellations and returns left out).`,
  },
];

/** The first template whose words the question has; product_revenue only when a product is named. */
export function matchTemplate(question: string, facts: QuestionFacts): Template | undefined {
  const q = question.toLowerCase();
  return TEMPLATES.find((t) => (t.id !== 'product_revenue' || facts.productId) && t.matches(q));
}
