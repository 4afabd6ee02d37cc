/**
 * @module server/routes/analytics-schemas
 * JSON schemas of the analytics responses (snake_case, as server/snake-case.ts renames the library's
 * objects), for validation-free fast serialisation and the OpenAPI document. Field meanings are in
 * docs/analytics.md and docs/server.md.
 */

export const num = { type: 'number' } as const;
export const int = { type: 'integer' } as const;
export const str = { type: 'string' } as const;
export const numOrNull = { type: ['number', 'null'] } as const;
export const strOrNull = { type: ['string', 'null'] } as const;

const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) =>
  ({ type: 'object', required, properties }) as const;

export const PERIOD = obj({ from: strOrNull, to: strOrNull });

/** Query fields every period-based analytics route takes (the analyze command's --from / --to). */
export const PERIOD_QUERY = {
  from: {
    type: 'string',
    description: 'period start, inclusive: YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)',
    examples: ['2011-09-01'],
  },
  to: { type: 'string', description: 'period end, exclusive (same format)', examples: ['2011-12-01'] },
} as const;

export const KPIS = obj({
  period: PERIOD,
  gross_revenue: num,
  cancelled_returned_value: num,
  net_revenue: num,
  orders: int,
  cancelled_orders: int,
  returned_orders: int,
  aov: numOrNull,
  units: num,
  items_per_order: numOrNull,
  customers: int,
  new_customers: int,
  returning_customers: int,
  repeat_customers: int,
  repeat_purchase_rate: numOrNull,
  guest_orders: int,
  guest_order_share: numOrNull,
});

export const SERIES = obj({
  granularity: { type: 'string', enum: ['day', 'week', 'month'] },
  period: PERIOD,
  points: {
    type: 'array',
    items: obj({
      bucket: str,
      orders: int,
      gross_revenue: num,
      cancelled_returned_value: num,
      net_revenue: num,
      customers: int,
    }),
  },
});

export const COHORTS = obj({
  period: PERIOD,
  last_month: strOrNull,
  months: int,
  cohorts: {
    type: 'array',
    items: obj({
      cohort: str,
      size: int,
      active: { type: 'array', items: int },
      retention: { type: 'array', items: num },
    }),
  },
});

export const FUNNEL = obj(
  {
    available: { type: 'boolean' },
    reason: { type: 'string', description: 'why there is no funnel (available = false)' },
    period: PERIOD,
    sessions: int,
    steps: {
      type: 'array',
      items: obj({
        step: { type: 'string', enum: ['view', 'add_to_cart', 'purchase'] },
        sessions: int,
        reached: int,
        conversion_from_previous: numOrNull,
      }),
    },
    view_to_purchase: numOrNull,
  },
  ['available', 'period'],
);

export const SEGMENTS = obj({
  as_of: str,
  scored_customers: int,
  prospects: int,
  segments: {
    type: 'array',
    items: obj({
      segment: str,
      label: str,
      description: str,
      r_range: {
        type: ['array', 'null'],
        items: int,
        description: 'inclusive recency-score range of the rule',
      },
      fm_range: {
        type: ['array', 'null'],
        items: int,
        description: 'inclusive F + M score range of the rule',
      },
      customers: int,
      share: numOrNull,
      avg_recency_days: numOrNull,
      avg_frequency: numOrNull,
      avg_monetary: numOrNull,
      monetary: num,
    }),
  },
});

export const COUNTRIES = obj({
  period: PERIOD,
  rows: {
    type: 'array',
    items: obj({
      country: str,
      orders: int,
      gross_revenue: num,
      cancelled_returned_value: num,
      net_revenue: num,
      customers: int,
      share: numOrNull,
    }),
  },
});

export const CATEGORIES = obj({
  period: PERIOD,
  rows: {
    type: 'array',
    items: obj({
      category: str,
      merchandise: { type: 'boolean' },
      gross_revenue: num,
      units: num,
      orders: int,
      share: numOrNull,
    }),
  },
});

const PRODUCT_SALES = obj({
  product_id: str,
  title: strOrNull,
  category: strOrNull,
  gross_revenue: num,
  units: num,
  orders: int,
});

export const PRODUCTS = obj({
  period: PERIOD,
  by_revenue: { type: 'array', items: PRODUCT_SALES },
  by_units: { type: 'array', items: PRODUCT_SALES },
});

/** A two-proportion comparison (ml/metrics/proportions.ts): A/B of recommenders, campaign arms. */
export const TWO_PROPORTION_TEST = {
  type: 'object',
  description:
    'B against A: two-proportion z-test (pooled), Wald interval of the difference, MDE at the power',
  properties: {
    rate_a: numOrNull,
    rate_b: numOrNull,
    difference: numOrNull,
    relative_difference: numOrNull,
    z: numOrNull,
    p_value: numOrNull,
    confidence: num,
    ci: { type: ['array', 'null'], items: num },
    mde: numOrNull,
    power: num,
    required_per_arm: { type: ['integer', 'null'] },
    verdict: { type: 'string', enum: ['too_small', 'a_better', 'b_better', 'no_significant_difference'] },
    reason: str,
  },
} as const;
