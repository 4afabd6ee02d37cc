/**
 * @module ml/gbdt/jobs
 * One job of the worker protocol run on one range of rows, from the job's control words: what a
 * worker runs (worker.ts), and what the training thread runs in a worker's place when it finds the
 * job still unclaimed (pool.ts), so a worker the OS has not scheduled never holds training up.
 */
import { binRows } from './binning.js';
import { buildHistogram, histogramLength, packRowWords } from './histogram.js';
import { OBJECTIVES } from './objectives.js';
import { addLeafValues, orderGradients, partitionNode } from './partition.js';
import {
  CTRL,
  histogramSlot,
  LEVEL_TASK,
  OP,
  THRESHOLD_STRIDE,
  type SharedTraining,
  type WorkerInit,
} from './protocol.js';

/** Runs the job in `m.ctrl` into `m`'s own histogram; returns the job's result word. */
export function runJob(m: WorkerInit, op: number, side: Uint8Array): number {
  const { ctrl, rows } = m;
  const start = ctrl[CTRL.start]!;
  const end = ctrl[CTRL.end]!;
  switch (op) {
    case OP.histogram: {
      const features = ctrl.subarray(CTRL.features, CTRL.features + ctrl[CTRL.count]!);
      const length = histogramLength(m.cols);
      buildHistogram(histogramSlot(m.hist, length, 0), m, start, end, features, ctrl[CTRL.a]!);
      return 0;
    }
    case OP.level: {
      const features = ctrl.subarray(CTRL.features, CTRL.features + ctrl[CTRL.count]!);
      const length = histogramLength(m.cols);
      const parts = ctrl[CTRL.b]!;
      levelPart(m, m.tasks, ctrl[CTRL.a]!, features, ctrl[CTRL.d] === 1, parts, side, (i) =>
        histogramSlot(m.hist, length, i),
      );
      return 0;
    }
    case OP.pack:
      packRowWords(m.bins, rows, m.cols, m.words, start, end);
      return 0;
    case OP.order:
      orderGradients(m, start, end);
      return 0;
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

/**
 * OP.level on one part of the positions: for each of `count` nodes in `tasks` (LEVEL_TASK words,
 * protocol.ts), the stable partition of its range (the left count written back into the task),
 * then the histogram of the child the task names into `hist(i)`. The calling thread runs its own
 * part through this too, into the nodes' histograms. The child's rows in this part were just
 * moved by the partition, so the histogram reads them while they are still in cache.
 */
export function levelPart(
  a: SharedTraining,
  tasks: Int32Array,
  count: number,
  features: Int32Array,
  withGradients: boolean,
  parts: number,
  side: Uint8Array,
  hist: (i: number) => Float64Array,
): void {
  for (let i = 0; i < count; i++) {
    const at = i * LEVEL_TASK;
    const start = tasks[at]!;
    const end = tasks[at + 1]!;
    const left = partitionNode(
      a,
      start,
      end,
      tasks[at + 2]!,
      tasks[at + 3]!,
      tasks[at + 4] === 1,
      side,
      withGradients,
    );
    tasks[at + 6] = left;
    const build = tasks[at + 5]!;
    if (build === 0) continue;
    const from = build === 1 ? start : start + left;
    const to = build === 1 ? start + left : end;
    buildHistogram(hist(i), a, from, to, features, (to - from) * parts);
  }
}
