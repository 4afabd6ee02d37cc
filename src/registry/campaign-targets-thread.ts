/**
 * @module registry/campaign-targets-thread
 * `campaignTargets` on a worker thread over a connection the calling thread lends it
 * (warehouse/remote/worker-on-loan.ts), as training runs (./training-thread.ts): the server's event loop keeps
 * answering while every contact of a campaign is scored and its reasons computed. The lent
 * connection is closed when the worker ends, however it ends.
 *
 * @example
 *   const t = await targetsInWorker(await ctx.db.connect(), 'hillstrom', { budget: 0.3 });
 */
import type { TargetOptions } from '../tasks/marketing/target.js';
import { workerOnLoan } from '../warehouse/remote/worker-on-loan.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { CampaignTargets } from './campaign-targets.js';

export interface TargetsWorkerData {
  readonly campaign: string;
  readonly options: TargetOptions;
}

export type TargetsThreadMessage =
  | { readonly type: 'done'; readonly result: CampaignTargets }
  | { readonly type: 'error'; readonly error: { readonly name: string; readonly message: string } };

/** The worker's error, re-raised here with its name (CampaignError: bad input, a 400 for the API). */
export class TargetsError extends Error {
  constructor(
    message: string,
    readonly errorName: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

/** @param lent a dedicated connection (`Warehouse.connect()`); the worker closes it when it ends */
export function targetsInWorker(
  lent: Warehouse,
  campaign: string,
  options: TargetOptions,
): Promise<CampaignTargets> {
  const data: TargetsWorkerData = { campaign, options };
  return workerOnLoan<CampaignTargets, TargetsThreadMessage>(
    import.meta.url,
    'campaign-targets-worker',
    lent,
    data,
    (m) =>
      m.type === 'done'
        ? { ok: true, value: m.result }
        : { ok: false, error: new TargetsError(m.error.message, m.error.name) },
    'the target list thread',
  ).result;
}
