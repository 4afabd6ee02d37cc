/**
 * @module ml/gbdt/histogram-worker
 * The worker side of parallel histogram building (see histogram-pool.ts), as the source text of an
 * eval worker. The worker runs the very same `buildHistogram` function (its compiled text is
 * embedded), so it needs no module file of its own: that keeps it working both from the built
 * dist/ and from TypeScript sources under tsx or vitest, where a worker could not load .ts files
 * without a loader that must first talk to the (then blocked) main thread.
 *
 * Protocol: one init message per training carries the shared arrays; then the worker loops: wait
 * for a job in the shared control words, build its share of the features into its own shared
 * histogram, signal done. A negative feature count ends the loop until the next init.
 */
import { buildHistogram, SLOTS } from './histogram.js';

/** Layout of a worker's control words (Int32Array over a SharedArrayBuffer). */
export const CTRL = { seq: 0, done: 1, start: 2, end: 3, count: 4, features: 5 } as const;

interface Init {
  ctrl: Int32Array;
  hist: Float64Array;
  bins: Uint8Array;
  gh: Float32Array;
  rowIndex: Uint32Array;
  rows: number;
}

type Build = typeof buildHistogram;

/** The worker's loop; runs inside the worker with the functions it is handed. */
function workerLoop(
  port: { on(event: 'message', fn: (m: Init) => void): void },
  build: Build,
  C: typeof CTRL,
): void {
  port.on('message', (m) => {
    const { ctrl, hist, bins, gh, rowIndex, rows } = m;
    let seen = Atomics.load(ctrl, C.seq);
    Atomics.store(ctrl, C.done, seen);
    Atomics.notify(ctrl, C.done);
    for (;;) {
      Atomics.wait(ctrl, C.seq, seen);
      seen = Atomics.load(ctrl, C.seq);
      const count = ctrl[C.count]!;
      if (count < 0) break;
      build(
        hist,
        bins,
        rows,
        gh,
        rowIndex,
        ctrl[C.start]!,
        ctrl[C.end]!,
        ctrl.subarray(C.features, C.features + count),
      );
      Atomics.store(ctrl, C.done, seen);
      Atomics.notify(ctrl, C.done);
    }
  });
}

/** The eval-worker script: constants, buildHistogram's compiled text, then the loop. */
export function histogramWorkerSource(): string {
  return [
    `const { parentPort } = require('node:worker_threads');`,
    `const SLOTS = ${SLOTS};`,
    `const buildHistogram = ${buildHistogram.toString()};`,
    `(${workerLoop.toString()})(parentPort, buildHistogram, ${JSON.stringify(CTRL)});`,
  ].join('\n');
}
