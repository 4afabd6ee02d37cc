/**
 * @module registry/score-customers
 * Score every customer with the promoted churn, propensity and CLV models and store the rows in
 * `customer_predictions` (what profiles and the dashboard read): the glue `shopsight predict
 * customers` and `shopsight start` share.
 */
import type { CustomerPrediction } from '../schema/predictions.js';
import { predictCustomers, type LoadedModel } from '../tasks/customers/predict.js';
import { replaceCustomerPredictions } from '../warehouse/predictions-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadModel } from './registry.js';
import type { OnTrainingStep } from './training.js';

async function load(wh: Warehouse, task: string): Promise<LoadedModel> {
  const { record, artifact } = await loadModel(wh, task);
  return { id: record.modelId, artifact };
}

/** Loads the promoted models, scores every customer, replaces the stored predictions; the rows. */
export async function scoreAndStoreCustomers(
  wh: Warehouse,
  onStep: OnTrainingStep = () => {},
): Promise<CustomerPrediction[]> {
  const models = {
    churn: await load(wh, 'churn'),
    propensity: await load(wh, 'propensity'),
    clv: await load(wh, 'clv'),
  };
  onStep('scoring', 0, 2);
  const scored = await predictCustomers(wh, models);
  onStep('storing', 1, 2);
  await replaceCustomerPredictions(wh, scored);
  return scored;
}
