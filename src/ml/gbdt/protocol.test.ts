import { describe, expect, it } from 'vitest';
import { buildHistogram, histogramLength } from './histogram.js';
import { runJob } from './jobs.js';
import { claimJob, CTRL, JOB_POSTED, OP, takeJob, type WorkerInit } from './protocol.js';
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
    const a = allocateTraining(rows, 2, new Float32Array(rows), 'binary', 4, true);
    a.bins.forEach((_, i) => (a.bins[i] = (i * 7) % 5));
    runJob(
      {
        ...a,
        ctrl: packJob(0, rows),
        f64: new Float64Array(2),
        hist: new Float64Array(0),
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
      hist: new Float64Array(histogramLength(2)),
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
});
