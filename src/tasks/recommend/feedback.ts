/**
 * @module tasks/recommend/feedback
 * The feedback-loop report behind `GET /v1/analytics/recommendations`: the per model version and
 * variant figures of warehouse/analytics/recommendations.ts, plus an A/B comparison of two arms per
 * task with the two-proportion test of ml/metrics/proportions.ts on CTR and on conversion.
 *
 * Arms: by default the A/B variant of the responses (`compareBy: 'variant'`), or the model version
 * (`'model_version'`, for versions served one after the other or side by side without a variant
 * label). Responses without the key (no variant, no model) are in no arm. Rows of the same arm are
 * summed (a variant whose model was promoted mid-test has two rows). With `a` and `b`, those two
 * arms are compared, A as the baseline; without them, a task with exactly two arms compares them
 * in name order, and a task with more says so in `notes`.
 *
 * @example
 *   const r = await recommendationFeedback(wh, { compareBy: 'variant', a: 'control', b: 'treatment' });
 *   r.comparisons[0].ctr.verdict; // 'too_small' until both arms have enough traffic
 */
import { twoProportionTest, type TwoProportionTest } from '../../ml/metrics/proportions.js';
import {
  recommendationPerformance,
  type RecommendationPerformance,
  type RecommendationPerformanceOptions,
  type RecommendationPerformanceRow,
} from '../../warehouse/analytics/recommendations.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export const COMPARE_BY = ['variant', 'model_version'] as const;
export type CompareBy = (typeof COMPARE_BY)[number];

export interface FeedbackOptions extends RecommendationPerformanceOptions {
  readonly compareBy?: CompareBy;
  /** Baseline arm name (a variant, or a model version as text). */
  readonly a?: string;
  /** Challenger arm name. */
  readonly b?: string;
  /** Significance level (default 0.05) and power for the minimum detectable effect (default 0.8). */
  readonly alpha?: number;
  readonly power?: number;
}

export interface ArmTotals {
  readonly arm: string;
  readonly impressions: number;
  readonly clickedImpressions: number;
  readonly convertedImpressions: number;
  readonly orders: number;
  readonly revenue: number;
  readonly ctr: number | null;
  readonly conversionRate: number | null;
}

export interface ArmComparison {
  readonly task: string;
  readonly compareBy: CompareBy;
  readonly a: ArmTotals;
  readonly b: ArmTotals;
  /** Clicked responses / impressions, B against A. */
  readonly ctr: TwoProportionTest;
  /** Responses with an attributed order / impressions, B against A. */
  readonly conversion: TwoProportionTest;
}

export interface FeedbackReport extends RecommendationPerformance {
  readonly comparisons: ArmComparison[];
  /** Why a task has no comparison (one arm, more than two, a named arm missing). */
  readonly notes: string[];
}

function armOf(row: RecommendationPerformanceRow, by: CompareBy): string | null {
  return by === 'variant' ? row.variant : row.modelVersion === null ? null : String(row.modelVersion);
}

function totals(arm: string, rows: readonly RecommendationPerformanceRow[]): ArmTotals {
  const sum = (f: (r: RecommendationPerformanceRow) => number): number => rows.reduce((s, r) => s + f(r), 0);
  const impressions = sum((r) => r.impressions);
  const clicked = sum((r) => r.clickedImpressions);
  const converted = sum((r) => r.convertedImpressions);
  return {
    arm,
    impressions,
    clickedImpressions: clicked,
    convertedImpressions: converted,
    orders: sum((r) => r.orders),
    revenue: Math.round(sum((r) => r.revenue) * 10_000) / 10_000,
    ctr: impressions ? clicked / impressions : null,
    conversionRate: impressions ? converted / impressions : null,
  };
}

/** Throws a RangeError naming the option at fault. */
function checkCompareOptions(options: Pick<FeedbackOptions, 'compareBy' | 'a' | 'b'>): void {
  const by = options.compareBy ?? 'variant';
  if (!COMPARE_BY.includes(by)) {
    throw new RangeError(`compare_by must be one of ${COMPARE_BY.join(', ')}, got '${String(by)}'`);
  }
  if ((options.a === undefined) !== (options.b === undefined)) {
    throw new RangeError('name both arms (a and b) or neither');
  }
  if (options.a !== undefined && options.a === options.b) {
    throw new RangeError(`arms a and b are both '${options.a}'`);
  }
}

/** The comparisons of a performance report (pure: also usable on rows read elsewhere). */
export function compareArms(
  rows: readonly RecommendationPerformanceRow[],
  options: Pick<FeedbackOptions, 'compareBy' | 'a' | 'b' | 'alpha' | 'power'> = {},
): { comparisons: ArmComparison[]; notes: string[] } {
  checkCompareOptions(options);
  const by = options.compareBy ?? 'variant';
  const byTask = new Map<string, Map<string, RecommendationPerformanceRow[]>>();
  for (const r of rows) {
    const arm = armOf(r, by);
    if (arm === null) continue;
    const arms = byTask.get(r.task) ?? new Map<string, RecommendationPerformanceRow[]>();
    byTask.set(r.task, arms);
    arms.set(arm, [...(arms.get(arm) ?? []), r]);
  }
  const comparisons: ArmComparison[] = [];
  const notes: string[] = [];
  const what = by === 'variant' ? 'variant' : 'model version';
  if (byTask.size === 0) notes.push(`no impressions carry a ${what}: nothing to compare`);
  for (const [task, arms] of [...byTask].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const names = [...arms.keys()].sort();
    let pair: [string, string] | null = null;
    if (options.a !== undefined && options.b !== undefined) {
      const missing = [options.a, options.b].filter((n) => !arms.has(n));
      if (missing.length) {
        notes.push(
          `${task}: no impressions for ${what} ${missing.map((m) => `'${m}'`).join(' and ')} (has ${names.join(', ')})`,
        );
      } else pair = [options.a, options.b];
    } else if (names.length === 2) {
      pair = [names[0]!, names[1]!];
    } else {
      notes.push(
        names.length === 1
          ? `${task}: one ${what} only (${names[0]}): nothing to compare`
          : `${task}: ${names.length} ${what}s (${names.join(', ')}): name the two to compare (a and b)`,
      );
    }
    if (!pair) continue;
    const a = totals(pair[0], arms.get(pair[0])!);
    const b = totals(pair[1], arms.get(pair[1])!);
    const test = { alpha: options.alpha, power: options.power };
    comparisons.push({
      task,
      compareBy: by,
      a,
      b,
      ctr: twoProportionTest(
        { successes: a.clickedImpressions, trials: a.impressions },
        { successes: b.clickedImpressions, trials: b.impressions },
        test,
      ),
      conversion: twoProportionTest(
        { successes: a.convertedImpressions, trials: a.impressions },
        { successes: b.convertedImpressions, trials: b.impressions },
        test,
      ),
    });
  }
  return { comparisons, notes };
}

export async function recommendationFeedback(
  wh: Warehouse,
  options: FeedbackOptions = {},
): Promise<FeedbackReport> {
  checkCompareOptions(options);
  const performance = await recommendationPerformance(wh, options);
  return { ...performance, ...compareArms(performance.rows, options) };
}
