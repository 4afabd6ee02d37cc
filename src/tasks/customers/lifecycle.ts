/**
 * @module tasks/customers/lifecycle
 * The lifecycle stage of a customer as of a day, by fixed rules on their sales orders (statuses as
 * of that day), checked in this order:
 *
 *   prospect  no sales order before the day (a customers row or events only)
 *   new       first sales order at most NEW_DAYS (30) days before the day
 *   lapsed    last sales order more than LAPSED_DAYS (180) days before the day
 *   at_risk   last sales order more than AT_RISK_DAYS (90, the churn models' default horizon) days
 *             before the day, or, for a customer with two or more purchase days, more than
 *             GAP_MULTIPLE (3) times their mean gap between purchase days and more than NEW_DAYS ago
 *             (a weekly buyer silent for a month is at risk before the 90 days are up)
 *   active    everyone else
 *
 * Days are whole days from the order's day to the day, as RFM recency counts them. Fixed thresholds
 * (not store quantiles) keep a stage meaning the same in every store and every month; the RFM
 * segment beside it in the profile is the relative view.
 *
 * @example
 *   lifecycleStage({ sales: 3, recencyDays: 40, tenureDays: 200, meanGapDays: 10 });
 *   // { stage: 'at_risk', reason: 'last order 40 days ago, more than 3x their mean gap of 10 days' }
 */

export const LIFECYCLE_RULES = {
  NEW_DAYS: 30,
  AT_RISK_DAYS: 90,
  LAPSED_DAYS: 180,
  GAP_MULTIPLE: 3,
} as const;

export const LIFECYCLE_STAGES = ['prospect', 'new', 'active', 'at_risk', 'lapsed'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export interface LifecycleInput {
  /** Sales orders before the day. */
  readonly sales: number;
  /** Whole days from the last sale's day to the day (null without sales). */
  readonly recencyDays: number | null;
  /** Whole days from the first sale's day to the day (null without sales). */
  readonly tenureDays: number | null;
  /** Mean days between purchase days (null with fewer than two). */
  readonly meanGapDays: number | null;
}

export interface Lifecycle {
  readonly stage: LifecycleStage;
  /** The rule that decided it, with the customer's numbers. */
  readonly reason: string;
}

const days = (n: number): string => `${Math.round(n * 10) / 10} day${n === 1 ? '' : 's'}`;

export function lifecycleStage(c: LifecycleInput): Lifecycle {
  const { NEW_DAYS, AT_RISK_DAYS, LAPSED_DAYS, GAP_MULTIPLE } = LIFECYCLE_RULES;
  if (c.sales === 0 || c.recencyDays === null || c.tenureDays === null) {
    return { stage: 'prospect', reason: 'no sales order yet' };
  }
  const r = c.recencyDays;
  if (c.tenureDays <= NEW_DAYS) {
    return { stage: 'new', reason: `first order ${days(c.tenureDays)} ago (new for ${NEW_DAYS} days)` };
  }
  if (r > LAPSED_DAYS) {
    return { stage: 'lapsed', reason: `last order ${days(r)} ago, more than ${LAPSED_DAYS}` };
  }
  if (r > AT_RISK_DAYS) {
    return { stage: 'at_risk', reason: `last order ${days(r)} ago, more than ${AT_RISK_DAYS}` };
  }
  const gap = c.meanGapDays;
  if (gap !== null && gap > 0 && r > GAP_MULTIPLE * gap && r > NEW_DAYS) {
    return {
      stage: 'at_risk',
      reason: `last order ${days(r)} ago, more than ${GAP_MULTIPLE}x their mean gap of ${days(gap)}`,
    };
  }
  const withinGap =
    gap === null || gap <= 0
      ? ''
      : r <= GAP_MULTIPLE * gap
        ? ` and ${GAP_MULTIPLE}x their mean gap of ${days(gap)}`
        : ` (past ${GAP_MULTIPLE}x their mean gap of ${days(gap)}, but within ${NEW_DAYS} days)`;
  return { stage: 'active', reason: `last order ${days(r)} ago, within ${AT_RISK_DAYS}${withinGap}` };
}
