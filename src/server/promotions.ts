/**
 * @module server/promotions
 * Changing which version serves a task, inside the server: the registry change runs on the write
 * connection, then the model cache loads the new version in full and swaps it in. Changes to one
 * task run one after another: two promotions racing could otherwise finish their cache refreshes in
 * the wrong order and leave the cache serving the version promoted first.
 */
import type { Warehouse } from '../warehouse/warehouse.js';
import type { TrainingJobHost } from './training-jobs.js';

export class Promotions {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly host: Pick<TrainingJobHost, 'db' | 'models'>) {}

  /**
   * Runs `change` on the write connection (nothing when undefined: the registry was changed
   * elsewhere, e.g. by a training job), then refreshes `task`'s cached model; one at a time per task.
   */
  change<T>(task: string, change?: (wh: Warehouse) => Promise<T>): Promise<T | undefined> {
    const run = (this.tails.get(task) ?? Promise.resolve()).then(async () => {
      const result = change ? await this.host.db.write(change, 'serving') : undefined;
      await this.host.models.refresh(task);
      return result;
    });
    const tail = run.catch(() => undefined);
    this.tails.set(task, tail);
    void tail.then(() => {
      if (this.tails.get(task) === tail) this.tails.delete(task);
    });
    return run;
  }
}

const byHost = new WeakMap<object, Promotions>();

/** The one Promotions of a server (every route file that changes what serves shares its locks). */
export function promotionsOf(host: Pick<TrainingJobHost, 'db' | 'models'>): Promotions {
  let p = byHost.get(host);
  if (!p) byHost.set(host, (p = new Promotions(host)));
  return p;
}
