/**
 * @module ml/pricing/category-prior-off-thread
 * categoryPrior on a worker thread, for the server: a category of thousands of products is a
 * regression per product (about a tenth of a second to seconds of CPU), which must not stall the
 * requests the main thread answers. Same result as `categoryPrior(panel, options)`.
 *
 * @example
 *   const prior = await categoryPriorOffThread(panel);
 */
import { spawnWorker } from '../../core/spawn-worker.js';
import type { ElasticityOptions } from './elasticity.js';
import type { CategoryPrior, PricePanel } from './category-prior.js';

export interface CategoryPriorJob {
  readonly panel: PricePanel;
  readonly options: ElasticityOptions;
}

export function categoryPriorOffThread(
  panel: PricePanel,
  options: ElasticityOptions = {},
): Promise<CategoryPrior> {
  const job: CategoryPriorJob = { panel, options };
  const worker = spawnWorker(import.meta.url, 'category-prior-worker', job);
  return new Promise<CategoryPrior>((resolve, reject) => {
    let answered = false;
    worker.once('message', (r: CategoryPrior) => {
      answered = true;
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`category elasticity worker ended with code ${code} before answering`));
    });
  });
}
