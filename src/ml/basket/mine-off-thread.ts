/**
 * @module ml/basket/mine-off-thread
 * FP-growth and association rules on a worker thread, for callers that must keep their thread
 * responsive (a server mining "bought together" lists while it answers requests: on Online Retail
 * the mining is seconds of CPU). Same result as `associationRules(fpGrowth(b, o), r)`.
 *
 * @example
 *   const rules = await mineRulesOffThread(baskets, { minSupport: 0.003, maxLength: 3 }, { minLift: 1 });
 */
import { spawnWorker } from '../../core/spawn-worker.js';
import type { Baskets } from './baskets.js';
import type { FpGrowthOptions } from './fpgrowth.js';
import type { AssociationRules, RuleOptions } from './rules.js';

export interface MineJob {
  readonly baskets: Baskets;
  readonly itemsets: FpGrowthOptions;
  readonly rules: RuleOptions;
}

export function mineRulesOffThread(
  baskets: Baskets,
  itemsets: FpGrowthOptions,
  rules: RuleOptions = {},
): Promise<AssociationRules> {
  const job: MineJob = { baskets, itemsets, rules };
  const worker = spawnWorker(import.meta.url, 'mine-worker', job);
  return new Promise<AssociationRules>((resolve, reject) => {
    let answered = false;
    worker.once('message', (r: AssociationRules) => {
      answered = true;
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`rule mining worker ended with code ${code} before answering`));
    });
  });
}
