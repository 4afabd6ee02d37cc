/**
 * @module tasks/recommend/cost
 * How long a recommender will take on a store, estimated from the data's size BEFORE it trains, so
 * `train recommend --budget` can skip or shorten the expensive candidates with a note.
 *
 * Each model's cost is `work x rate`: the work is a count the algorithm's loops are proportional to
 * (sum over users of their distinct items squared for item-item models, items^3 for EASE's inverse,
 * tokens x width x (negatives + layers) for SASRec, ...); the rate is seconds per unit of work,
 * measured by `bench/recommend-costs.ts` on a generated store (the numbers and the machine are in
 * docs/recommendations.md). What the estimate is, honestly: one rate per model from one store and
 * one machine, extrapolated by the shape of the algorithm; SASRec is costed at its full epoch budget
 * although early stopping often ends it sooner; a busy machine runs slower than the rates say.
 * Read the figures as "about this order", which is what choosing what fits a budget needs.
 *
 * @example
 *   const size = dataSize(trainingData(seqs), 20_000);
 *   estimateCandidate('als', size); // { fitSeconds, casesSeconds, total, final, ... }
 */
import { ALS_DEFAULTS } from '../../ml/recommend/als.js';
import { BPR_DEFAULTS } from '../../ml/recommend/bpr.js';
import { SASREC_DEFAULTS } from '../../ml/recommend/sasrec/index.js';
import type { TrainingData } from '../../ml/recommend/types.js';
import { NEIGHBOURS } from './models.js';

export interface DataSize {
  readonly users: number;
  readonly items: number;
  /** Interactions (sequence entries, repeats included). */
  readonly interactions: number;
  /** Distinct (user, item) pairs: the matrix's non-zeros. */
  readonly nonZeros: number;
  /** Sum over users of (distinct items)^2: the item-item co-occurrence work. */
  readonly pairs: number;
  /** Sum over users of min(length, 50): the tokens SASRec reads per epoch. */
  readonly tokens: number;
  /** Mean history length of the users being scored (cases). */
  readonly meanHistory: number;
  /** Ranking cases per evaluation (validation; the test has as many). */
  readonly cases: number;
}

/** SASRec reads the last `maxLength` items of a history. */
const SASREC = SASREC_DEFAULTS;

export function dataSize(data: TrainingData, cases: number): DataSize {
  const { sequences: s, matrix: m } = data;
  let pairs = 0;
  for (let u = 0; u < m.rows; u++) pairs += (m.indptr[u + 1]! - m.indptr[u]!) ** 2;
  let tokens = 0;
  let evaluable = 0;
  let evaluableLength = 0;
  for (let u = 0; u < s.users; u++) {
    const len = s.offsets[u + 1]! - s.offsets[u]!;
    tokens += Math.min(len, SASREC.maxLength);
    if (len >= 3) {
      evaluable++;
      evaluableLength += len;
    }
  }
  return {
    users: s.users,
    items: s.items,
    interactions: s.itemIds.length,
    nonZeros: m.indices.length,
    pairs,
    tokens,
    meanHistory: evaluable ? evaluableLength / evaluable : 0,
    cases,
  };
}

/** A model's cost: work counts and the measured seconds per unit of each. */
export interface CostFormula {
  /** Work of one fit that does not depend on the shortened parameter. */
  readonly fixedWork: (s: DataSize) => number;
  /** Work of one fit per unit of the shortened parameter (iterations, epochs); 0 if none. */
  readonly stepWork: (s: DataSize) => number;
  /** Work of scoring and ranking one case. */
  readonly caseWork: (s: DataSize) => number;
  readonly fitRate: number;
  readonly caseRate: number;
}

const none = (): number => 0;
const knnFit = (s: DataSize): number => s.pairs;
/** A kNN score sums up to K neighbours per history item; every case then ranks the catalogue. */
const knnCase = (s: DataSize): number => s.items + s.meanHistory * NEIGHBOURS;
const sasrecEpoch = (s: DataSize): number =>
  s.tokens * SASREC.hidden * (SASREC.negatives + 12 * SASREC.blocks * SASREC.hidden) +
  // an early-stopping check every evalEvery epochs: a full ranking per held-out user
  (Math.min(SASREC.validationUsers, s.users) * SASREC.hidden * s.items) / SASREC.evalEvery;
const sasrecCase = (s: DataSize): number =>
  SASREC.hidden * s.items + SASREC.maxLength * SASREC.hidden * SASREC.hidden * SASREC.blocks * 12;

/**
 * Rates in CPU seconds per unit of work, from `bench/recommend-costs.ts` on a generated store of
 * 10,000 customers and 5,000 products (33,798 users, 405,339 interactions, 2,000 cases), measured
 * while the machine was shared (load average 9-14 on 2 cores): CPU time, not wall time, because
 * wall time there was 3-7x the CPU time. Single-threaded models run at about these rates on a quiet
 * machine; ALS and SASRec use two threads and can finish up to ~1.5x sooner. `train recommend`
 * corrects for a busy machine as it goes (see `slowdown` in train.ts). Models not listed have no
 * estimate: the budget runs them while time is left and says it could not estimate them.
 */
export const COSTS: Readonly<Record<string, CostFormula>> = {
  popularity: {
    fixedWork: (s) => s.interactions,
    stepWork: none,
    caseWork: (s) => s.items,
    fitRate: 2.1e-8, // 0.01 s
    caseRate: 1.3e-8, // 0.13 s for 2,000 cases x 5,000 items
  },
  // The shared 1000-neighbour cosine table (see `sharesKnn`): 0.74 s for 7.35 M pairs.
  'item-knn': { fixedWork: knnFit, stepWork: none, caseWork: knnCase, fitRate: 1.0e-7, caseRate: 7.6e-9 },
  // Counting transitions; the kNN table is the item-knn entry's (1.04 s in all, 0.3 s of it counts).
  'transition-counts': {
    fixedWork: (s) => s.interactions,
    stepWork: none,
    caseWork: (s) => s.meanHistory,
    fitRate: 7.4e-7,
    caseRate: 0,
  },
  als: {
    fixedWork: none,
    stepWork: (s) => (s.nonZeros + s.users + s.items) * ALS_DEFAULTS.factors ** 2,
    caseWork: (s) => ALS_DEFAULTS.factors * s.items,
    fitRate: 1.5e-9, // 9.8 s for 5 iterations
    caseRate: 2.8e-9, // 1.8 s for 2,000 cases
  },
  bpr: {
    fixedWork: none,
    stepWork: (s) => s.nonZeros * BPR_DEFAULTS.factors,
    caseWork: (s) => BPR_DEFAULTS.factors * s.items,
    fitRate: 2.4e-8, // 2.2 s for 5 epochs
    caseRate: 2.9e-9,
  },
  ease: {
    fixedWork: (s) => s.items ** 3,
    stepWork: none,
    caseWork: (s) => s.items * (1 + s.meanHistory),
    fitRate: 8.8e-11, // 11.0 s for 5,000 items
    caseRate: 3.8e-9,
  },
  sasrec: {
    fixedWork: none,
    stepWork: sasrecEpoch,
    caseWork: sasrecCase,
    fitRate: 7.0e-10, // 79 s for 2 epochs (one early-stopping check)
    caseRate: 8.4e-11, // 0.9 s for 2,000 cases
  },
};

/**
 * Models that build the shared item-kNN table (1000 neighbours, cosine) on their training data: after
 * the first of them has run, the others find the table made (ml/recommend/item-knn.ts).
 */
export const SHARES_KNN: ReadonlySet<string> = new Set([
  'item-knn',
  'transition',
  'transition-multistep',
  'sasrec-transition',
]);

/** Candidates made of two costed models: a fit of each, a score of each per case. */
const COMPOSITES: Readonly<Record<string, readonly string[]>> = {
  transition: ['item-knn', 'transition-counts'],
  'transition-multistep': ['item-knn', 'transition-counts'],
  'sasrec-transition': ['sasrec', 'item-knn', 'transition-counts'],
  'item-knn-asym': ['item-knn'],
  'item-knn-bm25': ['item-knn'],
  'recent-popularity': ['popularity'],
  'category-popularity': ['popularity'],
};

export interface CandidateEstimate {
  /** One fit with the parameter at `steps`: the part that does not shrink with it, and the part per step. */
  readonly fitFixedSeconds: number;
  readonly fitStepSeconds: number;
  /** Scoring and ranking the validation cases (the test costs the same). */
  readonly casesSeconds: number;
  /** The part of fitFixedSeconds that builds the shared item-kNN table (0 if the model does not). */
  readonly sharedKnnSeconds: number;
}

export function estimateCandidate(model: string, s: DataSize): CandidateEstimate | undefined {
  const parts = COMPOSITES[model] ?? [model];
  const formulas = parts.map((p) => COSTS[p]);
  if (formulas.some((f) => !f)) return undefined;
  let fitFixedSeconds = 0;
  let fitStepSeconds = 0;
  let casesSeconds = 0;
  for (const f of formulas as CostFormula[]) {
    fitFixedSeconds += f.fixedWork(s) * f.fitRate;
    fitStepSeconds += f.stepWork(s) * f.fitRate;
    casesSeconds += s.cases * f.caseWork(s) * f.caseRate;
  }
  const knn = COSTS['item-knn']!;
  const sharedKnnSeconds = SHARES_KNN.has(model) ? knn.fixedWork(s) * knn.fitRate : 0;
  return { fitFixedSeconds, fitStepSeconds, casesSeconds, sharedKnnSeconds };
}

/** The estimate once the shared item-kNN table exists (fits on both comparison parts find it made). */
export function withKnnTable(e: CandidateEstimate): CandidateEstimate {
  return { ...e, fitFixedSeconds: e.fitFixedSeconds - e.sharedKnnSeconds, sharedKnnSeconds: 0 };
}

/** The estimate times `factor` (how much slower than estimated this machine has been so far). */
export function scaled(e: CandidateEstimate, factor: number): CandidateEstimate {
  return {
    fitFixedSeconds: e.fitFixedSeconds * factor,
    fitStepSeconds: e.fitStepSeconds * factor,
    casesSeconds: e.casesSeconds * factor,
    sharedKnnSeconds: e.sharedKnnSeconds * factor,
  };
}

/** Seconds of one fit at `steps` of the shortened parameter (1 step when the model has none). */
export function fitSeconds(e: CandidateEstimate, steps: number): number {
  return e.fitFixedSeconds + e.fitStepSeconds * steps;
}

/**
 * Seconds to compare a candidate under leave-last-out: fit on the training part, score the
 * validation cases, refit on all but the last item, score the test cases.
 */
export function comparisonSeconds(e: CandidateEstimate, steps: number): number {
  return 2 * fitSeconds(e, steps) + 2 * e.casesSeconds;
}
