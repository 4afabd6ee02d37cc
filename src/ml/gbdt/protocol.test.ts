import { describe, expect, it } from 'vitest';
import { buildHistogram, histogramLength } from './histogram.js';
import { runJob } from './jobs.js';
import {
  claimJob,
  CTRL,
  histogramSlot,
  JOB_POSTED,
  MAX_TASKS,
  OP,
  PART_TASK,
  takeJob,
  type WorkerInit,
} from './protocol.js';
import { allocateTraining } from './runner.js';

const post = (ctrl: Int32Array, seq: number): void => {
  Atomics.store(ctrl, CTRL.state, seq * 4 + JOB_POSTED);
  Atomics.store(ctrl, CTRL.seq, seq);
};

const packJob = (start: number, end: number): Int32Array => {
  const ctrl = new Int32Array(CTRL.features + 1);
  ctrl[CTRL.start] = start;
  ctrl[CTRL.end] = end;
  return ctrl;
};

describe('job hand-over', () => {
  it('a posted job goes to whoever comes first: the worker or the training thread, never both', () => {
    const ctrl = new Int32Array(new SharedArrayBuffer((CTRL.features + 1) * 4));
    post(ctrl, 1);
    expect(takeJob(ctrl, 1)).toBe(true);
    expect(claimJob(ctrl, 1)).toBe(false); // the worker skips it
    post(ctrl, 2);
    expect(claimJob(ctrl, 2)).toBe(true);
    expect(takeJob(ctrl, 2)).toBe(false); // the training thread waits for done instead
    post(ctrl, 3);
    expect(claimJob(ctrl, 2)).toBe(false); // a worker that woke for an old job cannot claim the new one
    expect(claimJob(ctrl, 3)).toBe(true);
  });

  it('the training thread runs a taken-back job as the worker would, from its control words', () => {
    const rows = 40;
    const a = allocateTraining(rows, 2, new Float32Array(rows), 'binary', 4, 2);
    a.bins.forEach((_, i) => (a.bins[i] = (i * 7) % 5));
    runJob(
      {
        ...a,
        ctrl: packJob(0, rows),
        f64: new Float64Array(2),
        hist: new Float64Array(0),
        tasks: new Int32Array(0),
        error: new Uint8Array(16),
      },
      OP.pack,
      new Uint8Array(256),
    );
    expect(a.words[3]).toBe(a.bins[3]! | (a.bins[rows + 3]! << 8)); // row 3's two features in one word
    a.gh.forEach((_, i) => (a.gh[i] = i % 2 ? 0.25 : (i % 9) - 4));
    a.rowIndex.forEach((_, i) => (a.rowIndex[i] = rows - 1 - i));
    const m: WorkerInit = {
      ...a,
      ctrl: new Int32Array(new SharedArrayBuffer((CTRL.features + 2) * 4)),
      f64: new Float64Array(2),
      hist: new Float64Array(MAX_TASKS * histogramLength(2)),
      tasks: new Int32Array(MAX_TASKS * PART_TASK),
      error: new Uint8Array(16),
    };
    m.ctrl[CTRL.count] = 2;
    m.ctrl.set([0, 1], CTRL.features);
    m.ctrl[CTRL.start] = 0;
    m.ctrl[CTRL.end] = rows;
    runJob(m, OP.order, new Uint8Array(256));
    expect(a.ordered[2 * 5]).toBe(a.gh[2 * (rows - 6)]); // position 5 holds row rows - 6
    m.ctrl[CTRL.start] = 10;
    m.ctrl[CTRL.end] = 30;
    m.ctrl[CTRL.a] = 20;
    runJob(m, OP.histogram, new Uint8Array(256));
    const want = new Float64Array(histogramLength(2));
    buildHistogram(want, a, 10, 30, Int32Array.of(0, 1));
    expect(Array.from(m.hist.subarray(0, 2 * 512))).toEqual(Array.from(want.subarray(0, 2 * 512)));
    // Partition rows 10..30 by feature 1, bins 1..2 left, missing right: the result is the left count.
    m.ctrl[CTRL.a] = 1;
    m.ctrl[CTRL.b] = 2;
    m.ctrl[CTRL.c] = 0;
    const lefts = Array.from({ length: 20 }, (_, k) => a.bins[rows + a.rowIndex[10 + k]!]!).filter(
      (b) => b >= 1 && b <= 2,
    );
    expect(runJob(m, OP.partition, new Uint8Array(256))).toBe(lefts.length);
  });

  it('a batched job builds each listed range into its own slot and partitions each listed node whole', () => {
    const rows = 40;
    const a = allocateTraining(rows, 2, new Float32Array(rows), 'binary', 4, 2);
    a.bins.forEach((_, i) => (a.bins[i] = (i * 7) % 5));
    a.ordered.forEach((_, i) => (a.ordered[i] = i % 2 ? 0.25 : (i % 9) - 4));
    a.rowIndex.forEach((_, i) => (a.rowIndex[i] = i));
    const length = histogramLength(2);
    const m: WorkerInit = {
      ...a,
      ctrl: new Int32Array(new SharedArrayBuffer((CTRL.features + 2) * 4)),
      f64: new Float64Array(2),
      hist: new Float64Array(MAX_TASKS * length),
      tasks: new Int32Array(MAX_TASKS * PART_TASK),
      error: new Uint8Array(16),
    };
    m.ctrl[CTRL.count] = 2;
    m.ctrl.set([0, 1], CTRL.features);
    m.ctrl[CTRL.a] = 2;
    m.tasks.set([0, 15, 15, 15, 40, 25]);
    runJob(m, OP.histograms, new Uint8Array(256));
    for (const [slot, start, end] of [
      [0, 0, 15],
      [1, 15, 40],
    ] as const) {
      const want = new Float64Array(length);
      buildHistogram(want, a, start, end, Int32Array.of(0, 1));
      expect(Array.from(histogramSlot(m.hist, length, slot).subarray(0, 1024))).toEqual(
        Array.from(want.subarray(0, 1024)),
      );
    }
    // Node 0..15 by feature 0 (bins 1..1 left, missing left), node 15..40 by feature 1 (bins 1..2).
    m.tasks.set([0, 15, 0, 1, 1, -1, 15, 40, 1, 2, 0, -1]);
    m.ctrl[CTRL.d] = 1;
    runJob(m, OP.partitions, new Uint8Array(256));
    const left0 = Array.from({ length: 15 }, (_, r) => a.bins[r]!).filter((b) => b <= 1).length;
    const left1 = Array.from({ length: 25 }, (_, k) => a.bins[rows + 15 + k]!).filter(
      (b) => b >= 1 && b <= 2,
    ).length;
    expect([m.tasks[5], m.tasks[11]]).toEqual([left0, left1]);
    // Stable: node 0's left rows first in ascending order, then its right rows.
    const rows0 = Array.from(a.rowIndex.subarray(0, 15));
    const want0 = [...Array.from({ length: 15 }, (_, r) => r).filter((r) => a.bins[r]! <= 1)];
    want0.push(...Array.from({ length: 15 }, (_, r) => r).filter((r) => a.bins[r]! > 1));
    expect(rows0).toEqual(want0);
    // The gradient pairs moved with their rows.
    expect(a.ordered[2 * 0]).toBe(((2 * want0[0]!) % 9) - 4);
  });
});
