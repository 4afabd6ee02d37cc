/**
 * @module ml/gbdt/histogram-worker
 * The worker side of parallel histogram building (see histogram-pool.ts): a module worker started
 * with spawnWorker, like ALS and SASRec, running the same `buildHistogram` the calling thread runs.
 * The protocol is in histogram-protocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import { buildHistogram } from './histogram.js';
import { CTRL, type HistogramWorkerInit } from './histogram-protocol.js';

if (!parentPort) throw new Error('ml/gbdt/histogram-worker runs only as a worker thread');

parentPort.on('message', (m: HistogramWorkerInit) => {
  const { ctrl, hist, bins, gh, rowIndex, rows } = m;
  let seen = Atomics.load(ctrl, CTRL.seq);
  Atomics.store(ctrl, CTRL.done, seen);
  Atomics.notify(ctrl, CTRL.done);
  for (;;) {
    Atomics.wait(ctrl, CTRL.seq, seen);
    seen = Atomics.load(ctrl, CTRL.seq);
    const count = ctrl[CTRL.count]!;
    if (count < 0) break;
    const features = ctrl.subarray(CTRL.features, CTRL.features + count);
    buildHistogram(hist, bins, rows, gh, rowIndex, ctrl[CTRL.start]!, ctrl[CTRL.end]!, features);
    Atomics.store(ctrl, CTRL.done, seen);
    Atomics.notify(ctrl, CTRL.done);
  }
});
