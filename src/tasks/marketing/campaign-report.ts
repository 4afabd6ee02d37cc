/**
 * @module tasks/marketing/campaign-report
 * Did the campaign work? Each treatment against the control: contacts, conversion (and visit) rate,
 * revenue per contact; the difference with its confidence interval, a significance test, and the
 * sample size a test of the observed effect would need.
 *
 * - Rates: two-proportion z-test, Wald interval of the difference, per-arm sample size at 80% power
 *   (ml/metrics/proportions.ts, statsmodels' definitions).
 * - Revenue per contact: difference of means, Welch (unpooled) standard error
 *   sqrt(s1^2/n1 + s0^2/n0) with a normal interval and z-test (the samples are thousands).
 * - Multiple comparisons and sequential looks, Bonferroni: every test is run at
 *   alpha / (treatments x looks). `looks` is how many times the report is (or will be) read while
 *   the campaign runs, declared up front: reading a fixed-horizon test repeatedly and stopping at the
 *   first significant look inflates false positives (about 14% instead of 5% at five looks); dividing
 *   alpha by the planned looks keeps the overall rate at or below alpha whatever their timing. It is
 *   conservative next to group-sequential boundaries (O'Brien-Fleming), which we do not implement.
 *
 * @example
 *   const r = campaignReport(data, { looks: 1 });
 *   r.comparisons[0].conversion.difference; // treated - control rate
 */
import { twoProportionTest, type TwoProportionTest } from '../../ml/metrics/proportions.js';
import { normalQuantile, normalUpperTail } from '../../ml/special/normal.js';
import { CampaignError, outcomeOf, type CampaignData, type Outcome } from './campaign-data.js';

export interface MeanDifference {
  readonly meanControl: number;
  readonly meanTreated: number;
  readonly difference: number;
  readonly ci: readonly [number, number];
  readonly pValue: number;
}

export interface ArmSummary {
  readonly variant: string;
  readonly contacts: number;
  /** Contacts with a known outcome (recorded, or derived from orders and events). */
  readonly known: Readonly<Record<Outcome, number>>;
  readonly successes: Readonly<Record<Outcome, number>>;
  readonly revenuePerContact: number | null;
}

export interface Comparison {
  readonly treatment: string;
  readonly outcomes: Readonly<Record<Outcome, TwoProportionTest>>;
  readonly revenue: MeanDifference | null;
}

export interface CampaignReport {
  readonly campaign: string;
  readonly control: ArmSummary;
  readonly treated: readonly ArmSummary[];
  readonly comparisons: readonly Comparison[];
  readonly alpha: number;
  /** alpha / (treatments x looks): the level each test is run at. */
  readonly alphaPerTest: number;
  readonly looks: number;
  readonly method: string;
}

export interface ReportOptions {
  readonly alpha?: number;
  readonly looks?: number;
}

function arm(data: CampaignData, variant: string): ArmSummary & { revenues: number[] } {
  const rows = data.contacts.filter((c) => c.variant === variant);
  const known = { visit: 0, conversion: 0 };
  const successes = { visit: 0, conversion: 0 };
  for (const c of rows) {
    for (const o of ['visit', 'conversion'] as const) {
      const v = outcomeOf(c, o);
      if (v === null) continue;
      known[o]++;
      successes[o] += v;
    }
  }
  const revenues = rows.map((c) => c.revenue).filter((v): v is number => v !== null);
  return {
    variant,
    contacts: rows.length,
    known,
    successes,
    revenuePerContact: revenues.length ? revenues.reduce((a, b) => a + b, 0) / revenues.length : null,
    revenues,
  };
}

function meanVar(v: readonly number[]): { mean: number; variance: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.length > 1 ? v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) : 0;
  return { mean, variance };
}

/** Welch difference of means (treated - control) with a normal interval at 1 - alpha. */
export function meanDifference(
  treated: readonly number[],
  control: readonly number[],
  alpha: number,
): MeanDifference | null {
  if (treated.length < 2 || control.length < 2) return null;
  const t = meanVar(treated);
  const c = meanVar(control);
  const d = t.mean - c.mean;
  const se = Math.sqrt(t.variance / treated.length + c.variance / control.length);
  const z = normalQuantile(1 - alpha / 2);
  return {
    meanControl: c.mean,
    meanTreated: t.mean,
    difference: d,
    ci: [d - z * se, d + z * se],
    pValue: se > 0 ? Math.min(1, 2 * normalUpperTail(Math.abs(d / se))) : d === 0 ? 1 : 0,
  };
}

export function campaignReport(data: CampaignData, o: ReportOptions = {}): CampaignReport {
  const alpha = o.alpha ?? 0.05;
  const looks = o.looks ?? 1;
  if (!Number.isInteger(looks) || looks < 1) {
    throw new CampaignError(`--looks ${looks}: the number of planned looks must be a whole number >= 1`);
  }
  const alphaPerTest = alpha / (data.treatments.length * looks);
  const control = arm(data, data.control);
  const treated = data.treatments.map((t) => arm(data, t));
  const comparisons = treated.map((t): Comparison => {
    const test = (outcome: Outcome): TwoProportionTest =>
      twoProportionTest(
        { successes: control.successes[outcome], trials: control.known[outcome] },
        { successes: t.successes[outcome], trials: t.known[outcome] },
        { alpha: alphaPerTest },
      );
    return {
      treatment: t.variant,
      outcomes: { visit: test('visit'), conversion: test('conversion') },
      revenue: meanDifference(t.revenues, control.revenues, alphaPerTest),
    };
  });
  const strip = ({ revenues: _, ...rest }: ArmSummary & { revenues: number[] }): ArmSummary => rest;
  return {
    campaign: data.campaign.campaignId,
    control: strip(control),
    treated: treated.map(strip),
    comparisons,
    alpha,
    alphaPerTest,
    looks,
    method:
      `each treatment vs the control '${data.control}': two-proportion z-test and Wald interval for rates, ` +
      `Welch z-interval for revenue per contact; Bonferroni over ${data.treatments.length} treatment(s) x ${looks} planned look(s): ` +
      `every test at alpha ${alpha} / ${data.treatments.length * looks} = ${Number(alphaPerTest.toPrecision(3))}, intervals at ${Number(((1 - alphaPerTest) * 100).toPrecision(4))}%` +
      (looks === 1
        ? '; one look: read the result once, at the planned end (pass --looks K if you will read it K times while it runs)'
        : ''),
  };
}
