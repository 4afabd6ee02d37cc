/**
 * Dense math (issue 4): float32 matrix products in the shapes the sequential recommender and the
 * factor models run, through src/ml/dense (AssemblyScript SIMD kernels) against plain TypeScript
 * loops measured in the same run. "in place" multiplies buffers that live in a DenseWorkspace (how
 * SASRec trains); "matmul()" copies plain arrays in and out (how a one-off caller uses it).
 * tfjs-backend-wasm and other candidates are not dependencies, so their figures (measured once,
 * same machine) are in docs/ARCHITECTURE.md's choices table rather than here. Last, one SASRec
 * training epoch on Beauty-shaped synthetic sequences, two threads against one.
 */
import { Rng } from '../../src/core/random.js';
import { matmul } from '../../src/ml/dense/matmul.js';
import { SASREC_DEFAULTS } from '../../src/ml/recommend/sasrec/params.js';
import { trainSasrec } from '../../src/ml/recommend/sasrec/train.js';
import type { Sequences } from '../../src/ml/recommend/types.js';
import { DenseWorkspace } from '../../src/ml/dense/workspace.js';
import type { BenchContext } from '../context.js';

/** Best-of-three time of `f`, each timing repeated to at least 0.3 s. */
function seconds(f: () => void): number {
  f();
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    let reps = 0;
    const t0 = performance.now();
    let t: number;
    do {
      f();
      reps++;
      t = performance.now() - t0;
    } while (t < 300);
    best = Math.min(best, t / reps / 1000);
  }
  return best;
}

/** The baseline: the usual i-p-j loop order (contiguous inner loop), what a hand-written kernel gets. */
function loops(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += x * b[bp + j]!;
    }
  }
}

function fill(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 12.9898) * 0.5;
  return x;
}

interface Shape {
  readonly what: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

// T = 512 tokens of a training batch, d = 64, 12,101 items (Amazon Beauty).
const SHAPES: readonly Shape[] = [
  { what: 'projection: tokens x d @ d x d', m: 512, k: 64, n: 64 },
  { what: 'weight gradient: (tokens x d)^T @ tokens x d', m: 64, k: 512, n: 64, transA: true },
  { what: 'full-softmax logits: tokens x d @ (items x d)^T', m: 512, k: 64, n: 12101, transB: true },
  { what: 'logit gradient to tokens: tokens x items @ items x d', m: 512, k: 12101, n: 64 },
  { what: 'logit gradient to items: (tokens x items)^T @ tokens x d', m: 12101, k: 512, n: 64, transA: true },
  { what: 'item table @ d x d (ALS / projection of all items)', m: 12101, k: 64, n: 64 },
  { what: 'square 512', m: 512, k: 512, n: 512 },
];

export async function dense(ctx: BenchContext): Promise<void> {
  await products(ctx);
  await denseSasrec(ctx);
}

async function products({ report }: BenchContext): Promise<void> {
  for (const s of SHAPES) {
    const { m, k, n } = s;
    const gflop = (2 * m * k * n) / 1e9;
    const ws = new DenseWorkspace(m * k + k * n + m * n + 64);
    const a = fill(ws.f32(m * k));
    const b = fill(ws.f32(k * n));
    const c = ws.f32(m * n);
    const opts = { transA: s.transA ?? false, transB: s.transB ?? false };
    const inPlace = seconds(() => ws.gemm(a, b, c, m, k, n, opts));
    const pa = a.slice();
    const pb = b.slice();
    const pc = new Float32Array(m * n);
    const copied = seconds(() => matmul(pa, pb, m, k, n, pc, opts));
    // The loop baseline ignores the transpose flags (same work, friendliest layout for it).
    const base = seconds(() => loops(pa, pb, pc, m, k, n));
    const rate = (t: number) => (gflop / t).toFixed(1);
    report({
      name: `${s.what}: ${m}x${k} @ ${k}x${n}${s.transA ? ' (A^T)' : ''}${s.transB ? ' (B^T)' : ''}`,
      figure: `${rate(inPlace)} GFLOP/s in place, ${rate(copied)} via matmul() (${(inPlace * 1000).toFixed(2)} ms)`,
      baseline: `${rate(base)} GFLOP/s TypeScript loops`,
      target: '>= 10x the loops in place',
      ok: base / inPlace >= 10,
    });
  }
}

/** Beauty's shape: 22,363 users, 12,101 items, lengths >= 5 with mean about 8.9, skewed item use. */
function beautyShaped(seed: number): Sequences {
  const rng = new Rng(seed);
  const users = 22_363;
  const items = 12_101;
  const offsets = new Int32Array(users + 1);
  const ids: number[] = [];
  for (let u = 0; u < users; u++) {
    const length = Math.min(5 + rng.geometric(1 / 4.9), 200);
    for (let i = 0; i < length; i++) ids.push(Math.floor(items * rng.float() ** 2));
    offsets[u + 1] = ids.length;
  }
  return { users, items, offsets, itemIds: Int32Array.from(ids) };
}

async function denseSasrec({ report }: BenchContext): Promise<void> {
  const seqs = beautyShaped(1);
  const p = { ...SASREC_DEFAULTS, epochs: 1, validationUsers: 0 };
  const epochSeconds = async (threads: number) => {
    const t0 = performance.now();
    await trainSasrec(seqs, { ...p, threads });
    return (performance.now() - t0) / 1000;
  };
  const one = await epochSeconds(1);
  const two = await epochSeconds(2);
  report({
    name: `SASRec, one training epoch, ${seqs.itemIds.length - seqs.users} next-item targets (Beauty-shaped, defaults)`,
    figure: `${two.toFixed(1)} s on 2 threads (${(one / two).toFixed(2)}x)`,
    baseline: `${one.toFixed(1)} s on 1 thread`,
    target: '>= 1.4x with the second core',
    ok: one / two >= 1.4,
  });
}
