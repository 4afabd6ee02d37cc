/**
 * @module assistant/copy/figures-thread
 * A segment's figures (copy.ts `segmentFigures`) computed on a worker thread over a connection the
 * calling thread lends it (warehouse/remote), for a caller whose own thread must keep answering:
 * the server. An uplift segment scores every contact of the campaign (JSON features parsed,
 * encoded, every treatment's model run, the contacts ranked) and an RFM segment reads every
 * customer of the store; on the server's event loop either would hold every other request.
 * The worker runs the very `segmentFigures` the CLI runs in-process, so both give the same figures.
 *
 * @example
 *   const f = await segmentFiguresInWorker(await ctx.db.connect(), 'uplift:hillstrom', { budget: 0.3 });
 */
import { workerOnLoan } from '../../warehouse/remote/worker-on-loan.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { CopyError, type CopyOptions, type SegmentFigures } from './copy.js';

export interface FiguresWorkerData {
  readonly segment: string;
  readonly options: CopyOptions;
}

export type FiguresThreadMessage =
  | { readonly ok: true; readonly figures: SegmentFigures }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

/**
 * @param lent a dedicated connection (`Warehouse.connect()`), the worker's until it ends, then closed
 *   (however it ends); the worker only reads
 */
export function segmentFiguresInWorker(
  lent: Warehouse,
  segment: string,
  options: CopyOptions = {},
): Promise<SegmentFigures> {
  const data: FiguresWorkerData = { segment, options };
  return workerOnLoan<SegmentFigures, FiguresThreadMessage>(
    import.meta.url,
    'figures-worker',
    lent,
    data,
    (m) =>
      m.ok
        ? { ok: true, value: m.figures }
        : {
            ok: false,
            // A refusal the caller answers by name (an unknown segment, no model: HTTP 422) stays a CopyError.
            error:
              m.error.name === 'CopyError'
                ? new CopyError(m.error.message)
                : Object.assign(new Error(m.error.message), { name: m.error.name }),
          },
    'the segment figures thread',
  ).result;
}
