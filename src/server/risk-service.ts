/**
 * @module server/risk-service
 * Order risk in one server: the promoted risk model (through ctx.models, hot-swapped on promote) and
 * one scoring thread (tasks/risk/score-thread.ts) that runs the model on each new order, so the
 * forest's or the GBDT's work never runs on the server's event loop. The order's features are built
 * by DuckDB on a pooled read connection, as of the order's own time.
 */
import {
  newOrderRiskFeatures,
  UnknownOrderCustomerError,
  type NewOrder,
} from '../features/new-order-risk-features.js';
import { ORDER_RISK_FEATURE_NAMES } from '../features/order-risk-features.js';
import type { ModelArtifact } from '../ml/artifact.js';
import { RISK_TASK, type NewOrderRisk } from '../registry/risk.js';
import { riskFromArtifact } from '../tasks/risk/model.js';
import type { RiskRule } from '../tasks/risk/rules.js';
import { RiskScoringThread } from '../tasks/risk/score-thread.js';
import { outcomeOf } from '../tasks/risk/score.js';
import type { ServerContext } from './context.js';
import { httpError } from './errors.js';
import type { LoadFn } from './model-cache.js';

/** What the server keeps of a risk version: the artifact the thread decodes, and its threshold. */
interface RiskServing {
  readonly artifact: ModelArtifact;
  readonly threshold: number;
  readonly reviewRate: number;
}

/** Decoded once here to check it (and read its threshold); the thread decodes its own copy. */
const loadRisk: LoadFn<RiskServing> = async ({ record, artifact }) => {
  const model = riskFromArtifact(artifact);
  const names = model.featureNames;
  if (
    names.length !== ORDER_RISK_FEATURE_NAMES.length ||
    names.some((n, j) => n !== ORDER_RISK_FEATURE_NAMES[j])
  ) {
    throw httpError(
      409,
      'model_features',
      `${record.modelId} was trained on other order features than this version of Shopsight builds: train risk again`,
    );
  }
  return { artifact, threshold: model.threshold, reviewRate: model.reviewRate };
};

export interface ServedRisk extends NewOrderRisk {
  readonly modelId: string;
  readonly reviewRate: number;
}

export class RiskService {
  private readonly thread = new RiskScoringThread();

  constructor(private readonly ctx: ServerContext) {
    ctx.onClose(() => this.thread.close());
  }

  /** Scores an order as of its time with the promoted model and `rules`; stores nothing. */
  async score(order: NewOrder, rules: readonly RiskRule[]): Promise<ServedRisk> {
    const m = await this.ctx.models.get(RISK_TASK, loadRisk);
    let features: Float32Array;
    try {
      features = await this.ctx.db.read((wh) => newOrderRiskFeatures(wh, order));
    } catch (err) {
      if (err instanceof UnknownOrderCustomerError)
        throw httpError(404, 'unknown_customer', `customer_id: ${err.message}`);
      throw err;
    }
    const s = await this.thread.score(m.modelId, m.value.artifact, features, 1, rules);
    return {
      ...outcomeOf(s, 0, m.value.threshold),
      features,
      modelVersion: m.version,
      modelId: m.modelId,
      threshold: m.value.threshold,
      reviewRate: m.value.reviewRate,
    };
  }
}
