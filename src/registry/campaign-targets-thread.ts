/**
 * @module registry/campaign-targets-thread
 * `campaignTargets` on a worker thread over a connection the calling thread lends it
 * (warehouse/remote), as training runs (./training-thread.ts): the server's event loop keeps
 * answering while every contact of a campaign is scored and its reasons computed. The lent
 * connection is closed when the worker ends, however it ends.
 *
 * @example
 *   const t = await targetsInWorker(await ctx.db.connect(), 'hillstrom', { budget: 0.3 });
 */
import { MessageChannel } from 'node:worker_threads';
import { spawnWorker } from '../core/spawn-worker.js';
import type { TargetOptions } from '../tasks/marketing/target.js';
import { serveWarehouse } from '../warehouse/remote/serve-warehouse.js';
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
  const { port1, port2 } = new MessageChannel();
  const served = serveWarehouse(port1, lent);
  const data: TargetsWorkerData & { port: typeof port2 } = { campaign, options, port: port2 };
  const worker = spawnWorker(import.meta.url, 'campaign-targets-worker', data, [port2]);
  let outcome: { ok: true; value: CampaignTargets } | { ok: false; error: Error } | undefined;
  return new Promise<CampaignTargets>((resolve, reject) => {
    const settle = (): void => {
      // Answer once the lent connection is closed.
      void served.done.then(() => (outcome!.ok ? resolve(outcome!.value) : reject(outcome!.error)));
    };
    worker.on('message', (m: TargetsThreadMessage) => {
      if (outcome) return;
      outcome =
        m.type === 'done'
          ? { ok: true, value: m.result }
          : { ok: false, error: new TargetsError(m.error.message, m.error.name) };
      void worker.terminate();
      settle();
    });
    worker.on('error', (err) => {
      outcome ??= { ok: false, error: err };
      settle();
    });
    worker.on('exit', (code) => {
      outcome ??= { ok: false, error: new Error(`the target list thread stopped (exit code ${code})`) };
      settle();
    });
  });
}
