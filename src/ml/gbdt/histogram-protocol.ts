/**
 * @module ml/gbdt/histogram-protocol
 * What histogram-pool.ts and histogram-worker.ts share: the layout of a worker's control words and
 * the init message. One init per training carries the shared arrays; then the worker loops: wait for
 * a job in the control words, build its share of the features into its own shared histogram, signal
 * done. A negative feature count ends the loop until the next init.
 */

/** Layout of a worker's control words (Int32Array over a SharedArrayBuffer). */
export const CTRL = { seq: 0, done: 1, start: 2, end: 3, count: 4, features: 5 } as const;

/** The init message: the control words, the worker's own histogram and the training's arrays. */
export interface HistogramWorkerInit {
  readonly ctrl: Int32Array;
  readonly hist: Float64Array;
  readonly bins: Uint8Array;
  readonly gh: Float32Array;
  readonly rowIndex: Uint32Array;
  readonly rows: number;
}
