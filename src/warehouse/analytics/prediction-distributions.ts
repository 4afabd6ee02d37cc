/**
 * @module warehouse/analytics/prediction-distributions
 * How the stored customer predictions (`customer_predictions`, written by `shopsight predict
 * customers`) are spread: a histogram of churn probability over equal bins of [0, 1] with the count
 * per risk band, and a histogram of CLV (365 days) with the count and value per spend tier.
 *
 * CLV is heavy-tailed (a few wholesalers spend a hundred times the median), so equal bins over
 * [0, max] would put nearly everyone in the first one. The bins cover [0, cap) with cap the 95th
 * percentile (DuckDB's quantile_cont, linear interpolation), and one last open bin holds the
 * customers at cap and above; negative values (none expected) count in the first bin.
 *
 * @example
 *   const d = await predictionDistributions(wh, { bins: 10 });
 *   d.churn.bins[9].customers; // customers with churn probability >= 0.9
 */
import {
  CHURN_RISKS,
  SPEND_TIER_NAMES,
  type ChurnRisk,
  type SpendTierName,
} from '../../schema/predictions.js';
import type { Warehouse } from '../warehouse.js';
import { money } from './sql.js';

export interface HistogramBin {
  readonly from: number;
  /** Exclusive upper bound; null for the open last bin of CLV. The last churn bin includes 1. */
  readonly to: number | null;
  readonly customers: number;
}

export interface PredictionDistributions {
  /** False when no prediction is stored (`reason` says what to run). */
  readonly available: boolean;
  readonly reason: string | null;
  /** The day the predictions are as of, and when they were made. */
  readonly asOf: string | null;
  readonly predictedAt: string | null;
  readonly customers: number;
  readonly churn: {
    readonly mean: number | null;
    readonly bins: HistogramBin[];
    readonly byRisk: { risk: ChurnRisk; customers: number }[];
  };
  readonly clv: {
    readonly total: number;
    readonly mean: number | null;
    readonly median: number | null;
    /** The 95th percentile: where the open last bin starts (null with no predictions). */
    readonly cap: number | null;
    readonly bins: HistogramBin[];
    readonly byTier: { tier: SpendTierName; customers: number; clv: number }[];
  };
}

export const DEFAULT_BINS = 10;
export const MAX_BINS = 50;

type Stats = {
  n: number;
  as_of: string | null;
  predicted_at: string | null;
  churn_mean: number | null;
  clv_total: number | null;
  clv_mean: number | null;
  clv_median: number | null;
  cap: number | null;
};

export async function predictionDistributions(
  wh: Warehouse,
  options: { bins?: number } = {},
): Promise<PredictionDistributions> {
  const bins = options.bins ?? DEFAULT_BINS;
  if (!Number.isInteger(bins) || bins < 2 || bins > MAX_BINS) {
    throw new RangeError(`bins must be a whole number from 2 to ${MAX_BINS}, got ${bins}`);
  }
  const [stats] = await wh.rows<Stats>(
    `SELECT count(*) AS n, strftime(max(as_of), '%Y-%m-%d') AS as_of,
            strftime(max(predicted_at), '%Y-%m-%dT%H:%M:%SZ') AS predicted_at,
            avg(churn_probability) AS churn_mean, sum(clv_365d) AS clv_total, avg(clv_365d) AS clv_mean,
            quantile_cont(clv_365d, 0.5) AS clv_median, quantile_cont(clv_365d, 0.95) AS cap
     FROM customer_predictions`,
  );
  const n = Number(stats?.n ?? 0);
  const churnCounts = new Array<number>(bins).fill(0);
  for (const r of await wh.rows<{ bin: number; customers: number }>(
    `SELECT CAST(least(greatest(floor(churn_probability * ${bins}), 0), ${bins - 1}) AS INTEGER) AS bin,
            count(*) AS customers
     FROM customer_predictions GROUP BY bin`,
  )) {
    churnCounts[r.bin] = Number(r.customers);
  }
  const risks = new Map(
    (
      await wh.rows<{ churn_risk: ChurnRisk; customers: number }>(
        'SELECT churn_risk, count(*) AS customers FROM customer_predictions GROUP BY churn_risk',
      )
    ).map((r) => [r.churn_risk, Number(r.customers)]),
  );
  const tiers = new Map(
    (
      await wh.rows<{ spend_tier: SpendTierName; customers: number; clv: number }>(
        'SELECT spend_tier, count(*) AS customers, sum(clv_365d) AS clv FROM customer_predictions GROUP BY spend_tier',
      )
    ).map((r) => [r.spend_tier, r]),
  );

  const cap = n > 0 ? (stats?.cap ?? null) : null;
  let clvBins: HistogramBin[] = [];
  if (cap !== null && cap > 0) {
    const width = cap / bins;
    const counts = new Array<number>(bins + 1).fill(0);
    for (const r of await wh.rows<{ bin: number; customers: number }>(
      `SELECT CASE WHEN clv_365d >= $1 THEN ${bins}
                   ELSE CAST(least(greatest(floor(clv_365d / $2), 0), ${bins - 1}) AS INTEGER) END AS bin,
              count(*) AS customers
       FROM customer_predictions GROUP BY bin`,
      [cap, width],
    )) {
      counts[r.bin] = Number(r.customers);
    }
    clvBins = counts.map((customers, i) => ({
      from: money(i * width),
      to: i < bins ? money(i === bins - 1 ? cap : (i + 1) * width) : null,
      customers,
    }));
  } else if (n > 0) {
    // Every CLV is zero or less: one bin says so.
    clvBins = [{ from: 0, to: null, customers: n }];
  }

  return {
    available: n > 0,
    reason:
      n > 0
        ? null
        : 'no predictions stored: run `shopsight train customers` then `shopsight predict customers`',
    asOf: stats?.as_of ?? null,
    predictedAt: stats?.predicted_at ?? null,
    customers: n,
    churn: {
      mean: stats?.churn_mean ?? null,
      bins: churnCounts.map((customers, i) => ({ from: i / bins, to: (i + 1) / bins, customers })),
      byRisk: CHURN_RISKS.map((risk) => ({ risk, customers: risks.get(risk) ?? 0 })),
    },
    clv: {
      total: money(stats?.clv_total ?? 0),
      mean: stats?.clv_mean === null || stats?.clv_mean === undefined ? null : money(stats.clv_mean),
      median: stats?.clv_median === null || stats?.clv_median === undefined ? null : money(stats.clv_median),
      cap: cap === null ? null : money(cap),
      bins: clvBins,
      byTier: SPEND_TIER_NAMES.map((tier) => ({
        tier,
        customers: Number(tiers.get(tier)?.customers ?? 0),
        clv: money(tiers.get(tier)?.clv ?? 0),
      })),
    },
  };
}
