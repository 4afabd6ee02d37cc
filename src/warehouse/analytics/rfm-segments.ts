/**
 * @module warehouse/analytics/rfm-segments
 * The rule table that turns RFM scores into the segment names merchants know from Shopify's customer
 * segmentation (rfm_group). Shopify publishes the names and one-line descriptions but not its cut-offs,
 * so the cut-offs below are ours, chosen to match those descriptions, and written down here and in
 * docs/analytics.md.
 *
 * Rules read recency R (1-5) and the sum F + M (2-10) of the frequency and monetary scores: frequency
 * and spend move together for most customers, and Shopify describes each group by "orders and spend"
 * jointly. The rules partition the 5 x 9 grid: every (R, F, M) matches exactly one rule, which the
 * test checks for all 125 combinations. Customers without any sales order are `prospects`.
 *
 * @example
 *   segmentFor(5, 5, 4); // 'champions'
 */

export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'active',
  'needs_attention',
  'new',
  'promising',
  'previously_loyal',
  'at_risk',
  'almost_lost',
  'dormant',
  'prospects',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export interface SegmentRule {
  readonly segment: Exclude<RfmSegment, 'prospects'>;
  readonly label: string;
  /** Inclusive range of the recency score. */
  readonly r: readonly [number, number];
  /** Inclusive range of F score + M score. */
  readonly fm: readonly [number, number];
  /** Shopify's description of the group. */
  readonly description: string;
}

export const SEGMENT_RULES: readonly SegmentRule[] = [
  {
    segment: 'champions',
    label: 'Champions',
    r: [5, 5],
    fm: [8, 10],
    description: 'very recent purchases, many orders, the most spend',
  },
  {
    segment: 'loyal',
    label: 'Loyal',
    r: [3, 4],
    fm: [8, 10],
    description: 'recent purchases, many orders, the most spend',
  },
  {
    segment: 'active',
    label: 'Active',
    r: [4, 5],
    fm: [5, 7],
    description: 'recent purchases, some orders, moderate spend',
  },
  {
    segment: 'needs_attention',
    label: 'Needs attention',
    r: [3, 3],
    fm: [5, 7],
    description: 'fairly recent purchases, some orders, moderate spend, recency slipping',
  },
  {
    segment: 'new',
    label: 'New',
    r: [5, 5],
    fm: [2, 4],
    description: 'very recent purchases, few orders, low spend',
  },
  {
    segment: 'promising',
    label: 'Promising',
    r: [3, 4],
    fm: [2, 4],
    description: 'recent purchases, few orders, low spend',
  },
  {
    segment: 'previously_loyal',
    label: 'Previously loyal',
    r: [1, 2],
    fm: [9, 10],
    description: 'no recent purchases, a very strong history of orders and spend',
  },
  {
    segment: 'at_risk',
    label: 'At risk',
    r: [1, 2],
    fm: [6, 8],
    description: 'no recent purchases, a strong history of orders and spend',
  },
  {
    segment: 'almost_lost',
    label: 'Almost lost',
    r: [2, 2],
    fm: [2, 5],
    description: 'no recent purchases, fewer orders, lower spend',
  },
  {
    segment: 'dormant',
    label: 'Dormant',
    r: [1, 1],
    fm: [2, 5],
    description: 'the oldest purchases, few orders, low spend',
  },
];

export const PROSPECTS_RULE = {
  segment: 'prospects',
  label: 'Prospects',
  description: 'a customers row but no sales order yet',
} as const;

export const SEGMENT_LABELS: Readonly<Record<RfmSegment, string>> = Object.fromEntries([
  ...SEGMENT_RULES.map((r) => [r.segment, r.label]),
  [PROSPECTS_RULE.segment, PROSPECTS_RULE.label],
]) as Record<RfmSegment, string>;

function matches(rule: SegmentRule, r: number, f: number, m: number): boolean {
  return r >= rule.r[0] && r <= rule.r[1] && f + m >= rule.fm[0] && f + m <= rule.fm[1];
}

/** The segment of a scored customer; throws if the table has a hole (the test makes sure it has none). */
export function segmentFor(r: number, f: number, m: number): Exclude<RfmSegment, 'prospects'> {
  const rule = SEGMENT_RULES.find((x) => matches(x, r, f, m));
  if (!rule) throw new RangeError(`no RFM segment rule for R=${r} F=${f} M=${m}`);
  return rule.segment;
}

/** The same rules as a SQL CASE over integer columns r, f, m (all values are constants from the table). */
export function segmentCaseSql(r = 'r', f = 'f', m = 'm'): string {
  const whens = SEGMENT_RULES.map(
    (x) =>
      `WHEN ${r} BETWEEN ${x.r[0]} AND ${x.r[1]} AND ${f} + ${m} BETWEEN ${x.fm[0]} AND ${x.fm[1]} THEN '${x.segment}'`,
  );
  return `CASE ${whens.join(' ')} END`;
}
