/**
 * @module ml/gbdt/worker
 * The worker side of parallel training (see pool.ts): a module worker started with spawnWorker,
 * like ALS and SASRec, running on its share of the rows the same kernels the training thread runs.
 * The protocol is in protocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import { binRows } from './binning.js';
import { buildHistogram } from './histogram.js';
import { OBJECTIVES } from './objectives.js';
import { addLeafValues, partitionPart, sideTable } from './partition.js';
import { awaitChange, CTRL, OP, signal, THRESHOLD_STRIDE, type WorkerInit } from './protocol.js';

if (!parentPort) throw new Error('ml/gbdt/worker runs only as a worker thread');

parentPort.on('message', (m: WorkerInit) => {
  const { ctrl } = m;
  const side = new Uint8Array(256);
  let seen = Atomics.load(ctrl, CTRL.seq);
  Atomics.store(ctrl, CTRL.done, seen);
  Atomics.notify(ctrl, CTRL.done);
  for (;;) {
    awaitChange(ctrl, CTRL.seq, seen, CTRL.workerAsleep);
    seen = Atomics.load(ctrl, CTRL.seq);
    const op = ctrl[CTRL.op]!;
    if (op === OP.stop) break;
    try {
      ctrl[CTRL.result] = run(m, op, side);
    } catch (e) {
      m.error.set(
        new TextEncoder().encode(String(e instanceof Error ? e.stack : e)).subarray(0, m.error.length),
      );
      ctrl[CTRL.failed] = 1;
    }
    signal(ctrl, CTRL.done, seen, CTRL.callerAsleep);
  }
});

function run(m: WorkerInit, op: number, side: Uint8Array): number {
  const { ctrl, rows } = m;
  const start = ctrl[CTRL.start]!;
  const end = ctrl[CTRL.end]!;
  switch (op) {
    case OP.histogram: {
      const features = ctrl.subarray(CTRL.features, CTRL.features + ctrl[CTRL.count]!);
      buildHistogram(m.hist, m.bins, rows, m.gh, m.rowIndex, start, end, features);
      return 0;
    }
    case OP.partition:
      sideTable(ctrl[CTRL.b]!, ctrl[CTRL.c] === 1, side);
      return partitionPart(m.rowIndex, m.scratch, m.bins, ctrl[CTRL.a]! * rows, side, start, end);
    case OP.gradients: {
      const grid = { gradStep: m.f64[0]!, hessStep: m.f64[1]! };
      OBJECTIVES[m.objective].gradients(m.labels, m.margin, m.gh, grid, start, end);
      return 0;
    }
    case OP.leaves:
      addLeafValues(m.leaves, ctrl[CTRL.a]!, m.rowIndex, m.margin, start, end);
      return 0;
    case OP.bins: {
      const thr = Array.from({ length: m.cols }, (_, f) =>
        m.thresholds.subarray(f * THRESHOLD_STRIDE, f * THRESHOLD_STRIDE + m.thresholdCounts[f]!),
      );
      const lookup = m.binLookup.length > 0 ? m.binLookup : null;
      binRows(thr, lookup, m.stage, ctrl[CTRL.a]!, m.bins, rows, start, end);
      return 0;
    }
    default:
      throw new Error(`gbdt worker: unknown op ${op}`);
  }
}
