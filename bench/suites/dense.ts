/**
 * Dense math (issues 4 and 16): float32 matrix products in the shapes the sequential recommender,
 * EASE and the factor models run, through src/ml/dense on each of its engines, measured in the same
 * run: the AssemblyScript SIMD kernels ("wasm"), onnxruntime-node's MLAS on one and on two threads
 * ("ort1", "ort2"; only when it is installed), and plain TypeScript loops. All multiply buffers that
 * live in a DenseWorkspace (how SASRec and EASE work). Then EASE's n x n inverse in both of its forms
 * and one SASRec training epoch on Beauty-shaped sequences with each engine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from '../../eval/datasets.js';
import { Rng } from '../../src/core/random.js';
import { setDenseEngine } from '../../src/ml/dense/engine.js';
import { matmul } from '../../src/ml/dense/matmul.js';
import { onnxGemmAvailable } from '../../src/ml/dense/onnx-gemm.js';
import { gramPlusRidge } from '../../src/ml/linalg/gram.js';
import { spdInverseTilesInPlace, spdInverseTilesFloats } from '../../src/ml/linalg/spd-inverse.js';
import { spdInversePanelsFloats, spdInversePanelsInPlace } from '../../src/ml/linalg/spd-inverse-panels.js';
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
  /** Compare with the TypeScript loops (only where they finish in a few seconds). */
  readonly loops?: boolean;
}

// T = 512 tokens of a training batch, d = 64, 12,101 items (Amazon Beauty); EASE's inverse works
// in 256-wide panels of the 12,101 x 12,101 matrix (spd-inverse-panels.ts).
const SHAPES: readonly Shape[] = [
  { what: 'projection: tokens x d @ d x d', m: 512, k: 64, n: 64, loops: true },
  { what: 'weight gradient: (tokens x d)^T @ tokens x d', m: 64, k: 512, n: 64, transA: true, loops: true },
  {
    what: 'full-softmax logits: tokens x d @ (items x d)^T',
    m: 512,
    k: 64,
    n: 12101,
    transB: true,
    loops: true,
  },
  { what: 'logit gradient to tokens: tokens x items @ items x d', m: 512, k: 12101, n: 64, loops: true },
  {
    what: 'logit gradient to items: (tokens x items)^T @ tokens x d',
    m: 12101,
    k: 512,
    n: 64,
    transA: true,
    loops: true,
  },
  { what: 'item table @ d x d (ALS CG step, all items)', m: 12101, k: 64, n: 64, loops: true },
  { what: 'ALS Gram Y^T Y (items x d)', m: 64, k: 12101, n: 64, transA: true },
  { what: 'square 512', m: 512, k: 512, n: 512, loops: true },
  { what: 'EASE potrf update: panel @ tile^T', m: 12101, k: 256, n: 256, transB: true },
  { what: 'EASE trtri: panel @ tile', m: 12101, k: 256, n: 256 },
  { what: 'EASE lauum: panel^T @ panel', m: 256, k: 12101, n: 256, transA: true },
];

export async function dense(ctx: BenchContext): Promise<void> {
  const before = loadavg()[0]!;
  try {
    await products(ctx);
    await inverse(ctx);
    await denseSasrec(ctx);
    await sasrecAgainstTorch(ctx);
    ctx.note(
      `Load average ${before.toFixed(1)} before the suite, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores: ` +
        'above about 1.5 the GFLOP/s are a fraction of a quiet run and only the ratios within a row mean much.',
    );
  } finally {
    setDenseEngine('auto');
    delete process.env['SHOPSIGHT_DENSE_ENGINE'];
  }
}

const rate = (gflop: number, t: number): string => (gflop / t).toFixed(1);

async function products({ report, note }: BenchContext): Promise<void> {
  const ort = onnxGemmAvailable();
  if (!ort) note('onnxruntime-node is not installed: only the wasm kernels were measured.');
  for (const s of SHAPES) {
    const { m, k, n } = s;
    const gflop = (2 * m * k * n) / 1e9;
    const floats = m * k + k * n + m * n + 64;
    const ws1 = new DenseWorkspace(floats);
    const a = fill(ws1.f32(m * k));
    const b = fill(ws1.f32(k * n));
    const c = ws1.f32(m * n);
    const opts = { transA: s.transA ?? false, transB: s.transB ?? false };
    setDenseEngine('wasm');
    const wasm = seconds(() => ws1.gemm(a, b, c, m, k, n, opts));
    // onnxruntime takes only products above ONNX_MIN_MACS: time it directly on every shape.
    let ort1 = NaN;
    let ort2 = NaN;
    if (ort) {
      const { onnxGemm } = await import('../../src/ml/dense/onnx-gemm.js');
      const { transA, transB } = opts;
      ort1 = seconds(() => onnxGemm(a, b, c, m, k, n, transA, transB, false, 1));
      ort2 = seconds(() => onnxGemm(a, b, c, m, k, n, transA, transB, false, 2));
    }
    setDenseEngine('auto');
    const pa = a.slice();
    const pb = b.slice();
    const pc = new Float32Array(m * n);
    // matmul(): plain arrays copied in and out (how a one-off caller multiplies), default engine.
    const copied = seconds(() => matmul(pa, pb, m, k, n, pc, opts));
    // The loop baseline ignores the transpose flags (same work, friendliest layout for it).
    const base = s.loops ? seconds(() => loops(pa, pb, pc, m, k, n)) : NaN;
    const gram = s.what.startsWith('ALS Gram') ? seconds(() => gramPlusRidge(pb, k, n, 0)) : NaN;
    const best = ort ? Math.min(ort1, ort2) : wasm;
    const baseline = [
      `wasm ${rate(gflop, wasm)} GFLOP/s (${(wasm * 1000).toFixed(2)} ms)`,
      `matmul() ${rate(gflop, copied)}`,
      s.loops ? `TypeScript loops ${rate(gflop, base)}` : '',
      // gramPlusRidge does the upper triangle only: half the multiply-adds, in float64.
      Number.isNaN(gram) ? '' : `float64 gramPlusRidge (what ALS runs) ${(gram * 1000).toFixed(2)} ms`,
    ].filter(Boolean);
    report({
      name: `${s.what}: ${m}x${k} @ ${k}x${n}${s.transA ? ' (A^T)' : ''}${s.transB ? ' (B^T)' : ''}`,
      figure: ort
        ? `ort1 ${rate(gflop, ort1)}, ort2 ${rate(gflop, ort2)} GFLOP/s (${(wasm / best).toFixed(1)}x wasm)`
        : `wasm only: ${rate(gflop, wasm)} GFLOP/s`,
      baseline: baseline.join('; '),
      target: s.loops ? 'wasm >= 10x the loops' : 'measured',
      ok: s.loops ? base / wasm >= 10 : true,
    });
  }
}

/** EASE's matrix shape: X^T X + 50 I for a sparse 0/1 X (as on Beauty, ~9 items a user). */
function gramLike(n: number, into: Float32Array): void {
  const rng = new Rng(3);
  into.fill(0);
  for (let u = 0; u < 2 * n; u++) {
    const row = Array.from({ length: 9 }, () => Math.floor(n * rng.float() ** 2));
    for (const i of row) for (const j of row) into[i * n + j]! += 1;
  }
  for (let i = 0; i < n; i++) into[i * n + i]! += 50;
}

/** EASE's inverse at n = 3,000 (n^3 = 27 GFLOP): the tile form on wasm against the panel form on onnxruntime. */
async function inverse({ report }: BenchContext): Promise<void> {
  const n = 3000;
  const gflop = n ** 3 / 1e9;
  const time = (floats: number, run: (ws: DenseWorkspace, a: Float32Array) => void): number => {
    const ws = new DenseWorkspace(floats, { threads: 2 });
    const a = ws.f32(n * n);
    gramLike(n, a);
    const t0 = performance.now();
    run(ws, a);
    return (performance.now() - t0) / 1000;
  };
  setDenseEngine('wasm');
  const tiles = time(spdInverseTilesFloats(n), (ws, a) => spdInverseTilesInPlace(ws, a, n));
  const panelsWasm = time(spdInversePanelsFloats(n), (ws, a) => spdInversePanelsInPlace(ws, a, n));
  setDenseEngine('auto');
  const ort = onnxGemmAvailable();
  const panels = ort ? time(spdInversePanelsFloats(n), (ws, a) => spdInversePanelsInPlace(ws, a, n)) : NaN;
  report({
    name: `EASE's SPD inverse, n = ${n} (n^3 = ${gflop.toFixed(0)} GFLOP), onnxruntime on 2 threads`,
    figure: ort
      ? `panel form on onnxruntime ${panels.toFixed(2)} s, ${rate(gflop, panels)} GFLOP/s (${(tiles / panels).toFixed(1)}x)`
      : 'onnxruntime not installed',
    baseline: `tile form on wasm ${tiles.toFixed(2)} s, ${rate(gflop, tiles)} GFLOP/s; panel form on wasm ${rate(gflop, panelsWasm)}`,
    target: '>= 2.7x the wasm tile form (107 s -> 40 s for EASE on Beauty)',
    ok: ort && tiles / panels >= 2.7,
  });
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
  // The environment variable reaches the helper thread, which reads it when it loads ml/dense.
  const epochSeconds = async (threads: number, engine: 'auto' | 'wasm') => {
    process.env['SHOPSIGHT_DENSE_ENGINE'] = engine;
    setDenseEngine(engine);
    const t0 = performance.now();
    await trainSasrec(seqs, { ...p, threads });
    return (performance.now() - t0) / 1000;
  };
  const targets = seqs.itemIds.length - seqs.users;
  const two = await epochSeconds(2, 'auto');
  const twoWasm = onnxGemmAvailable() ? await epochSeconds(2, 'wasm') : NaN;
  const one = await epochSeconds(1, 'auto');
  report({
    name: `SASRec, one training epoch, ${targets} next-item targets (Beauty-shaped, defaults)`,
    figure: `${two.toFixed(1)} s on 2 threads (${(one / two).toFixed(2)}x one thread)`,
    baseline: `${one.toFixed(1)} s on 1 thread`,
    target: '>= 1.4x with the second core',
    ok: one / two >= 1.4,
  });
  if (onnxGemmAvailable()) {
    report({
      name: 'SASRec epoch, 2 threads: softmax products on onnxruntime against the wasm kernels',
      figure: `${two.toFixed(1)} s (${(twoWasm / two).toFixed(2)}x)`,
      baseline: `${twoWasm.toFixed(1)} s with SHOPSIGHT_DENSE_ENGINE=wasm`,
      target: 'faster than the wasm kernels',
      ok: two < twoWasm,
    });
  }
}

/** Beauty.txt as training sequences: each user's history without the last (test) item. */
function beautyTraining(path: string): Sequences {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const offsets = new Int32Array(lines.length + 1);
  const ids: number[] = [];
  let items = 0;
  lines.forEach((line, u) => {
    const h = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map((x) => Number(x) - 1);
    for (const i of h.slice(0, -1)) {
      ids.push(i);
      items = Math.max(items, i + 1);
    }
    offsets[u + 1] = ids.length;
  });
  return { users: lines.length, items, offsets, itemIds: Int32Array.from(ids) };
}

/**
 * One SASRec epoch on all of Amazon Beauty against bench/reference/sasrec_torch.py (PyTorch 1.13,
 * Debian's python3-torch, the same model, loss and batch size), one after the other, per target.
 * Skipped without the dataset or without torch in /usr/bin/python3.
 */
async function sasrecAgainstTorch({ report, root }: BenchContext): Promise<void> {
  const path = datasetPath('amazon-beauty', 'Beauty.txt');
  const py = '/usr/bin/python3';
  const script = join(root, 'bench', 'reference', 'sasrec_torch.py');
  let torch = existsSync(path) && existsSync(py);
  try {
    if (torch) execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    torch = false;
  }
  if (!torch) return;
  const seqs = beautyTraining(path);
  process.env['SHOPSIGHT_DENSE_ENGINE'] = 'auto';
  setDenseEngine('auto');
  const t0 = performance.now();
  await trainSasrec(seqs, { ...SASREC_DEFAULTS, epochs: 1, validationUsers: 0, threads: 2 });
  const ours = (performance.now() - t0) / 1000;
  const oursTargets = seqs.itemIds.length - seqs.users;
  const ref = JSON.parse(
    execFileSync(py, [script, path, '2'], { encoding: 'utf8' }).trim().split('\n').pop()!,
  ) as {
    seconds: number;
    targets: number;
    torch: string;
  };
  const ratio = ref.seconds / ref.targets / (ours / oursTargets);
  report({
    name: 'SASRec epoch on Amazon Beauty, 2 threads, against PyTorch (same model, loss and batch size)',
    figure: `${ours.toFixed(1)} s for ${oursTargets} targets (${ratio.toFixed(2)}x faster per target)`,
    baseline: `PyTorch ${ref.torch}: ${ref.seconds.toFixed(1)} s for ${ref.targets} targets (bench/reference/sasrec_torch.py)`,
    target: '>= 1.9x faster per target',
    ok: ratio >= 1.9,
  });
}
