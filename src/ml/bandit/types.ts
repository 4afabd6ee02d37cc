/**
 * @module ml/bandit/types
 * The shapes every bandit policy shares: what a policy is (its kind and hyper-parameters) and the
 * state it learns, kept as typed arrays so it saves to an artifact byte for byte and restores
 * exactly. Two families:
 *
 * - context-free (Thompson sampling Beta-Bernoulli, epsilon-greedy, UCB1): per arm, the number of
 *   times it was played and the sum of its rewards; that is all any of the three needs.
 * - linear contextual (LinUCB, linear Thompson sampling), one ridge regression per arm ("disjoint"
 *   models, Li et al. 2010): A = ridge I + sum x x^T and b = sum r x per arm, plus A^-1 kept up to
 *   date by Sherman-Morrison so a choice costs O(d^2) per arm, not a solve.
 *
 * Rewards are numbers in [0, 1] (a visit, a conversion, a capped value): Beta-Bernoulli Thompson
 * sampling and UCB1's bound are defined for that range.
 */

export type ContextFreeKind = 'thompson' | 'epsilon-greedy' | 'ucb1';
export type LinearKind = 'linucb' | 'linear-thompson';
export type BanditKind = ContextFreeKind | LinearKind;
export const BANDIT_KINDS: readonly BanditKind[] = [
  'thompson',
  'epsilon-greedy',
  'ucb1',
  'linucb',
  'linear-thompson',
];

/** A policy and its hyper-parameters; omitted ones take the defaults in `policy.ts`. */
export type BanditSpec =
  | { readonly kind: 'thompson'; readonly priorAlpha?: number; readonly priorBeta?: number }
  | { readonly kind: 'epsilon-greedy'; readonly epsilon?: number }
  | { readonly kind: 'ucb1' }
  | { readonly kind: 'linucb'; readonly alpha?: number; readonly ridge?: number }
  | { readonly kind: 'linear-thompson'; readonly v?: number; readonly ridge?: number };

export interface ContextFreeState {
  readonly kind: ContextFreeKind;
  readonly arms: number;
  /** Hyper-parameters with defaults filled in (priorAlpha, priorBeta, epsilon). */
  readonly params: Readonly<Record<string, number>>;
  /** Times each arm was played and rewarded (updates received). */
  readonly pulls: Float64Array;
  /** Sum of each arm's rewards. */
  readonly rewardSums: Float64Array;
}

export interface LinearState {
  readonly kind: LinearKind;
  readonly arms: number;
  /** Context length d (include a constant 1 column for an intercept). */
  readonly dims: number;
  /** Hyper-parameters with defaults filled in (alpha or v, ridge). */
  readonly params: Readonly<Record<string, number>>;
  readonly pulls: Float64Array;
  /** arms x d x d, row-major per arm: ridge I + sum x x^T. */
  readonly a: Float64Array;
  /** arms x d x d: A^-1, kept in step with `a` (Sherman-Morrison on each update). */
  readonly aInv: Float64Array;
  /** arms x d: sum r x. */
  readonly b: Float64Array;
}

export type BanditState = ContextFreeState | LinearState;

export class BanditError extends Error {
  override readonly name = 'BanditError';
}
