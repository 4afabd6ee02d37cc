import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/random.js';
import { PackedBatch } from './batches.js';
import { lossFloats, SoftmaxLoss } from './loss.js';
import { parameterCount, SasrecNetwork, type SasrecShape } from './network.js';

const SHAPE: SasrecShape = { items: 11, hidden: 8, blocks: 2, heads: 2, maxLength: 6 };

function batchOf(seqs: number[][], withTargets: boolean): PackedBatch {
  const b = new PackedBatch(32);
  for (const s of seqs) b.append(Int32Array.from(s), 0, s.length, withTargets);
  return b;
}

describe('PackedBatch', () => {
  it('packs sequences without padding, positions counted from the end', () => {
    const b = batchOf(
      [
        [3, 1, 4, 1],
        [5, 9],
      ],
      true,
    );
    expect(b.tokens).toBe(4);
    expect(b.sequences).toBe(2);
    expect([...b.items.subarray(0, 4)]).toEqual([3, 1, 4, 5]);
    expect([...b.targets.subarray(0, 4)]).toEqual([1, 4, 1, 9]);
    expect([...b.positions.subarray(0, 4)]).toEqual([2, 1, 0, 0]);
    expect([...b.starts.subarray(0, 3)]).toEqual([0, 3, 4]);
  });
});

describe('SasrecNetwork', () => {
  it('has the parameter count of its layout', () => {
    // items*d + L*d + blocks * (2d + 3d^2 + 3d + d^2 + d + 2d + d^2 + d + d^2 + d) + 2d
    const d = 8;
    expect(parameterCount(SHAPE)).toBe(11 * d + 6 * d + 2 * (6 * d * d + 10 * d) + 2 * d);
  });

  it('is causal: changing a later item leaves earlier outputs unchanged', () => {
    const net = new SasrecNetwork(SHAPE, 32, false);
    net.initialise(new Rng(3));
    const d = SHAPE.hidden;
    net.forward(batchOf([[1, 2, 3, 4, 5]], false), 0, null);
    const before = net.h.slice(0, 5 * d);
    net.forward(batchOf([[1, 2, 3, 4, 9]], false), 0, null);
    expect([...net.h.subarray(0, 4 * d)]).toEqual([...before.subarray(0, 4 * d)]);
    expect(net.h[4 * d]).not.toBe(before[4 * d]);
  });

  it('keeps packed sequences independent of each other', () => {
    const net = new SasrecNetwork(SHAPE, 32, false);
    net.initialise(new Rng(4));
    const d = SHAPE.hidden;
    net.forward(batchOf([[7, 8, 9]], false), 0, null);
    const alone = net.h.slice(0, 3 * d);
    net.forward(
      batchOf(
        [
          [1, 2],
          [7, 8, 9],
        ],
        false,
      ),
      0,
      null,
    );
    const packed = net.h.slice(2 * d, 5 * d);
    for (let i = 0; i < alone.length; i++) expect(packed[i]).toBeCloseTo(alone[i]!, 5);
  });

  // Central differences in float32 on a tiny network: the analytic gradient of every kind of
  // parameter (embeddings, layer norms, attention, feed-forward, biases) must agree.
  // Hidden 8 runs the SIMD row kernels; hidden 6 (not a multiple of 4) the loops they replace.
  for (const [negatives, hidden] of [
    [0, 8],
    [5, 8],
    [5, 6],
  ] as const) {
    it(`backward matches finite differences (${negatives ? 'sampled' : 'full'} softmax, dropout, hidden ${hidden})`, () => {
      const T = 32;
      const shape = { ...SHAPE, hidden };
      const net = new SasrecNetwork(shape, T, true, lossFloats(T, shape.items, shape.hidden, negatives));
      net.initialise(new Rng(7));
      // Larger random weights than the initialisation, so no gradient is vanishingly small.
      const r = new Rng(8);
      for (let i = 0; i < net.params.length; i++) net.params[i]! += (r.float() - 0.5) * 0.1;
      const loss = new SoftmaxLoss(net, negatives);
      const batch = batchOf(
        [
          [1, 2, 3, 4, 5, 6],
          [7, 8, 9],
          [10, 0, 10, 0],
        ],
        true,
      );
      const evaluate = (): number => {
        net.grads.fill(0);
        net.forward(batch, 0.2, new Rng(11));
        return loss.step(batch, new Rng(12));
      };
      evaluate();
      net.backward(batch);
      const analytic = net.grads.slice();
      // Central differences are exact to O(eps^2) only where the loss is smooth: a ReLU kink
      // crossed inside [p - eps, p + eps] spoils a few coordinates, so a handful may miss.
      const eps = 1e-3;
      let checked = 0;
      let misses = 0;
      const pick = new Rng(13);
      for (let n = 0; n < 150; n++) {
        const i = pick.int(net.params.length);
        const keep = net.params[i]!;
        net.params[i] = keep + eps;
        const up = evaluate();
        net.params[i] = keep - eps;
        const down = evaluate();
        net.params[i] = keep;
        const numeric = (up - down) / (2 * eps);
        const a = analytic[i]!;
        if (Math.abs(numeric - a) > 5e-4 + 0.02 * Math.abs(a)) misses++;
        expect(Math.abs(numeric - a)).toBeLessThan(0.02 + 0.2 * Math.abs(a));
        if (Math.abs(a) > 1e-3) checked++;
      }
      expect(misses).toBeLessThanOrEqual(3);
      expect(checked).toBeGreaterThan(60);
    });
  }
});
