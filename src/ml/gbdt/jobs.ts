/**
 * @module ml/gbdt/jobs
 * One job of the worker protocol run on one range of rows, from the job's control words: what a
 * worker runs (worker.ts), and what the training thread runs in a worker's place when it finds the
 * job still unclaimed (pool.ts), so a worker the OS has not scheduled never holds training up.
 */
import { binRows } from './binning.js';
import { histogramLength, packRowWords } from './histogram.js';
import { buildNodeHistogram } from './node-histogram.js';
import { OBJECTIVES } from './objectives.js';
import { addLeafRows, labelSegments, sumLeafRows } from './leaf-rows.js';
import { identityRows, orderGradients, partitionNode, partitionPart, sideTable } from './partition.js';
import {
  CTRL,
  F64,
  HIST_TASK,
  histogramSlot,
  OP,
  PART_TASK,
  THRESHOLD_STRIDE,
  type WorkerInit,
} from './protocol.js';
import { quantizeOrdered } from './quantize.js';

/** Runs the job in `m.ctrl` into `m`'s own histogram; returns the job's result word. */
export function runJob(m: WorkerInit, op: number, side: Uint8Array): number {
  const { ctrl, rows } = m;
  const start = ctrl[CTRL.start]!;
  const end = ctrl[CTRL.end]!;
  switch (op) {
    case OP.histogram: {
      const features = ctrl.subarray(CTRL.features, CTRL.features + ctrl[CTRL.count]!);
      const length = histogramLength(m.cols);
      buildNodeHistogram(histogramSlot(m.hist, length, 0), m, start, end, features, ctrl[CTRL.a]!);
      return 0;
    }
    case OP.histograms: {
      const features = ctrl.subarray(CTRL.features, CTRL.features + ctrl[CTRL.count]!);
      const length = histogramLength(m.cols);
      const t = m.tasks;
      for (let i = 0, n = ctrl[CTRL.a]!; i < n; i++) {
        const at = i * HIST_TASK;
        buildNodeHistogram(histogramSlot(m.hist, length, i), m, t[at]!, t[at + 1]!, features, t[at + 2]!);
      }
      return 0;
    }
    case OP.partitions: {
      const t = m.tasks;
      for (let i = 0, n = ctrl[CTRL.a]!; i < n; i++) {
        const at = i * PART_TASK;
        t[at + 5] = partitionNode(m, t[at]!, t[at + 1]!, t[at + 2]!, t[at + 3]!, t[at + 4] === 1, side);
      }
      return 0;
    }
    case OP.pack:
      packRowWords(m.bins, rows, m.cols, m.words, start, end);
      return 0;
    case OP.partition:
      sideTable(ctrl[CTRL.b]!, ctrl[CTRL.c] === 1, side);
      return partitionPart(m, ctrl[CTRL.a]! * rows, side, start, end, ctrl[CTRL.d] === 1);
    case OP.order:
      orderGradients(m, start, end);
      return 0;
    case OP.gradients: {
      const grid = { gradStep: m.f64[F64.gradStep]!, hessStep: m.f64[F64.hessStep]! };
      const extent = m.f64.subarray(F64.maxGrad, F64.maxHess + 1);
      extent.fill(0);
      OBJECTIVES[m.objective].gradients(m.labels, m.margin, m.gh, grid, start, end, extent);
      if (ctrl[CTRL.a] === 1) identityRows(m.rowIndex, start, end);
      return 0;
    }
    case OP.quantize: {
      const q = { gradUnit: m.f64[F64.gradUnit]!, hessUnit: m.f64[F64.hessUnit]!, key: ctrl[CTRL.a]! };
      quantizeOrdered(m, q, start, end);
      return 0;
    }
    case OP.leafSums: {
      const ids = ctrl[CTRL.a]!;
      const at = 2 * ids * ctrl[CTRL.b]!;
      sumLeafRows(m.leafOf, m.gh, m.leafSums.subarray(at, at + 2 * ids), ids, start, end);
      return 0;
    }
    case OP.labels:
      labelSegments(m.segments, ctrl[CTRL.a]!, m, m.leafOf, side, start, end);
      return 0;
    case OP.leaves:
      addLeafRows(m.leafValues, m.leafOf, m.margin, start, end);
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
