/**
 * @module tasks/recommend/budget
 * Whether a candidate fits what is left of `train recommend`'s time budget, from its cost estimate
 * (./cost.ts): run it as registered, run it shortened (fewer iterations or epochs, never below the
 * registry's minimum), or skip it - always with a note saying which and why.
 *
 * A candidate must leave room for its own final fit (if it wins it is refitted on all interactions)
 * and for the largest final fit among the candidates already run (one of them may win instead).
 * The budget is checked between candidates: a candidate whose estimate was too low is not
 * interrupted, the next ones see less time left.
 *
 * @example
 *   decideCandidate(estimate, { param: 'epochs', default: 40, min: 4 }, 300, 20);
 *   // { action: 'shorten', steps: 9, seconds: 270, note: 'shortened to epochs 9 (of 40): ...' }
 */
import { parseDuration } from '../../core/duration.js';
import { comparisonSeconds, fitSeconds, type CandidateEstimate } from './cost.js';

export interface BudgetDecision {
  readonly action: 'run' | 'shorten' | 'skip';
  /** The value of the shortened parameter to train with (`shorten` only). */
  readonly steps?: number;
  /** Estimated seconds to compare the candidate at those steps (both fits, both scorings). */
  readonly seconds?: number;
  /** Estimated seconds of its final fit on all interactions, were it chosen. */
  readonly finalSeconds?: number;
  readonly note?: string;
}

const s0 = (x: number): string => `${Math.ceil(x).toLocaleString('en-US')} s`;

/**
 * @param remaining seconds of the budget left now
 * @param reserve the largest estimated final fit among candidates already run
 */
export function decideCandidate(
  estimate: CandidateEstimate | undefined,
  shorten: { readonly param: string; readonly default: number; readonly min: number } | undefined,
  remaining: number,
  reserve: number,
): BudgetDecision {
  if (!estimate) {
    return remaining > reserve
      ? { action: 'run', note: 'no cost estimate for this model; run because time is left' }
      : { action: 'skip', note: `no cost estimate and ${s0(Math.max(0, remaining))} of the budget left` };
  }
  const full = shorten?.default ?? 1;
  const need = (steps: number): number =>
    comparisonSeconds(estimate, steps) + Math.max(reserve, fitSeconds(estimate, steps));
  const fullSeconds = comparisonSeconds(estimate, full);
  if (need(full) <= remaining) {
    return { action: 'run', steps: full, seconds: fullSeconds, finalSeconds: fitSeconds(estimate, full) };
  }
  const over = `estimated ${s0(need(full))} with a final fit, ${s0(Math.max(0, remaining))} of the budget left`;
  if (shorten) {
    for (let steps = full - 1; steps >= shorten.min; steps--) {
      if (need(steps) <= remaining) {
        return {
          action: 'shorten',
          steps,
          seconds: comparisonSeconds(estimate, steps),
          finalSeconds: fitSeconds(estimate, steps),
          note: `shortened to ${shorten.param} ${steps} (of ${full}): ${over}`,
        };
      }
    }
    return {
      action: 'skip',
      seconds: fullSeconds,
      note: `skipped: ${over}, and even ${shorten.param} ${shorten.min} would not fit`,
    };
  }
  return { action: 'skip', seconds: fullSeconds, note: `skipped: ${over}` };
}

/** Parses `--budget`: seconds, or a number with s / m / h (`90s`, `10m`, `1.5h`), or `none`. */
export function parseBudget(text: string): number {
  return parseDuration(text, '--budget', { allowNone: true });
}

/** Ten minutes: the default budget of `train recommend` (wall time, measured on 2 cores). */
export const DEFAULT_BUDGET_SECONDS = 600;
