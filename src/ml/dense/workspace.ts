/**
 * @module ml/dense/workspace
 * A block of WebAssembly memory that float32 matrices live in, and the SIMD kernels that multiply
 * them in place. A model allocates every buffer it needs once (`f32`), then calls `gemm` on those
 * views: no copy crosses the JS/wasm boundary, which matters because an output such as a
 * 2048 x 12101 logit matrix takes as long to copy as to compute.
 *
 * @example
 *   const ws = new DenseWorkspace(3 * 64 * 64);
 *   const a = ws.f32(64 * 64), b = ws.f32(64 * 64), c = ws.f32(64 * 64);
 *   ws.gemm(a, b, c, 64, 64, 64); // c = a @ b
 *   ws.gemm(a, b, c, 64, 64, 64, { transB: true, accumulate: true }); // c += a @ b^T
 *
 * The memory is sized at construction and never grows: growing would detach every view handed out.
 * Measured on this machine (docs/ARCHITECTURE.md, bench suite 'dense'): 15-27 GFLOP/s single thread
 * for the shapes SASRec and ALS use, against ~0.8 for plain TypeScript loops. Large products of
 * dense operands run on onnxruntime-node instead when it is installed (engine.ts, onnx-gemm.ts),
 * reading and writing the same wasm memory.
 */
import { denseEngine, ONNX_MIN_MACS } from './engine.js';
import { DENSE_KERNELS_WASM } from './kernels-wasm.js';
import { onnxGemm } from './onnx-gemm.js';

/** The slice of the WebAssembly API used here (the project's lib settings carry no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  readonly memory: WasmMemory;
  gemmAB(
    a: number,
    si: number,
    sp: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    k: number,
    n: number,
    accumulate: number,
  ): void;
  gemmABt(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    k: number,
    n: number,
    accumulate: number,
  ): void;
  expArray(x: number, out: number, n: number): void;
  softmaxXentRows(z: number, pos: number, loss: number, rows: number, cols: number, scale: number): void;
  adamStep(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
  ): void;
  dropoutMask(mask: number, n: number, seed: number, keep: number, scale: number): void;
  layerNormRows(
    x: number,
    g: number,
    b: number,
    xhat: number,
    rstd: number,
    out: number,
    rows: number,
    d: number,
    eps: number,
  ): void;
  layerNormBackRows(
    dOut: number,
    xhat: number,
    rstd: number,
    g: number,
    dg: number,
    db: number,
    dx: number,
    rows: number,
    d: number,
    accumulate: number,
  ): void;
  addBiasRows(x: number, bias: number, rows: number, cols: number): void;
  biasResidualRows(
    y: number,
    bias: number,
    x: number,
    mask: number,
    useMask: number,
    rows: number,
    cols: number,
  ): void;
  biasReluRows(f: number, bias: number, out: number, rows: number, cols: number): void;
  columnSums(d: number, dBias: number, rows: number, cols: number): void;
  maskColumnSums(
    dy: number,
    mask: number,
    useMask: number,
    out: number,
    dBias: number,
    rows: number,
    cols: number,
  ): void;
  reluBackColumnSums(x: number, grad: number, dBias: number, rows: number, cols: number): void;
  gatherRows(src: number, ids: number, count: number, d: number, dst: number): void;
  scatterAddRows(src: number, ids: number, count: number, d: number, dst: number): void;
  targetDots(h: number, e: number, targets: number, rows: number, d: number, out: number): void;
  targetGrads(
    h: number,
    e: number,
    ge: number,
    dh: number,
    targets: number,
    p: number,
    rows: number,
    d: number,
    scale: number,
  ): void;
  embedRows(
    item: number,
    pos: number,
    items: number,
    positions: number,
    rows: number,
    d: number,
    scale: number,
    mask: number,
    useMask: number,
    x: number,
  ): void;
  embedRowsBackward(
    dx: number,
    mask: number,
    useMask: number,
    items: number,
    positions: number,
    rows: number,
    d: number,
    scale: number,
    gItem: number,
    gPos: number,
  ): void;
  adamStepMixed(
    p: number,
    g1: number,
    a: number,
    g2: number,
    b: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
  ): void;
}

let compiled: object | undefined;

/** Compiled once per process (about 4 KB); every workspace instantiates it with its own memory. */
function kernelModule(): object {
  compiled ??= new wasm.Module(Uint8Array.from(atob(DENSE_KERNELS_WASM), (c) => c.charCodeAt(0)));
  return compiled;
}

export interface GemmOptions {
  /** Use A^T: `a` holds a k x m matrix. */
  readonly transA?: boolean;
  /** Use B^T: `b` holds an n x k matrix. */
  readonly transB?: boolean;
  /** Add into `out` instead of overwriting it. */
  readonly accumulate?: boolean;
  /** Row strides in floats when a matrix is a column slice of a wider one (default: dense). */
  readonly lda?: number;
  readonly ldb?: number;
  readonly ldc?: number;
}

const PAGE = 65536;
const ALIGN = 16; // one v128

export class DenseWorkspace {
  readonly memory: WasmMemory;
  private readonly k: KernelExports;
  private next = 0;
  private readonly capacity: number;

  /**
   * Threads a large product may use on onnxruntime (engine.ts); the wasm kernels use one. 1 unless
   * the caller is the only work on the machine (EASE's inverse): SASRec and ALS already split their
   * work across threads, and a second pool thread each would oversubscribe the cores.
   */
  readonly threads: number;

  /** Room for `floats` float32 values (plus alignment padding of up to 3 floats per buffer). */
  constructor(floats: number, opts: { readonly threads?: number } = {}) {
    this.threads = opts.threads ?? 1;
    const instance = new wasm.Instance(kernelModule(), {});
    this.k = instance.exports as unknown as KernelExports;
    this.memory = this.k.memory;
    const bytes = floats * 4 + 64 * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.capacity = this.memory.buffer.byteLength;
  }

  /** Bytes still free. */
  get free(): number {
    return this.capacity - this.next;
  }

  /** A zeroed float32 buffer inside the workspace (16-byte aligned). */
  f32(length: number): Float32Array {
    const start = Math.ceil(this.next / ALIGN) * ALIGN;
    const end = start + length * 4;
    if (end > this.capacity) {
      throw new Error(`DenseWorkspace: out of room (${length} floats asked, ${this.free} bytes free)`);
    }
    this.next = end;
    return new Float32Array(this.memory.buffer, start, length);
  }

  /** A zeroed float64 buffer inside the workspace (for per-row sums the kernels return). */
  f64(length: number): Float64Array {
    const start = Math.ceil(this.next / ALIGN) * ALIGN;
    const end = start + length * 8;
    if (end > this.capacity) {
      throw new Error(`DenseWorkspace: out of room (${length} doubles asked, ${this.free} bytes free)`);
    }
    this.next = end;
    return new Float64Array(this.memory.buffer, start, length);
  }

  /** A zeroed int32 buffer inside the workspace (row indices for the gather and scatter kernels). */
  i32(length: number): Int32Array {
    const start = Math.ceil(this.next / ALIGN) * ALIGN;
    const end = start + length * 4;
    if (end > this.capacity) {
      throw new Error(`DenseWorkspace: out of room (${length} ints asked, ${this.free} bytes free)`);
    }
    this.next = end;
    return new Int32Array(this.memory.buffer, start, length);
  }

  /** True when `a` is a view into this workspace's memory (so the kernels can read it in place). */
  owns(a: Float32Array | Int32Array): boolean {
    return a.buffer === this.memory.buffer;
  }

  /**
   * out[m x n] = op(A) @ op(B) (or += with `accumulate`), op(A) m x k, op(B) k x n; every array must
   * come from this workspace's `f32` (subarrays are fine: a matrix may start anywhere in a buffer).
   */
  gemm(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    opts: GemmOptions = {},
  ): void {
    const lda = opts.lda ?? (opts.transA ? m : k);
    const ldb = opts.ldb ?? (opts.transB ? k : n);
    const ldc = opts.ldc ?? n;
    this.gemmAt(
      opts.transA ?? false,
      opts.transB ?? false,
      m,
      k,
      n,
      a,
      0,
      lda,
      b,
      0,
      ldb,
      out,
      0,
      ldc,
      opts.accumulate ?? false,
    );
  }

  /**
   * The BLAS-style form of `gemm` for hot loops (no options object): matrices start at float
   * offsets `aAt`, `bAt`, `cAt` of their arrays, with row strides lda, ldb, ldc.
   */
  gemmAt(
    transA: boolean,
    transB: boolean,
    m: number,
    k: number,
    n: number,
    a: Float32Array,
    aAt: number,
    lda: number,
    b: Float32Array,
    bAt: number,
    ldb: number,
    out: Float32Array,
    cAt: number,
    ldc: number,
    accumulate: boolean,
  ): void {
    if (m === 0 || n === 0) return;
    if (!this.owns(a) || !this.owns(b) || !this.owns(out)) {
      throw new Error('DenseWorkspace.gemm: arrays must be allocated from this workspace');
    }
    const acc = accumulate ? 1 : 0;
    if (k === 0) {
      if (!acc) for (let i = 0; i < m; i++) out.fill(0, cAt + i * ldc, cAt + i * ldc + n);
      return;
    }
    checkSize('a', a, aAt, transA ? k : m, transA ? m : k, lda);
    checkSize('b', b, bAt, transB ? n : k, transB ? k : n, ldb);
    checkSize('out', out, cAt, m, n, ldc);
    if (transA && transB) throw new Error('DenseWorkspace.gemm: transA with transB is not supported');
    // Large products of dense operands go to onnxruntime when it is there (engine.ts).
    if (
      m * k * n >= ONNX_MIN_MACS &&
      lda === (transA ? m : k) &&
      ldb === (transB ? k : n) &&
      ldc === n &&
      denseEngine() === 'onnxruntime'
    ) {
      onnxGemm(
        a.subarray(aAt),
        b.subarray(bAt),
        out.subarray(cAt),
        m,
        k,
        n,
        transA,
        transB,
        accumulate,
        this.threads,
      );
      return;
    }
    const pa = a.byteOffset + aAt * 4;
    const pb = b.byteOffset + bAt * 4;
    const pc = out.byteOffset + cAt * 4;
    if (transB) {
      this.k.gemmABt(pa, lda, pb, ldb, pc, ldc, m, k, n, acc);
    } else if (transA) {
      this.k.gemmAB(pa, 1, lda, pb, ldb, pc, ldc, m, k, n, acc);
    } else {
      this.k.gemmAB(pa, lda, 1, pb, ldb, pc, ldc, m, k, n, acc);
    }
  }

  /**
   * out[i] = exp(x[i]) for the first n floats, by the SIMD polynomial the softmax kernel uses
   * (relative error under 2e-7 for x in [-87, 88]; 0 below -87, so exp(-Infinity) is exactly 0).
   */
  exp(x: Float32Array, out: Float32Array, n: number): void {
    this.check(x, n, 'x');
    this.check(out, n, 'out');
    this.k.expArray(x.byteOffset, out.byteOffset, n);
  }

  /**
   * Softmax cross-entropy over `rows` rows, each made of a target logit `pos[r]` and the `cols`
   * logits of row r of `z` (rows `cols` floats apart; -Infinity masks a column). In place: row r of z
   * becomes scale * p(column), pos[r] becomes p(target), and loss[r] = -log p(target). `loss` holds
   * 2 x rows values (the second half is scratch).
   */
  softmaxCrossEntropyRows(
    z: Float32Array,
    pos: Float32Array,
    loss: Float64Array,
    rows: number,
    cols: number,
    scale: number,
  ): void {
    this.check(z, rows * cols, 'z');
    this.check(pos, rows, 'pos');
    if (loss.buffer !== this.memory.buffer || loss.length < 2 * rows) {
      throw new Error(`DenseWorkspace: loss must be a workspace f64 buffer of 2 x ${rows} values`);
    }
    this.k.softmaxXentRows(z.byteOffset, pos.byteOffset, loss.byteOffset, rows, cols, scale);
    // The kernel leaves (sum of exponentials, max - target logit) per row: the log is taken here.
    for (let r = 0; r < rows; r++) loss[r] = Math.log(loss[2 * r]!) + loss[2 * r + 1]!;
  }

  /**
   * One Adam step, in float32, over params, grads and the moments m and v (all the same length,
   * all from this workspace): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
   * p -= lr m / (sqrt(v) + eps), where lr already includes the bias correction.
   */
  adamStep(
    params: Float32Array,
    grads: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
  ): void {
    const n = params.length;
    this.check(grads, n, 'grads');
    this.check(m, n, 'm');
    this.check(v, n, 'v');
    this.check(params, n, 'params');
    this.k.adamStep(
      params.byteOffset,
      grads.byteOffset,
      m.byteOffset,
      v.byteOffset,
      n,
      lr,
      beta1,
      beta2,
      eps,
    );
  }

  /**
   * adamStep on the gradient a * g1 + b * g2 (float32), e.g. two threads' mean gradients weighted by
   * their shares of the tokens; g1 and g2 the same length as params, from this workspace.
   */
  adamStepMixed(
    params: Float32Array,
    g1: Float32Array,
    a: number,
    g2: Float32Array,
    b: number,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
  ): void {
    const n = params.length;
    this.check(g1, n, 'g1');
    this.check(g2, n, 'g2');
    this.check(m, n, 'm');
    this.check(v, n, 'v');
    this.check(params, n, 'params');
    this.k.adamStepMixed(
      params.byteOffset,
      g1.byteOffset,
      a,
      g2.byteOffset,
      b,
      m.byteOffset,
      v.byteOffset,
      n,
      lr,
      beta1,
      beta2,
      eps,
    );
  }

  /** x[r, :] += bias for `rows` rows of `cols` floats (cols a multiple of 4). */
  addBiasRows(x: Float32Array, bias: Float32Array, rows: number, cols: number): void {
    this.checkRows(x, bias, rows, cols, 'addBiasRows');
    this.k.addBiasRows(x.byteOffset, bias.byteOffset, rows, cols);
  }

  /**
   * y[r, :] = x[r, :] + (y[r, :] + bias) * mask[r, :] (no mask when null), cols a multiple of 4: a
   * linear layer's bias, then a residual with dropout on the branch.
   */
  biasResidual(
    y: Float32Array,
    bias: Float32Array,
    x: Float32Array,
    mask: Float32Array | null,
    rows: number,
    cols: number,
  ): void {
    this.checkRows(y, bias, rows, cols, 'biasResidual');
    this.check(x, rows * cols, 'x');
    if (mask) this.check(mask, rows * cols, 'mask');
    this.k.biasResidualRows(
      y.byteOffset,
      bias.byteOffset,
      x.byteOffset,
      mask ? mask.byteOffset : 0,
      mask ? 1 : 0,
      rows,
      cols,
    );
  }

  /** f[r, :] += bias, then out = max(f, 0) (cols a multiple of 4). */
  biasRelu(f: Float32Array, bias: Float32Array, out: Float32Array, rows: number, cols: number): void {
    this.checkRows(f, bias, rows, cols, 'biasRelu');
    this.check(out, rows * cols, 'out');
    this.k.biasReluRows(f.byteOffset, bias.byteOffset, out.byteOffset, rows, cols);
  }

  /** dBias += the column sums of d, rows x cols (cols a multiple of 4), added row by row. */
  columnSums(d: Float32Array, dBias: Float32Array, rows: number, cols: number): void {
    this.checkRows(d, dBias, rows, cols, 'columnSums');
    this.k.columnSums(d.byteOffset, dBias.byteOffset, rows, cols);
  }

  /**
   * out = dy * mask (a copy of dy when null), then dBias += the column sums of out (cols a multiple
   * of 4): the gradient through a dropout mask into a linear layer's output, and its bias gradient.
   */
  maskColumnSums(
    dy: Float32Array,
    mask: Float32Array | null,
    out: Float32Array,
    dBias: Float32Array,
    rows: number,
    cols: number,
  ): void {
    this.checkRows(dy, dBias, rows, cols, 'maskColumnSums');
    this.check(out, rows * cols, 'out');
    if (mask) this.check(mask, rows * cols, 'mask');
    this.k.maskColumnSums(
      dy.byteOffset,
      mask ? mask.byteOffset : 0,
      mask ? 1 : 0,
      out.byteOffset,
      dBias.byteOffset,
      rows,
      cols,
    );
  }

  /** grad = 0 where x <= 0 (a ReLU's input), then dBias += the column sums of grad (cols a multiple of 4). */
  reluBackColumnSums(
    x: Float32Array,
    grad: Float32Array,
    dBias: Float32Array,
    rows: number,
    cols: number,
  ): void {
    this.checkRows(grad, dBias, rows, cols, 'reluBackColumnSums');
    this.check(x, rows * cols, 'x');
    this.k.reluBackColumnSums(x.byteOffset, grad.byteOffset, dBias.byteOffset, rows, cols);
  }

  /**
   * dst[j, :] = src[ids[j], :] for j < count: rows of d floats (d a multiple of 4); ids from `i32`.
   * Indices are not checked against src's rows: the caller draws them below its row count.
   */
  gatherRows(src: Float32Array, ids: Int32Array, count: number, d: number, dst: Float32Array): void {
    this.checkIds(ids, count, d, 'gatherRows');
    this.check(dst, count * d, 'dst');
    this.check(src, d, 'src');
    this.k.gatherRows(src.byteOffset, ids.byteOffset, count, d, dst.byteOffset);
  }

  /** dst[ids[j], :] += src[j, :] for j < count, in order of j (d a multiple of 4). */
  scatterAddRows(src: Float32Array, ids: Int32Array, count: number, d: number, dst: Float32Array): void {
    this.checkIds(ids, count, d, 'scatterAddRows');
    this.check(src, count * d, 'src');
    this.check(dst, d, 'dst');
    this.k.scatterAddRows(src.byteOffset, ids.byteOffset, count, d, dst.byteOffset);
  }

  /** out[t] = h[t, :] . e[targets[t], :], or 0 where targets[t] < 0, for t < rows (d a multiple of 4). */
  targetDots(
    h: Float32Array,
    e: Float32Array,
    targets: Int32Array,
    rows: number,
    d: number,
    out: Float32Array,
  ): void {
    this.checkIds(targets, rows, d, 'targetDots');
    this.check(h, rows * d, 'h');
    this.check(e, d, 'e');
    this.check(out, rows, 'out');
    this.k.targetDots(h.byteOffset, e.byteOffset, targets.byteOffset, rows, d, out.byteOffset);
  }

  /**
   * For t < rows with y = targets[t] >= 0 and g = (p[t] - 1) * scale: dh[t, :] = g e[y, :] and
   * ge[y, :] += g h[t, :] (in order of t); dh[t, :] = 0 where y < 0. The target's share of a
   * softmax cross-entropy's gradient when p[t] is its probability.
   */
  targetGrads(
    h: Float32Array,
    e: Float32Array,
    ge: Float32Array,
    dh: Float32Array,
    targets: Int32Array,
    p: Float32Array,
    rows: number,
    d: number,
    scale: number,
  ): void {
    this.checkIds(targets, rows, d, 'targetGrads');
    this.check(h, rows * d, 'h');
    this.check(dh, rows * d, 'dh');
    this.check(e, d, 'e');
    this.check(ge, e.length, 'ge');
    this.check(p, rows, 'p');
    this.k.targetGrads(
      h.byteOffset,
      e.byteOffset,
      ge.byteOffset,
      dh.byteOffset,
      targets.byteOffset,
      p.byteOffset,
      rows,
      d,
      scale,
    );
  }

  /**
   * x[t, :] = (item[items[t], :] * scale + pos[positions[t], :]) * mask[t, :] (no mask when null),
   * for t < rows (d a multiple of 4): an embedding look-up with dropout.
   */
  embedRows(
    item: Float32Array,
    pos: Float32Array,
    items: Int32Array,
    positions: Int32Array,
    rows: number,
    d: number,
    scale: number,
    mask: Float32Array | null,
    x: Float32Array,
  ): void {
    this.checkIds(items, rows, d, 'embedRows');
    this.checkIds(positions, rows, d, 'embedRows');
    this.check(x, rows * d, 'x');
    if (mask) this.check(mask, rows * d, 'mask');
    this.k.embedRows(
      item.byteOffset,
      pos.byteOffset,
      items.byteOffset,
      positions.byteOffset,
      rows,
      d,
      scale,
      mask ? mask.byteOffset : 0,
      mask ? 1 : 0,
      x.byteOffset,
    );
  }

  /** embedRows' gradient: v = dx[t, :] * mask[t, :]; gItem[items[t], :] += v * scale, gPos[positions[t], :] += v. */
  embedRowsBackward(
    dx: Float32Array,
    mask: Float32Array | null,
    items: Int32Array,
    positions: Int32Array,
    rows: number,
    d: number,
    scale: number,
    gItem: Float32Array,
    gPos: Float32Array,
  ): void {
    this.checkIds(items, rows, d, 'embedRowsBackward');
    this.checkIds(positions, rows, d, 'embedRowsBackward');
    this.check(dx, rows * d, 'dx');
    if (mask) this.check(mask, rows * d, 'mask');
    this.check(gItem, d, 'gItem');
    this.check(gPos, d, 'gPos');
    this.k.embedRowsBackward(
      dx.byteOffset,
      mask ? mask.byteOffset : 0,
      mask ? 1 : 0,
      items.byteOffset,
      positions.byteOffset,
      rows,
      d,
      scale,
      gItem.byteOffset,
      gPos.byteOffset,
    );
  }

  /**
   * Fills the first n floats of `mask` with 1 / keep (probability keep) or 0, from a xorshift32
   * stream started at `seed` (a 32-bit integer the caller draws from its seeded generator).
   */
  dropoutMask(mask: Float32Array, n: number, seed: number, keep: number): void {
    this.check(mask, n, 'mask');
    this.k.dropoutMask(mask.byteOffset, n, seed >>> 0, keep, 1 / keep);
  }

  /**
   * Layer norm of `rows` rows of d floats (d a multiple of 4) in float32: xhat = (x - mean) /
   * sqrt(var + eps), out = xhat * g + b; keeps xhat and rstd (1 / sqrt(var + eps), one per row).
   */
  layerNorm(
    x: Float32Array,
    g: Float32Array,
    b: Float32Array,
    xhat: Float32Array,
    rstd: Float32Array,
    out: Float32Array,
    rows: number,
    d: number,
    eps: number,
  ): void {
    if (d % 4 !== 0) throw new Error(`DenseWorkspace.layerNorm: width ${d} is not a multiple of 4`);
    const n = rows * d;
    this.check(x, n, 'x');
    this.check(xhat, n, 'xhat');
    this.check(out, n, 'out');
    this.check(rstd, rows, 'rstd');
    this.check(g, d, 'g');
    this.check(b, d, 'b');
    const k = this.k;
    k.layerNormRows(
      x.byteOffset,
      g.byteOffset,
      b.byteOffset,
      xhat.byteOffset,
      rstd.byteOffset,
      out.byteOffset,
      rows,
      d,
      eps,
    );
  }

  /**
   * Layer norm backward (d a multiple of 4): adds dg += sum dOut * xhat and db += sum dOut, and
   * writes (or with `accumulate` adds) dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)),
   * dxhat = dOut * g.
   */
  layerNormBackward(
    dOut: Float32Array,
    xhat: Float32Array,
    rstd: Float32Array,
    g: Float32Array,
    dg: Float32Array,
    db: Float32Array,
    dx: Float32Array,
    rows: number,
    d: number,
    accumulate: boolean,
  ): void {
    if (d % 4 !== 0) throw new Error(`DenseWorkspace.layerNormBackward: width ${d} is not a multiple of 4`);
    const n = rows * d;
    this.check(dOut, n, 'dOut');
    this.check(xhat, n, 'xhat');
    this.check(dx, n, 'dx');
    this.check(rstd, rows, 'rstd');
    this.check(g, d, 'g');
    this.check(dg, d, 'dg');
    this.check(db, d, 'db');
    this.k.layerNormBackRows(
      dOut.byteOffset,
      xhat.byteOffset,
      rstd.byteOffset,
      g.byteOffset,
      dg.byteOffset,
      db.byteOffset,
      dx.byteOffset,
      rows,
      d,
      accumulate ? 1 : 0,
    );
  }

  /** Checks a rows x cols matrix and its per-column vector for the row kernels (cols a multiple of 4). */
  private checkRows(x: Float32Array, v: Float32Array, rows: number, cols: number, name: string): void {
    if (cols % 4 !== 0) throw new Error(`DenseWorkspace.${name}: width ${cols} is not a multiple of 4`);
    this.check(x, rows * cols, 'matrix');
    this.check(v, cols, 'vector');
  }

  private checkIds(ids: Int32Array, count: number, d: number, name: string): void {
    if (d % 4 !== 0) throw new Error(`DenseWorkspace.${name}: width ${d} is not a multiple of 4`);
    if (!this.owns(ids))
      throw new Error(`DenseWorkspace.${name}: indices are not allocated from this workspace`);
    if (ids.length < count) throw new Error(`DenseWorkspace.${name}: ${ids.length} indices, ${count} needed`);
  }

  private check(a: Float32Array, n: number, name: string): void {
    if (!this.owns(a)) throw new Error(`DenseWorkspace: ${name} is not allocated from this workspace`);
    if (a.length < n) throw new Error(`DenseWorkspace: ${name} has ${a.length} floats, ${n} needed`);
  }
}

function checkSize(name: string, x: Float32Array, at: number, rows: number, cols: number, ld: number): void {
  if (ld < cols) throw new Error(`DenseWorkspace.gemm: ${name} row stride ${ld} < ${cols} columns`);
  const need = at + (rows - 1) * ld + cols;
  if (at < 0 || x.length < need) {
    throw new Error(
      `DenseWorkspace.gemm: ${name} has ${x.length} floats, a ${rows} x ${cols} matrix needs ${need}`,
    );
  }
}
