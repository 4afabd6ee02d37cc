/**
 * @module features/customer-feature-defs
 * The customer features: name, the SQL that computes each one from the per-customer aggregates of
 * `customer-features.ts`, a description for people, and how to say a value in words (the "reasons"
 * a prediction carries). One table, so adding a feature is one entry and the matrix, the docs and
 * the reasons stay in step.
 *
 * Units: days are fractional days before the cutoff; money is in the store's currency. A value that
 * does not exist for a customer (the gap of a one-order customer) is NULL in SQL and NaN in the
 * matrix: the GBDT routes missing values to a learned side, the logistic model imputes.
 *
 * @example
 *   CUSTOMER_FEATURES.find((f) => f.name === 'recency_days')!.say(120, get);
 *   // 'no order for 120 days, 3.0x their usual gap'
 */

/** Reads another feature of the same customer (NaN when missing), so a reason can give context. */
export type FeatureGetter = (name: string) => number;

export interface CustomerFeatureDef {
  readonly name: string;
  /** SQL over the aggregate columns of the feature query (see customer-features.ts). */
  readonly sql: string;
  readonly description: string;
  /** The value in words, e.g. 'no order for 120 days'. */
  readonly say: (value: number, get: FeatureGetter) => string;
  /** Only when the store has events before the cutoff. */
  readonly needsEvents?: boolean;
  /** Only when the store has reviews by customers before the cutoff. */
  readonly needsReviews?: boolean;
}

const NO_GAP = 'only one order day so far (no usual gap yet)';

/** The value in words, also when it is missing (NaN): a reason must never read "NaN days". */
export function sayFeature(f: CustomerFeatureDef, value: number, get: FeatureGetter): string {
  if (Number.isNaN(value)) {
    if (f.name.startsWith('gap_') || f.name === 'recency_over_gap') return NO_GAP;
    return `${f.description}: unknown`;
  }
  return f.say(value, get);
}

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();
const money = (v: number): string => (Math.round(v * 100) / 100).toLocaleString('en-US');
const pct = (v: number): string => `${Math.round(v * 100)}%`;
const plural = (v: number, word: string): string => `${n0(v)} ${word}${Math.round(v) === 1 ? '' : 's'}`;

function def(
  name: string,
  sql: string,
  description: string,
  say: (value: number, get: FeatureGetter) => string,
  needsEvents = false,
): CustomerFeatureDef {
  return { name, sql, description, say, needsEvents };
}

/**
 * What the customer wrote before the cutoff (alias v, customer-features.ts): how many reviews, and
 * the share of them that were negative. A review is negative by its own label or stars (1-2 stars
 * negative, 4-5 positive, 3 neither), else by its stored sentiment score (review_scores, p < 0.5),
 * which depends on that review's text only.
 */
const REVIEW_FEATURES: readonly CustomerFeatureDef[] = [
  {
    name: 'reviews_written',
    sql: 'coalesce(v.reviews, 0)',
    description: 'reviews written',
    say: (v) => `wrote ${plural(v, 'review')}`,
    needsReviews: true,
  },
  {
    name: 'negative_review_share',
    sql: 'CASE WHEN v.judged > 0 THEN v.negative / v.judged END',
    description: 'share of their reviews that were negative (label or 1-2 stars, else the sentiment score)',
    say: (v) => `${pct(v)} of their reviews negative`,
    needsReviews: true,
  },
];

/** Event counts in the last d days: views, add-to-carts and distinct sessions. */
function eventDefs(days: number): CustomerFeatureDef[] {
  return [
    def(
      `views_${days}d`,
      `coalesce(e.views_${days}d, 0)`,
      `product views in the last ${days} days`,
      (v) => `${plural(v, 'product view')} in the last ${days} days`,
      true,
    ),
    def(
      `carts_${days}d`,
      `coalesce(e.carts_${days}d, 0)`,
      `add-to-carts in the last ${days} days`,
      (v) => `${plural(v, 'add-to-cart')} in the last ${days} days`,
      true,
    ),
    def(
      `sessions_${days}d`,
      `coalesce(e.sessions_${days}d, 0)`,
      `sessions in the last ${days} days`,
      (v) => `${plural(v, 'session')} in the last ${days} days`,
      true,
    ),
  ];
}

export const CUSTOMER_FEATURES: readonly CustomerFeatureDef[] = [
  def('recency_days', 'c.recency_days', 'days since the last order', (v, get) => {
    const gap = get('gap_mean_days');
    if (!(gap >= 1)) return `no order for ${n0(v)} days`;
    const ratio = v / gap;
    return ratio >= 1
      ? `no order for ${n0(v)} days, ${n1(ratio)}x their usual gap`
      : `last order ${n0(v)} days ago, within their usual gap of ${n0(gap)} days`;
  }),
  def('tenure_days', 'c.tenure_days', 'days since the first order', (v) => `first order ${n0(v)} days ago`),
  def(
    'frequency',
    'c.orders',
    'orders placed (cancellations excluded)',
    (v) => `${plural(v, 'order')} so far`,
  ),
  def(
    'orders_30d',
    'c.orders_30d',
    'orders in the last 30 days',
    (v) => `${plural(v, 'order')} in the last 30 days`,
  ),
  def(
    'orders_90d',
    'c.orders_90d',
    'orders in the last 90 days',
    (v) => `${plural(v, 'order')} in the last 90 days`,
  ),
  def(
    'orders_365d',
    'c.orders_365d',
    'orders in the last 365 days',
    (v) => `${plural(v, 'order')} in the last year`,
  ),
  def('monetary_total', 'c.spend_total', 'total spend', (v) => `spent ${money(v)} in total`),
  def('monetary_mean', 'c.spend_total / c.orders', 'average order value', (v) => `average order ${money(v)}`),
  def('monetary_max', 'c.spend_max', 'largest order', (v) => `largest order ${money(v)}`),
  def(
    'spend_90d',
    'c.spend_90d',
    'spend in the last 90 days',
    (v) => `spent ${money(v)} in the last 90 days`,
  ),
  def(
    'spend_trend',
    'CASE WHEN c.spend_90d + c.spend_prev_90d > 0 THEN (c.spend_90d - c.spend_prev_90d) / (c.spend_90d + c.spend_prev_90d) END',
    'spend in the last 90 days vs the 90 before: -1 (all earlier) to +1 (all recent)',
    (v) =>
      v >= 0
        ? `spend rising (${pct((1 + v) / 2)} of the last 180 days' spend in the last 90)`
        : `spend falling (${pct((1 + v) / 2)} of the last 180 days' spend in the last 90)`,
  ),
  def(
    'purchase_days',
    'c.purchase_days',
    'distinct days with an order',
    (v) => `bought on ${plural(v, 'day')}`,
  ),
  def(
    'gap_mean_days',
    'c.gap_mean',
    'mean days between order days',
    (v) => `usually ${n0(v)} days between orders`,
  ),
  def(
    'gap_std_days',
    'c.gap_std',
    'standard deviation of the days between order days',
    (v) => `gaps between orders vary by ${n0(v)} days`,
  ),
  def(
    'gap_last_days',
    'c.gap_last',
    'days between the last two order days',
    (v) => `${n0(v)} days between their last two orders`,
  ),
  def(
    'recency_over_gap',
    'CASE WHEN c.gap_mean > 0 THEN c.recency_days / c.gap_mean END',
    'days since the last order divided by the usual gap',
    (v) =>
      v >= 1
        ? `${n1(v)}x their usual gap since the last order`
        : `still within their usual gap (${pct(v)} of it so far)`,
  ),
  def(
    'basket_lines',
    'c.lines_mean',
    'mean lines (distinct items) per order',
    (v) => `${n1(v)} lines per order on average`,
  ),
  def('basket_units', 'c.units_mean', 'mean units per order', (v) => `${n0(v)} units per order on average`),
  def(
    'distinct_products',
    'c.products',
    'distinct products bought',
    (v) => `${plural(v, 'distinct product')} bought`,
  ),
  def(
    'distinct_categories',
    'c.categories',
    'distinct product categories bought (missing when the catalogue has none)',
    (v) => `bought from ${plural(v, 'category')}`,
  ),
  def(
    'top_category_share',
    'c.top_category_share',
    "share of the customer's lines in their most bought category",
    (v) => `${pct(v)} of their items from one category`,
  ),
  def(
    'repeat_product_share',
    'c.repeat_share',
    'share of order lines re-buying a product they bought before',
    (v) => `${pct(v)} of their items are re-buys`,
  ),
  def(
    'price_index',
    'c.price_index',
    "mean unit price paid relative to the product's median price, merchandise only (below 1: buys cheaper)",
    (v) => `pays ${pct(v)} of the usual price`,
  ),
  def(
    'cancel_share',
    'c.cancelled / (c.orders + c.cancelled + c.returned)',
    'share of their orders that were cancelled',
    (v) => `${pct(v)} of orders cancelled`,
  ),
  def(
    'return_share',
    'c.returned / (c.orders + c.cancelled + c.returned)',
    'share of their orders that were returned',
    (v) => `${pct(v)} of orders returned`,
  ),
  def(
    'undone_value_share',
    'CASE WHEN c.spend_total + c.undone_value > 0 THEN c.undone_value / (c.spend_total + c.undone_value) END',
    'cancelled and returned value as a share of all order value',
    (v) => `${pct(v)} of order value cancelled or returned`,
  ),
  def(
    'orders_same_season_last_year',
    'c.orders_season',
    'orders in the same calendar window one year earlier (the coming horizon, a year back)',
    (v) => `${plural(v, 'order')} in this season last year`,
  ),
  def(
    'season_share',
    'c.orders_season_any / c.orders',
    'share of their orders in the same calendar months as the coming horizon',
    (v) => `${pct(v)} of their orders fall in this time of year`,
  ),
  def('home_country', 'c.home_country', "1 when the customer is in the store's most common country", (v) =>
    v >= 0.5 ? 'in the main market' : 'outside the main market',
  ),
  def(
    'country_share',
    'c.country_share',
    "share of customers who are in this customer's country",
    (v) => `their country holds ${pct(v)} of customers`,
  ),
  ...eventDefs(7),
  ...eventDefs(30),
  ...eventDefs(90),
  ...REVIEW_FEATURES,
];

/**
 * The features used for a store: event features only when it has events before the cutoff, review
 * features only when customers wrote reviews before it.
 */
export function featureDefsFor(hasEvents: boolean, hasReviews = false): CustomerFeatureDef[] {
  return CUSTOMER_FEATURES.filter((f) => (hasEvents || !f.needsEvents) && (hasReviews || !f.needsReviews));
}

export function featureDefsByName(names: readonly string[]): CustomerFeatureDef[] {
  return names.map((n) => {
    const f = CUSTOMER_FEATURES.find((d) => d.name === n);
    if (!f) throw new Error(`unknown customer feature '${n}' (model trained with a newer Shopsight?)`);
    return f;
  });
}
