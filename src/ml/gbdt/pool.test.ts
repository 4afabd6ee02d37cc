import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { buildHistogram, histogramLength } from './histogram.js';
import { partitionNode } from './partition.js';
import { GbdtPool } from './pool.js';
import { allocateTraining, type NodeSplit } from './runner.js';

// One tree level handed to a worker in one job: the batched paths give what each node alone gives.
describe('gbdt pool: a level in one hand-over', () => {
  const pool = new GbdtPool(1);
  afterAll(() => pool.close());
  const rows = 60_000;
  const cols = 3;
  const features = Int32Array.of(0, 1, 2);
  const rng = new Rng(11);
  const a = allocateTraining(rows, cols, new Float32Array(rows), 'binary', 4, 2);
  const run = pool.attach(a, 1);
  a.bins.forEach((_, i) => (a.bins[i] = rng.int(6)));
  // Gradients on the 2^-8 grid: exact sums in any order, as objectives.ts guarantees.
  a.ordered.forEach((_, i) => (a.ordered[i] = (i % 2 ? rng.int(64) : rng.int(512) - 256) / 256));
  a.rowIndex.forEach((_, i) => (a.rowIndex[i] = i));
  // Node sizes: one big enough to be cut by rows (partitions), the rest whole nodes of a thread.
  const bounds = [0, 31_000, 36_000, 45_000, 47_000, 60_000];

  it('buildNodes: every node the histogram of its own rows', () => {
    const nodes = bounds.slice(1).map((end, i) => ({
      hist: new Float64Array(histogramLength(cols)),
      start: bounds[i]!,
      end,
    }));
    run.buildNodes(nodes, features);
    for (const n of nodes) {
      const want = new Float64Array(histogramLength(cols));
      buildHistogram(want, a, n.start, n.end, features);
      expect(Array.from(n.hist.subarray(0, cols * 512))).toEqual(Array.from(want.subarray(0, cols * 512)));
    }
  });

  it('partitionNodes: every node partitioned stably, its gradient pairs moved along', () => {
    const splits: NodeSplit[] = bounds.slice(1).map((end, i) => ({
      start: bounds[i]!,
      end,
      feature: i % cols,
      bin: 1 + (i % 4),
      defaultLeft: i % 2 === 0,
    }));
    const want = {
      bins: a.bins,
      rows,
      rowIndex: a.rowIndex.slice(),
      scratch: new Uint32Array(rows),
      ordered: a.ordered.slice(),
      orderedScratch: new Float32Array(2 * rows),
    };
    const side = new Uint8Array(256);
    const wantMids = splits.map(
      (s) => s.start + partitionNode(want, s.start, s.end, s.feature, s.bin, s.defaultLeft, side),
    );
    expect(run.partitionNodes(splits)).toEqual(wantMids);
    // Counted, not compared element by element (a deep equality of 60,000 elements is slow).
    expect(a.rowIndex.filter((r, k) => r !== want.rowIndex[k]).length).toBe(0);
    expect(a.ordered.filter((g, k) => g !== want.ordered[k]).length).toBe(0);
    // A real split of every node, not all rows to one side.
    wantMids.forEach((m, i) => expect(m > bounds[i]! && m < bounds[i + 1]!).toBe(true));
  });
});
