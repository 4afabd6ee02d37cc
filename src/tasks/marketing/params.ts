/**
 * @module tasks/marketing/params
 * The uplift candidates and their sizes. GBDT sizes are small on purpose: Hillstrom's effect is
 * small and nearly additive (a few points of visit rate), deep or long boosting fits noise, and the
 * eval fits 8 models x 10 splits x 4 tables inside its time budget (docs/marketing.md). Fixed
 * before the eval figures were seen: depth 3, 60 rounds at 0.08, leaves of at least 20 rows'
 * hessian (about 100 rows at p = 0.15).
 */
import type { GbdtParams } from '../../ml/gbdt/params.js';
import type { BaseLearnerSpec } from '../../ml/uplift/base-learner.js';
import { UPLIFT_METHODS } from '../../ml/uplift/learners.js';
import type { Candidate } from './uplift-comparison.js';

export const UPLIFT_GBDT_PARAMS: Partial<GbdtParams> = {
  rounds: 60,
  maxDepth: 3,
  learningRate: 0.08,
  minChildHessian: 20,
  seed: 1,
};

export const UPLIFT_BASES: Readonly<Record<'logistic' | 'gbdt', BaseLearnerSpec>> = {
  logistic: { kind: 'logistic', l2: 1 },
  gbdt: { kind: 'gbdt', params: UPLIFT_GBDT_PARAMS },
};

/** Every method on both bases, named `<method> <base>` (e.g. 't-learner logistic'). */
export const UPLIFT_CANDIDATES: readonly Candidate[] = (['logistic', 'gbdt'] as const).flatMap((base) =>
  UPLIFT_METHODS.map((method) => ({ name: `${method} ${base}`, spec: { method, base: UPLIFT_BASES[base] } })),
);
