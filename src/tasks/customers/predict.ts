/**
 * @module tasks/customers/predict
 * Scores every customer who has bought, as of a day (default: the day after the last order), with
 * trained artifacts: churn and purchase probabilities with their top 3 reasons, churn risk band,
 * P(alive) (null with the reason when the CLV model has none), expected orders, spend and CLV over
 * the next 365 days, spend tier, next order date.
 * The caller (the CLI) loads the artifacts from the registry and stores the rows; this module
 * knows neither.
 *
 * @example
 *   const rows = await predictCustomers(wh, {
 *     churn: { id: 'churn@1', artifact }, propensity: { id: 'propensity@1', artifact: a2 }, clv: { id: 'clv@1', artifact: a3 },
 *   });
 *   rows[0].churn_reasons; // ['no order for 120 days, 3x their usual gap', ...]
 */
import { btydSummary } from '../../features/btyd-summary.js';
import { featureDefsByName } from '../../features/customer-feature-defs.js';
import { customerFeatures, type FeatureMatrix } from '../../features/customer-features.js';
import { checkCutoff, dataRange, defaultCutoff } from '../../features/cutoff.js';
import type { ModelArtifact } from '../../ml/artifact.js';
import type { CustomerPrediction } from '../../schema/predictions.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { classifierContributions, classifierFromArtifact, scoreClassifier } from './classifier.js';
import { clvFromArtifact, nextOrderDaysOf, predictClv, spendTiers } from './clv.js';
import { riskBand, VALUE_HORIZON_DAYS } from './params.js';
import { topReasons } from './reasons.js';

const DAY_MS = 86_400_000;

export interface LoadedModel {
  /** Registry id, e.g. 'churn@3' (recorded on every row). */
  readonly id: string;
  readonly artifact: ModelArtifact;
}

export interface CustomerModels {
  readonly churn: LoadedModel;
  readonly propensity: LoadedModel;
  readonly clv: LoadedModel;
}

function featureNames(a: ModelArtifact): string[] {
  const names = a.meta['features'];
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw new Error(`the ${a.kind} artifact does not list its features`);
  }
  return names;
}

function horizonOf(a: ModelArtifact): number {
  const h = a.meta['horizonDays'];
  if (typeof h !== 'number') throw new Error(`the ${a.kind} artifact does not state its horizon`);
  return h;
}

/** Probabilities and top reasons of one classifier over the matrix. */
function scoreWithReasons(model: LoadedModel, m: FeatureMatrix): { p: Float64Array; reasons: string[][] } {
  const c = classifierFromArtifact(model.artifact);
  const p = scoreClassifier(c, m.values, m.rows);
  const contributions = classifierContributions(c, m.values, m.rows);
  const input = { contributions, values: m.values, cols: m.cols, defs: featureDefsByName(m.names) };
  return { p, reasons: Array.from({ length: m.rows }, (_, r) => topReasons(input, r, 3)) };
}

export async function predictCustomers(
  wh: Warehouse,
  models: CustomerModels,
  options: { readonly asOf?: Date; readonly now?: Date } = {},
): Promise<CustomerPrediction[]> {
  const range = await dataRange(wh);
  const asOf = options.asOf ?? (range ? defaultCutoff(range) : new Date(NaN));
  checkCutoff(range, asOf);
  const churnNames = featureNames(models.churn.artifact);
  const churnHorizon = horizonOf(models.churn.artifact);
  const m = await customerFeatures(wh, { cutoff: asOf, names: churnNames, horizonDays: churnHorizon });
  const propensityNames = featureNames(models.propensity.artifact);
  const same = propensityNames.join() === churnNames.join();
  const mp = same
    ? m
    : await customerFeatures(wh, { cutoff: asOf, names: propensityNames, horizonDays: churnHorizon });
  const churn = scoreWithReasons(models.churn, m);
  const buy = scoreWithReasons(models.propensity, mp);

  const clv = clvFromArtifact(models.clv.artifact);
  const s = await btydSummary(wh, m.customerIds, asOf);
  const value = predictClv(clv, s, VALUE_HORIZON_DAYS);
  const tiers = spendTiers(value.expectedSpend);
  const ids = { churn: models.churn.id, propensity: models.propensity.id, clv: models.clv.id };
  const predictedAt = options.now ?? new Date();
  return m.customerIds.map((customer_id, i): CustomerPrediction => {
    const days = nextOrderDaysOf(clv, s, m, i);
    return {
      customer_id,
      as_of: asOf,
      churn_probability: churn.p[i]!,
      churn_risk: riskBand(churn.p[i]!),
      churn_horizon_days: churnHorizon,
      purchase_probability: buy.p[i]!,
      purchase_horizon_days: horizonOf(models.propensity.artifact),
      p_alive: value.pAlive ? value.pAlive[i]! : null,
      p_alive_unavailable: clv.pAliveUnavailable,
      purchase_model: clv.purchases.model,
      expected_orders_365d: value.expectedOrders[i]!,
      expected_spend_365d: value.expectedSpend[i]!,
      clv_365d: value.clv[i]!,
      spend_tier: tiers[i]!,
      next_order_at: days === null ? null : new Date(asOf.getTime() + Math.round(days) * DAY_MS),
      churn_reasons: churn.reasons[i]!,
      purchase_reasons: buy.reasons[i]!,
      models: ids,
      predicted_at: predictedAt,
    };
  });
}
