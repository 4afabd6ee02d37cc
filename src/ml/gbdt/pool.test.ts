import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { addHistogram, buildHistogram, histogramLength } from './histogram.js';
import { partitionNode } from './partition.js';
import { GbdtPool } from './pool.js';
import { allocateTraining, type NodeSplit } from './runner.js';

// Two threads, each with its own part of the positions: a level in one hand-over gives what each
// node's parts alone give.
describe('gbdt pool: data-parallel by rows', () => {
  const pool = new GbdtPool(1);
  afterAll(() => pool.close());
  const rows = 60_000;
  const cols = 3;
  const features = Int32Array.of(0, 1, 2);
  const rng = new Rng(11);
  const a = allocateTraining(rows, cols, new Float32Array(rows), 'binary', 4, true);
  const run = pool.attach(a, 1);
  a.bins.forEach((_, i) => (a.bins[i] = rng.int(6)));
  // Gradients on the 2^-8 grid: exact sums in any order, as objectives.ts guarantees.
  a.ordered.forEach((_, i) => (a.ordered[i] = (i % 2 ? rng.int(64) : rng.int(512) - 256) / 256));
  a.rowIndex.forEach((_, i) => (a.rowIndex[i] = i));
  const length = histogramLength(cols);
  /** The histogram of the given [start, end) ranges, each built alone on this thread and added. */
  const histOf = (ranges: number[]): Float64Array => {
    const sum = new Float64Array(length);
    for (let i = 0; i < ranges.length; i += 2) {
      const part = new Float64Array(length);
      buildHistogram(part, a, ranges[i]!, ranges[i + 1]!, features);
      addHistogram(sum, part, features);
    }
    return sum;
  };
  const head = (h: Float64Array): number[] => Array.from(h.subarray(0, cols * 512));

  it('build: the root histogram over both parts is the one-thread histogram of all rows', () => {
    expect(run.parts).toBe(2);
    const hist = new Float64Array(length);
    run.build(hist, Int32Array.of(0, 30_000, 30_000, rows), features);
    const want = new Float64Array(length);
    buildHistogram(want, a, 0, rows, features);
    expect(head(hist)).toEqual(head(want));
  });

  it('splitNodes: each part of each node partitioned stably, the named child histogrammed over both parts', () => {
    // Part 0 holds positions 0..30,000, part 1 the rest; node 1 has no rows in part 1.
    const ranges = [
      [0, 10_000, 30_000, 41_000],
      [10_000, 12_000, 41_000, 41_000],
      [12_000, 30_000, 41_000, rows],
    ];
    const splits: NodeSplit[] = ranges.map((r, i) => ({
      ranges: Int32Array.from(r),
      feature: i % cols,
      bin: 1 + (i % 4),
      defaultLeft: i % 2 === 0,
      hist: new Float64Array(length),
      buildLeft: i !== 1,
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
    const wantMids = splits.flatMap((s) =>
      [0, 1].map((t) => {
        const [start, end] = [s.ranges[2 * t]!, s.ranges[2 * t + 1]!];
        return start + partitionNode(want, start, end, s.feature, s.bin, s.defaultLeft, side, true);
      }),
    );
    expect(Array.from(run.splitNodes(splits, features, true))).toEqual(wantMids);
    // Counted, not compared element by element (a deep equality of 60,000 elements is slow).
    expect(a.rowIndex.filter((r, k) => r !== want.rowIndex[k]).length).toBe(0);
    expect(a.ordered.filter((g, k) => g !== want.ordered[k]).length).toBe(0);
    splits.forEach((s, i) => {
      const [m0, m1] = [wantMids[2 * i]!, wantMids[2 * i + 1]!];
      const child = s.buildLeft ? [s.ranges[0]!, m0, s.ranges[2]!, m1] : [m0, s.ranges[1]!, m1, s.ranges[3]!];
      expect(head(s.hist!)).toEqual(head(histOf(child)));
      // A real split in part 0, not all rows to one side.
      expect(m0 > s.ranges[0]! && m0 < s.ranges[1]!).toBe(true);
    });
  });
});
