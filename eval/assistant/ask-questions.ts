/**
 * Merchant questions over Online Retail with the answer each must give, computed by SQL written by
 * hand here over the canonical tables (orders, order_items, products), independently of the ask
 * views and the templates: a sale is an order not cancelled or returned, a line's value is its line
 * total else quantity x unit price, product questions leave non-merchandise codes out. The store's
 * latest order is 2011-12-09, so "last month" is November 2011 and "last quarter" Q3 2011.
 */

export interface AskCase {
  readonly question: string;
  /** Hand-written SQL whose rows (in order, values only) the answer's rows must equal. */
  readonly expected: string;
}

const SALE = "o.status NOT IN ('cancelled', 'returned')";
const AMOUNT = 'coalesce(i.line_total, CAST(i.quantity AS DECIMAL(18,4)) * i.unit_price)';
const LINES = 'orders o JOIN order_items i ON i.order_id = o.order_id';
const MERCH = 'JOIN products p ON p.product_id = i.product_id AND p.is_merchandise';
const Y2011 = "o.ordered_at >= '2011-01-01' AND o.ordered_at < '2012-01-01'";
const NOV = "o.ordered_at >= '2011-11-01' AND o.ordered_at < '2011-12-01'";
const Q3 = "o.ordered_at >= '2011-07-01' AND o.ordered_at < '2011-10-01'";
const Q4 = "o.ordered_at >= '2011-10-01' AND o.ordered_at < '2012-01-01'";

const revenue = (filter: string): string =>
  `SELECT round(sum(${AMOUNT}), 2), count(DISTINCT o.order_id) FROM ${LINES} WHERE ${SALE} AND ${filter}`;

export const ASK_CASES: readonly AskCase[] = [
  { question: 'What was our revenue in 2011?', expected: revenue(Y2011) },
  { question: 'What is our total revenue?', expected: revenue('true') },
  { question: 'Revenue in November 2011', expected: revenue(NOV) },
  { question: 'What was our revenue in Q4 2011?', expected: revenue(Q4) },
  {
    question: 'How much revenue did we make in France in 2011?',
    expected: revenue(`${Y2011} AND o.country = 'France'`),
  },
  {
    question: 'Sales between 2011-01-01 and 2011-03-31',
    expected: revenue("o.ordered_at >= '2011-01-01' AND o.ordered_at < '2011-04-01'"),
  },
  {
    question: 'Revenue by month in 2011',
    expected: `SELECT strftime(o.ordered_at, '%Y-%m') m, round(sum(${AMOUNT}), 2) FROM ${LINES}
      WHERE ${SALE} AND ${Y2011} GROUP BY m ORDER BY m`,
  },
  {
    question: 'How many orders did we get in November 2011?',
    expected: `SELECT count(*) FROM orders o WHERE ${SALE} AND ${NOV}`,
  },
  {
    question: 'How many orders did we get last month?',
    expected: `SELECT count(*) FROM orders o WHERE ${SALE} AND ${NOV}`,
  },
  {
    question: 'Number of orders per month in 2011',
    expected: `SELECT strftime(o.ordered_at, '%Y-%m') m, count(*) FROM orders o WHERE ${SALE} AND ${Y2011} GROUP BY m ORDER BY m`,
  },
  {
    question: 'How many customers ordered in 2011?',
    expected: `SELECT count(DISTINCT customer_id) FROM orders o WHERE ${SALE} AND ${Y2011}`,
  },
  {
    question: 'How many customers bought from Germany?',
    expected: `SELECT count(DISTINCT customer_id) FROM orders o WHERE ${SALE} AND o.country = 'Germany'`,
  },
  {
    question: 'What is the average order value?',
    expected: `SELECT round(sum(${AMOUNT}) / count(DISTINCT o.order_id), 2), count(DISTINCT o.order_id) FROM ${LINES} WHERE ${SALE}`,
  },
  {
    question: 'Average order value in the United Kingdom in 2011',
    expected: `SELECT round(sum(${AMOUNT}) / count(DISTINCT o.order_id), 2), count(DISTINCT o.order_id) FROM ${LINES}
      WHERE ${SALE} AND ${Y2011} AND o.country = 'United Kingdom'`,
  },
  {
    question: 'Top 5 countries by revenue',
    expected: `SELECT o.country, round(sum(${AMOUNT}), 2) r, count(DISTINCT o.order_id) FROM ${LINES}
      WHERE ${SALE} GROUP BY o.country ORDER BY r DESC, o.country LIMIT 5`,
  },
  {
    question: 'Which 3 countries brought the most revenue in Q3 2011?',
    expected: `SELECT o.country, round(sum(${AMOUNT}), 2) r, count(DISTINCT o.order_id) FROM ${LINES}
      WHERE ${SALE} AND ${Q3} GROUP BY o.country ORDER BY r DESC, o.country LIMIT 3`,
  },
  {
    question: 'Who are our top 10 customers by spend?',
    expected: `SELECT o.customer_id, round(sum(${AMOUNT}), 2) s, count(DISTINCT o.order_id) FROM ${LINES}
      WHERE ${SALE} AND o.customer_id IS NOT NULL GROUP BY o.customer_id ORDER BY s DESC, o.customer_id LIMIT 10`,
  },
  {
    question: 'Top 3 customers in November 2011',
    expected: `SELECT o.customer_id, round(sum(${AMOUNT}), 2) s, count(DISTINCT o.order_id) FROM ${LINES}
      WHERE ${SALE} AND ${NOV} AND o.customer_id IS NOT NULL GROUP BY o.customer_id ORDER BY s DESC, o.customer_id LIMIT 3`,
  },
  {
    question: 'Top 10 products by revenue in 2011',
    expected: `SELECT i.product_id, any_value(p.title), round(sum(${AMOUNT}), 2) r FROM ${LINES} ${MERCH}
      WHERE ${SALE} AND ${Y2011} GROUP BY i.product_id ORDER BY r DESC, i.product_id LIMIT 10`,
  },
  {
    question: 'Which 5 products sold the most units?',
    expected: `SELECT i.product_id, any_value(p.title), sum(i.quantity) u FROM ${LINES} ${MERCH}
      WHERE ${SALE} GROUP BY i.product_id ORDER BY u DESC, i.product_id LIMIT 5`,
  },
  {
    question: 'What are the best selling products in the Netherlands?',
    expected: `SELECT i.product_id, any_value(p.title), sum(i.quantity) u FROM ${LINES} ${MERCH}
      WHERE ${SALE} AND o.country = 'Netherlands' GROUP BY i.product_id ORDER BY u DESC, i.product_id LIMIT 10`,
  },
  {
    question: 'What share of orders were cancelled in 2011?',
    expected: `SELECT count(*) FILTER (WHERE status = 'cancelled'), count(*),
      round(count(*) FILTER (WHERE status = 'cancelled') / count(*), 4) FROM orders o WHERE ${Y2011}`,
  },
  {
    question: 'How many orders were cancelled last month?',
    expected: `SELECT count(*), round(sum(total), 2) FROM orders o WHERE status = 'cancelled' AND ${NOV}`,
  },
  {
    question: 'What share of customers ordered more than once?',
    expected: `SELECT count(*) FILTER (WHERE n > 1), count(*), round(count(*) FILTER (WHERE n > 1) / count(*), 4)
      FROM (SELECT customer_id, count(*) n FROM orders o WHERE ${SALE} AND customer_id IS NOT NULL GROUP BY customer_id)`,
  },
  {
    question: 'How many new customers did we get in Q3 2011?',
    expected: `SELECT count(*) FROM (SELECT customer_id, min(ordered_at) f FROM orders o WHERE ${SALE} AND customer_id IS NOT NULL
      GROUP BY customer_id) WHERE f >= '2011-07-01' AND f < '2011-10-01'`,
  },
  {
    question: 'New customers per month in 2011',
    expected: `SELECT strftime(f, '%Y-%m') m, count(*) FROM (SELECT customer_id, min(ordered_at) f FROM orders o
      WHERE ${SALE} AND customer_id IS NOT NULL GROUP BY customer_id) WHERE f >= '2011-01-01' AND f < '2012-01-01' GROUP BY m ORDER BY m`,
  },
  {
    question: 'Which day of the week has the most orders?',
    expected: `SELECT dayname(ordered_at) d, count(*) n FROM orders o WHERE ${SALE} GROUP BY d ORDER BY n DESC, d`,
  },
  {
    question: 'At what hour do most orders come in?',
    expected: `SELECT hour(ordered_at) h, count(*) n FROM orders o WHERE ${SALE} GROUP BY h ORDER BY n DESC, h`,
  },
  {
    question: 'How many different products did we sell in 2011?',
    expected: `SELECT count(DISTINCT i.product_id) FROM ${LINES} ${MERCH} WHERE ${SALE} AND ${Y2011}`,
  },
  {
    question: 'How much did product 85123A sell for in 2011?',
    expected: `SELECT i.product_id, any_value(p.title), round(sum(${AMOUNT}), 2), sum(i.quantity) FROM ${LINES}
      JOIN products p ON p.product_id = i.product_id WHERE ${SALE} AND ${Y2011} AND i.product_id = '85123A' GROUP BY i.product_id`,
  },
  {
    question: 'How many units are in an average order?',
    expected: `SELECT round(sum(i.quantity) / count(DISTINCT o.order_id), 2) FROM ${LINES} ${MERCH} WHERE ${SALE}`,
  },
  {
    // Lost in Q3 2011 (92 days): two or more sales orders before July, one of them in the 92 days
    // before July (from 2011-03-31), none in Q3.
    question: 'Which country lost the most repeat customers last quarter?',
    expected: `WITH h AS (SELECT customer_id, arg_max(country, ordered_at) c, count(*) n, max(ordered_at) l
        FROM orders o WHERE ${SALE} AND customer_id IS NOT NULL AND ordered_at < '2011-07-01' GROUP BY customer_id)
      SELECT c, count(*) k FROM h WHERE n >= 2 AND l >= '2011-03-31'
        AND customer_id NOT IN (SELECT customer_id FROM orders o WHERE ${SALE} AND ${Q3} AND customer_id IS NOT NULL)
      GROUP BY c ORDER BY k DESC, c LIMIT 10`,
  },
];
