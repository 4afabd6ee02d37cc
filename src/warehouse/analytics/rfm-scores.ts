/**
 * @module warehouse/analytics/rfm-scores
 * RFM scoring and the per-segment totals in TypeScript, for an engine whose SQL has no window
 * functions (ClickHouse 18.16): the per-customer recency, frequency and monetary come out of the
 * engine, and these functions apply the rule rfm.ts's SQL applies on DuckDB, which the contract
 * suite checks customer by customer:
 *   score = 1 + floor(5 * below / n), `below` = customers with a strictly worse value (rank() - 1),
 * so equal values always share a score. Worse is a longer recency, fewer orders, less spend.
 *
 * One customer's score needs only four values per measure, the cut points (quintileCuts): a value
 * scores s >= 2 exactly when it is better than the value at sorted place ceil((s - 1) n / 5) - 1,
 * since then at least ceil((s - 1) n / 5) values are strictly worse. So a store's cut points, taken
 * once, score any customer of it as scoring everyone would (scoreByCuts; rfm-scores.test.ts).
 *
 * @example
 *   quintileScores([10, 20, 20, 30, 40], (a, b) => a - b); // Int32Array [1, 2, 2, 4, 5]
 *   quintileCuts([10, 20, 20, 30, 40], (a, b) => a - b); // [10, 20, 20, 30]: 30 beats 10, 20, 20 -> 4
 */
import type { RfmCustomer, SegmentTotals } from './rfm.js';
import { segmentFor } from './rfm-segments.js';
import { money } from './sql.js';

/**
 * The score of each value: `worseFirst(a, b)` < 0 when a is worse than b, 0 when they tie.
 * O(n log n): one sort of the indices, ties found as runs.
 */
export function quintileScores<T>(values: readonly T[], worseFirst: (a: T, b: T) => number): Int32Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => worseFirst(values[a]!, values[b]!));
  const scores = new Int32Array(n);
  let below = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && worseFirst(values[order[k - 1]!]!, values[order[k]!]!) !== 0) below = k;
    scores[order[k]!] = 1 + Math.floor((5 * below) / n);
  }
  return scores;
}

/** One customer's values as an engine returns them; monetary exact as a scaled integer. */
export interface RfmValues {
  readonly customer_id: string;
  readonly recency_days: number;
  readonly frequency: number;
  /** Gross revenue in units of 10^-scale (exact, so equal spends tie exactly). */
  readonly monetary: bigint;
}

/** Worse first for each measure: a longer recency, fewer orders, less spend. */
const WORSE_FIRST = {
  r: (a: RfmValues, b: RfmValues): number => b.recency_days - a.recency_days,
  f: (a: RfmValues, b: RfmValues): number => a.frequency - b.frequency,
  m: (a: RfmValues, b: RfmValues): number => (a.monetary < b.monetary ? -1 : a.monetary > b.monetary ? 1 : 0),
} as const;

/** A customer's scored row from their values and scores. */
function scoredRow(c: RfmValues, r: number, f: number, m: number, scale: number): RfmCustomer {
  return {
    customer_id: c.customer_id,
    recency_days: c.recency_days,
    frequency: c.frequency,
    monetary: money(decimalToNumber(c.monetary, scale)),
    r,
    f,
    m,
    segment: segmentFor(r, f, m),
  };
}

/** Scores and segments every customer; `scale` is the decimal scale of `monetary`. */
export function scoreRfm(customers: readonly RfmValues[], scale: number): RfmCustomer[] {
  const r = quintileScores(customers, WORSE_FIRST.r);
  const f = quintileScores(customers, WORSE_FIRST.f);
  const m = quintileScores(customers, WORSE_FIRST.m);
  return customers.map((c, i) => scoredRow(c, r[i]!, f[i]!, m[i]!, scale));
}

/**
 * The cut points of quintileScores over `values`: cuts[s - 2] (s = 2..5) is the value a value must be
 * better than to score s or more. Empty for no values. O(n log n), one sort.
 */
export function quintileCuts<T>(values: readonly T[], worseFirst: (a: T, b: T) => number): T[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = [...values].sort(worseFirst);
  return [2, 3, 4, 5].map((s) => sorted[Math.ceil(((s - 1) * n) / 5) - 1]!);
}

/** The score of `value`, one of the values `cuts` were taken from, as quintileScores gives it. */
export function scoreByCuts<T>(cuts: readonly T[], value: T, worseFirst: (a: T, b: T) => number): number {
  return 1 + cuts.filter((cut) => worseFirst(cut, value) < 0).length;
}

/** The three measures' cut points over a store's scored customers (rfmCuts), kept to score one of them. */
export interface RfmCuts {
  readonly r: readonly RfmValues[];
  readonly f: readonly RfmValues[];
  readonly m: readonly RfmValues[];
}

export function rfmCuts(customers: readonly RfmValues[]): RfmCuts {
  return {
    r: quintileCuts(customers, WORSE_FIRST.r),
    f: quintileCuts(customers, WORSE_FIRST.f),
    m: quintileCuts(customers, WORSE_FIRST.m),
  };
}

/** One customer among those `cuts` were taken from, scored and segmented as scoreRfm scores them all. */
export function scoreRfmByCuts(cuts: RfmCuts, c: RfmValues, scale: number): RfmCustomer {
  return scoredRow(
    c,
    scoreByCuts(cuts.r, c, WORSE_FIRST.r),
    scoreByCuts(cuts.f, c, WORSE_FIRST.f),
    scoreByCuts(cuts.m, c, WORSE_FIRST.m),
    scale,
  );
}

/**
 * Per-segment totals of scored customers (what rfm.ts's summary query returns), with the monetary
 * sums exact until the end. `monetary` is each customer's exact value as in scoreRfm's input.
 */
export function segmentTotals(
  scored: readonly RfmCustomer[],
  monetary: readonly bigint[],
  scale: number,
): SegmentTotals[] {
  const by = new Map<string, { n: number; recency: number; frequency: number; money: bigint }>();
  scored.forEach((c, i) => {
    const t = by.get(c.segment) ?? { n: 0, recency: 0, frequency: 0, money: 0n };
    t.n += 1;
    t.recency += c.recency_days;
    t.frequency += c.frequency;
    t.money += monetary[i]!;
    by.set(c.segment, t);
  });
  return [...by].map(([segment, t]) => ({
    segment,
    customers: t.n,
    avg_recency: t.recency / t.n,
    avg_frequency: t.frequency / t.n,
    monetary: decimalToNumber(t.money, scale),
  }));
}

/** An exact decimal (an integer of 10^-scale units) as the nearest double, like a DECIMAL cast to DOUBLE. */
export function decimalToNumber(value: bigint, scale: number): number {
  return Number(
    value.toString().replace(/^(-?)(\d+)$/, (_, sign: string, digits: string) => {
      const padded = digits.padStart(scale + 1, '0');
      return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
    }),
  );
}

/** A decimal's text ('123.45', '-0.5', '7') as an integer of 10^-scale units. */
export function parseDecimal(text: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m || (m[3]?.length ?? 0) > scale) throw new RangeError(`not a decimal of scale ${scale}: '${text}'`);
  const units = BigInt(m[2]! + (m[3] ?? '').padEnd(scale, '0'));
  return m[1] ? -units : units;
}
