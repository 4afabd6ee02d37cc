/**
 * @module registry/uplift
 * Uplift glue between the marketing task and the registry, shared by `shopsight train uplift` and
 * the tests that need a served uplift model: train (tasks/marketing/train-uplift.ts), then store and
 * promote as task `uplift:<campaign>` with what it was trained on and the candidates' comparison.
 *
 * @example
 *   const { result, record } = await trainUpliftAndRegister(wh, { campaign: 'hillstrom', outcome: 'visit', method: 'auto' });
 */
import type { ModelRecord } from '../schema/models.js';
import {
  trainUplift,
  upliftTask,
  type TrainUpliftOptions,
  type TrainUpliftResult,
} from '../tasks/marketing/train-uplift.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { saveModel } from './registry.js';

export async function trainUpliftAndRegister(
  wh: Warehouse,
  options: TrainUpliftOptions,
): Promise<{ result: TrainUpliftResult; record: ModelRecord }> {
  const result = await trainUplift(wh, options);
  const record = await saveModel(
    wh,
    {
      task: upliftTask(options.campaign),
      artifact: result.artifact,
      trainedOn: {
        campaign: options.campaign,
        contacts: result.contacts,
        withoutOutcome: result.withoutOutcome,
        outcome: options.outcome,
        features: result.features,
        treatments: result.treatments,
        control: result.control,
        schemaVersion: wh.schemaVersion,
      },
      params: { method: result.chosen },
      metrics: {
        protocol:
          'per treatment vs control: 3 stratified 70/30 splits (seeds 0-2), Qini (scikit-uplift) and uplift@30% (by group)',
        comparison: result.comparison,
      },
    },
    { promote: true },
  );
  return { result, record };
}
