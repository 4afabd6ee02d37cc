import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { gramPlusRidge } from '../linalg/gram.js';
import { alsFromArtifact, alsScorer, alsToArtifact, foldIn, trainAls } from './als.js';
import { blockScratch, sweepBlock } from './als-sweep.js';
import { balancedBounds } from './als-threads.js';
import { sequencesFromLists, trainingData } from './training-data.js';
import type { TrainingData } from './types.js';

const data = (lists: number[][], items: number): TrainingData =>
  trainingData(sequencesFromLists(lists, items));

/** A deterministic pseudo-random interaction set: user u saw item i when (u*7 + i*3) % 5 < 2. */
function grid(users: number, items: number): TrainingData {
  const lists: number[][] = [];
  for (let u = 0; u < users; u++) {
    const l: number[] = [];
    for (let i = 0; i < items; i++) if ((u * 7 + i * 3 + ((u * i) % 3)) % 5 < 2) l.push(i);
    lists.push(l);
  }
  return data(lists, items);
}

/** Gaussian elimination with partial pivoting: an independent exact solver for the reference. */
function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

describe('implicit ALS', () => {
  it('CG with enough steps matches an exact dense solve of the normal equations', () => {
    const d = grid(6, 5);
    const k = 3;
    const reg = 0.1;
    const alpha = 2;
    const y = Float32Array.from({ length: 5 * k }, (_, i) => Math.sin(i + 1) * 0.5);
    const x = new Float32Array(6 * k).fill(0.01);
    const gram = gramPlusRidge(y, 5, k, reg);
    sweepBlock({ matrix: d.matrix, x, y, gram, k, alpha, cgSteps: 20 }, 0, 6, blockScratch(k, 8));
    for (let u = 0; u < 6; u++) {
      // Y^T C_u Y + reg I and Y^T C_u p_u, over every item (c = 1, p = 0 where unobserved).
      const a = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      const b = new Array<number>(k).fill(0);
      for (let i = 0; i < 5; i++) {
        let r = 0;
        for (let j = d.matrix.indptr[u]!; j < d.matrix.indptr[u + 1]!; j++)
          if (d.matrix.indices[j] === i) r = d.matrix.values[j]!;
        const c = 1 + alpha * r;
        for (let p = 0; p < k; p++) {
          if (r > 0) b[p]! += c * y[i * k + p]!;
          for (let q = 0; q < k; q++) a[p]![q]! += c * y[i * k + p]! * y[i * k + q]!;
        }
      }
      for (let p = 0; p < k; p++) a[p]![p]! += reg;
      const want = gaussSolve(a, b);
      for (let p = 0; p < k; p++) expect(x[u * k + p]).toBeCloseTo(want[p]!, 4);
    }
  });

  it('lowers the loss at every iteration', async () => {
    const losses: number[] = [];
    await trainAls(grid(40, 30), { factors: 8, iterations: 8, reg: 0.05, alpha: 5 }, (_, l) =>
      losses.push(l),
    );
    expect(losses).toHaveLength(8);
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThan(losses[i - 1]!);
  });

  it("fold-in of a training user's history reproduces the trained factor", async () => {
    const d = grid(30, 20);
    const k = 6;
    const m = await trainAls(d, { factors: k, iterations: 5, cgSteps: 30, reg: 0.05, alpha: 4 });
    const gram = gramPlusRidge(m.itemFactors, m.items, k, 0.05);
    const scratch = { a: new Float64Array(k * k), weight: new Float32Array(m.items) };
    const out = new Float64Array(k);
    for (const u of [0, 7, 19]) {
      const hist = d.sequences.itemIds.subarray(d.sequences.offsets[u], d.sequences.offsets[u + 1]);
      foldIn(hist, m.itemFactors, gram, k, 4, out, scratch);
      for (let p = 0; p < k; p++) expect(out[p]).toBeCloseTo(m.userFactors[u * k + p]!, 4);
    }
    // The scorer folds in a visitor (-1) with the same history to the same scores.
    const s = alsScorer(m);
    const known = new Float32Array(m.items);
    const visitor = new Float32Array(m.items);
    const hist = d.sequences.itemIds.subarray(d.sequences.offsets[7], d.sequences.offsets[8]);
    s.score(7, hist, known);
    s.score(-1, hist, visitor);
    for (let i = 0; i < m.items; i++) expect(visitor[i]).toBeCloseTo(known[i]!, 4);
  });

  it('ranks a user’s observed block above the other block', async () => {
    // Two disjoint communities: users 0-9 use items 0-4, users 10-19 use items 5-9.
    const lists = Array.from({ length: 20 }, (_, u) =>
      (u < 10 ? [0, 1, 2, 3, 4] : [5, 6, 7, 8, 9]).filter((i) => (i + u) % 5 !== 0),
    );
    const m = await trainAls(data(lists, 10), { factors: 4, iterations: 10, reg: 0.1, alpha: 10 });
    const out = new Float32Array(10);
    alsScorer(m).score(0, Int32Array.from(lists[0]!), out);
    expect(out[0]!).toBeGreaterThan(Math.max(...out.slice(5)));
  });

  it('is seeded, saves and loads to identical scores, and gives the same factors on worker threads', async () => {
    const d = grid(50, 25);
    const a = await trainAls(d, { factors: 5, iterations: 3 });
    const b = await trainAls(d, { factors: 5, iterations: 3 });
    expect(b.userFactors).toEqual(a.userFactors);
    const threaded = await trainAls(d, { factors: 5, iterations: 3, threads: 2 });
    expect(threaded.userFactors).toEqual(a.userFactors);
    expect(threaded.itemFactors).toEqual(a.itemFactors);
    const loaded = alsFromArtifact(decodeArtifact(encodeArtifact(alsToArtifact(a)), 'als'));
    const hist = d.sequences.itemIds.subarray(d.sequences.offsets[3], d.sequences.offsets[4]);
    const s1 = new Float32Array(25);
    const s2 = new Float32Array(25);
    alsScorer(a).score(3, hist, s1);
    alsScorer(loaded).score(3, hist, s2);
    expect(s2).toEqual(s1);
  });

  it('balances thread ranges by work, not by row count', () => {
    // Row nnz 10, 0, 0, 0, 10, 0 with k = 1: work 21, 1, 1, 1, 21, 1 (total 46):
    // rows 0-2 and rows 3-5 carry 23 each.
    const indptr = Int32Array.from([0, 10, 10, 10, 10, 20, 20]);
    expect(Array.from(balancedBounds(indptr, 1, 2))).toEqual([0, 3, 6]);
  });
});
