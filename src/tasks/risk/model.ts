/**
 * @module tasks/risk/model
 * The stored risk model: an isolation forest (no labels) or a GBDT (labelled fraud), the feature
 * names it was trained on, and the score threshold that holds the chosen review rate with the
 * precision and recall expected there (the threshold cut on the validation part, the figures
 * measured on the held-out test part that never chose it; null without labels).
 */
import { packArtifacts, unpackArtifacts, type ModelArtifact } from '../../ml/artifact.js';
import { gbdtFromArtifact, gbdtToArtifact, type GbdtModel } from '../../ml/gbdt/index.js';
import { anomalyViewFromArtifact, anomalyViewToArtifact, type AnomalyView } from './anomaly-view.js';
import { tailFromArtifact, tailToArtifact, type TailModel } from './tail.js';
import {
  isolationForestFromArtifact,
  isolationForestToArtifact,
  type IsolationForest,
} from '../../ml/iforest/index.js';

export interface ReviewExpectation {
  /** Held-out precision at the threshold; null when it held no held-out order. */
  readonly precision: number | null;
  /** Held-out recall at the threshold; null when the held-out part holds no fraud. */
  readonly recall: number | null;
  /** Share of the held-out orders the threshold held (absent in models trained before it was recorded). */
  readonly heldShare?: number;
}

interface RiskModelCommon {
  readonly featureNames: readonly string[];
  /** Share of orders to hold for review, e.g. 0.02. */
  readonly reviewRate: number;
  /** Model score at or above which an order falls in that share. */
  readonly threshold: number;
  readonly expected: ReviewExpectation | null;
}

export type RiskModel =
  | (RiskModelCommon & {
      readonly kind: 'iforest';
      readonly forest: IsolationForest;
      readonly view: AnomalyView;
      readonly tail: TailModel;
    })
  | (RiskModelCommon & { readonly kind: 'gbdt'; readonly gbdt: GbdtModel });

const VERSION = 1;

export function riskToArtifact(m: RiskModel): ModelArtifact {
  const meta = {
    model: m.kind,
    featureNames: m.featureNames,
    reviewRate: m.reviewRate,
    threshold: m.threshold,
    expected: m.expected,
  };
  return packArtifacts(
    'risk',
    VERSION,
    meta,
    m.kind === 'iforest'
      ? {
          model: isolationForestToArtifact(m.forest),
          view: anomalyViewToArtifact(m.view),
          tail: tailToArtifact(m.tail),
        }
      : { model: gbdtToArtifact(m.gbdt) },
  );
}

export function riskFromArtifact(a: ModelArtifact): RiskModel {
  if (a.kind !== 'risk' || a.version !== VERSION) {
    throw new Error(`expected a risk artifact version ${VERSION}, got '${a.kind}' version ${a.version}`);
  }
  const parts = unpackArtifacts(a);
  const part = parts['model'];
  if (!part) throw new Error('risk artifact holds no model');
  const common: RiskModelCommon = {
    featureNames: a.meta['featureNames'] as string[],
    reviewRate: a.meta['reviewRate'] as number,
    threshold: a.meta['threshold'] as number,
    expected: (a.meta['expected'] as ReviewExpectation | null) ?? null,
  };
  return a.meta['model'] === 'iforest'
    ? {
        ...common,
        kind: 'iforest',
        forest: isolationForestFromArtifact(part),
        view: anomalyViewFromArtifact(parts['view'] ?? part),
        tail: tailFromArtifact(parts['tail'] ?? part),
      }
    : { ...common, kind: 'gbdt', gbdt: gbdtFromArtifact(part) };
}
