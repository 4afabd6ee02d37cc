/**
 * Float32 matrix kernels for src/ml/dense, compiled by AssemblyScript to WebAssembly with 128-bit
 * SIMD (`npm run build:wasm` writes src/ml/dense/kernels-wasm.ts). Pointers are byte offsets in the
 * module's linear memory; the JS side owns the layout. All matrices are row-major.
 *
 * Two shapes of kernel cover the four transpose cases without transposing anything:
 * - `gemmAB` streams rows of B (k x n, contiguous) and takes A through strides, so it serves both
 *   A @ B (A is m x k) and A^T @ B (A is k x m): register block of 4 rows x 16 columns.
 * - `gemmABt` computes dot products of rows of A and rows of B (both with k contiguous), for A @ B^T:
 *   block of 4 x 4 outputs, each a vector accumulator reduced at the end.
 */

// C[m x n] (+)= A' @ B, where A'(i, p) is at a + 4 * (i * si + p * sp), row p of B starts
// ldb floats after row p - 1 and row i of C ldc floats after row i - 1.
export function gemmAB(
  a: usize,
  si: i32,
  sp: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  n: i32,
  accumulate: i32,
): void {
  const n16 = n & ~15;
  const m4 = m & ~3;
  const rowB = (<usize>ldb) << 2;
  const rowC = (<usize>ldc) << 2;
  const stepI = (<usize>si) << 2;
  const stepP = (<usize>sp) << 2;
  for (let i = 0; i < m4; i += 4) {
    const a0 = a + <usize>i * stepI;
    const a1 = a0 + stepI;
    const a2 = a1 + stepI;
    const a3 = a2 + stepI;
    const c0 = c + <usize>i * rowC;
    const c1 = c0 + rowC;
    const c2 = c1 + rowC;
    const c3 = c2 + rowC;
    for (let j = 0; j < n16; j += 16) {
      const jb = (<usize>j) << 2;
      let s00 = f32x4.splat(0);
      let s01 = f32x4.splat(0);
      let s02 = f32x4.splat(0);
      let s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0);
      let s11 = f32x4.splat(0);
      let s12 = f32x4.splat(0);
      let s13 = f32x4.splat(0);
      let s20 = f32x4.splat(0);
      let s21 = f32x4.splat(0);
      let s22 = f32x4.splat(0);
      let s23 = f32x4.splat(0);
      let s30 = f32x4.splat(0);
      let s31 = f32x4.splat(0);
      let s32 = f32x4.splat(0);
      let s33 = f32x4.splat(0);
      let bp = b + jb;
      let po: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const b2 = v128.load(bp, 32);
        const b3 = v128.load(bp, 48);
        let x = f32x4.splat(load<f32>(a0 + po));
        s00 = f32x4.add(s00, f32x4.mul(x, b0));
        s01 = f32x4.add(s01, f32x4.mul(x, b1));
        s02 = f32x4.add(s02, f32x4.mul(x, b2));
        s03 = f32x4.add(s03, f32x4.mul(x, b3));
        x = f32x4.splat(load<f32>(a1 + po));
        s10 = f32x4.add(s10, f32x4.mul(x, b0));
        s11 = f32x4.add(s11, f32x4.mul(x, b1));
        s12 = f32x4.add(s12, f32x4.mul(x, b2));
        s13 = f32x4.add(s13, f32x4.mul(x, b3));
        x = f32x4.splat(load<f32>(a2 + po));
        s20 = f32x4.add(s20, f32x4.mul(x, b0));
        s21 = f32x4.add(s21, f32x4.mul(x, b1));
        s22 = f32x4.add(s22, f32x4.mul(x, b2));
        s23 = f32x4.add(s23, f32x4.mul(x, b3));
        x = f32x4.splat(load<f32>(a3 + po));
        s30 = f32x4.add(s30, f32x4.mul(x, b0));
        s31 = f32x4.add(s31, f32x4.mul(x, b1));
        s32 = f32x4.add(s32, f32x4.mul(x, b2));
        s33 = f32x4.add(s33, f32x4.mul(x, b3));
        bp += rowB;
        po += stepP;
      }
      if (accumulate) {
        s00 = f32x4.add(s00, v128.load(c0 + jb));
        s01 = f32x4.add(s01, v128.load(c0 + jb, 16));
        s02 = f32x4.add(s02, v128.load(c0 + jb, 32));
        s03 = f32x4.add(s03, v128.load(c0 + jb, 48));
        s10 = f32x4.add(s10, v128.load(c1 + jb));
        s11 = f32x4.add(s11, v128.load(c1 + jb, 16));
        s12 = f32x4.add(s12, v128.load(c1 + jb, 32));
        s13 = f32x4.add(s13, v128.load(c1 + jb, 48));
        s20 = f32x4.add(s20, v128.load(c2 + jb));
        s21 = f32x4.add(s21, v128.load(c2 + jb, 16));
        s22 = f32x4.add(s22, v128.load(c2 + jb, 32));
        s23 = f32x4.add(s23, v128.load(c2 + jb, 48));
        s30 = f32x4.add(s30, v128.load(c3 + jb));
        s31 = f32x4.add(s31, v128.load(c3 + jb, 16));
        s32 = f32x4.add(s32, v128.load(c3 + jb, 32));
        s33 = f32x4.add(s33, v128.load(c3 + jb, 48));
      }
      v128.store(c0 + jb, s00);
      v128.store(c0 + jb, s01, 16);
      v128.store(c0 + jb, s02, 32);
      v128.store(c0 + jb, s03, 48);
      v128.store(c1 + jb, s10);
      v128.store(c1 + jb, s11, 16);
      v128.store(c1 + jb, s12, 32);
      v128.store(c1 + jb, s13, 48);
      v128.store(c2 + jb, s20);
      v128.store(c2 + jb, s21, 16);
      v128.store(c2 + jb, s22, 32);
      v128.store(c2 + jb, s23, 48);
      v128.store(c3 + jb, s30);
      v128.store(c3 + jb, s31, 16);
      v128.store(c3 + jb, s32, 32);
      v128.store(c3 + jb, s33, 48);
    }
  }
  // Edges, scalar: the columns past n16 for the blocked rows, every column for the last m % 4 rows.
  for (let i = 0; i < m; i++) {
    const j0 = i < m4 ? n16 : 0;
    if (j0 >= n) continue;
    const ai = a + <usize>i * stepI;
    const ci = c + <usize>i * rowC;
    for (let j = j0; j < n; j++) {
      let s: f32 = 0;
      let bp = b + ((<usize>j) << 2);
      let po: usize = 0;
      for (let p = 0; p < k; p++) {
        s += load<f32>(ai + po) * load<f32>(bp);
        bp += rowB;
        po += stepP;
      }
      const cp = ci + ((<usize>j) << 2);
      store<f32>(cp, accumulate ? load<f32>(cp) + s : s);
    }
  }
}

function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)
  );
}

function dot(x: usize, y: usize, k: i32): f32 {
  const k4 = k & ~3;
  let v = f32x4.splat(0);
  for (let p = 0; p < k4; p += 4) {
    const o = (<usize>p) << 2;
    v = f32x4.add(v, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s = hsum(v);
  for (let p = k4; p < k; p++) s += load<f32>(x + ((<usize>p) << 2)) * load<f32>(y + ((<usize>p) << 2));
  return s;
}

// Stores one output of gemmABt after adding the k % 4 tail of its dot product.
function put(cp: usize, s: f32, x: usize, y: usize, k4: i32, k: i32, accumulate: i32): void {
  for (let p = k4; p < k; p++) s += load<f32>(x + ((<usize>p) << 2)) * load<f32>(y + ((<usize>p) << 2));
  store<f32>(cp, accumulate ? load<f32>(cp) + s : s);
}

// C[m x n] (+)= A @ B^T with A m x k and B n x k, each row's k values contiguous; rows of A, B and C
// are lda, ldb and ldc floats apart.
export function gemmABt(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  n: i32,
  accumulate: i32,
): void {
  const m4 = m & ~3;
  const n4 = n & ~3;
  const k4 = k & ~3;
  const rowA = (<usize>lda) << 2;
  const rowB = (<usize>ldb) << 2;
  const rowC = (<usize>ldc) << 2;
  for (let i = 0; i < m4; i += 4) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    const a2 = a1 + rowA;
    const a3 = a2 + rowA;
    const c0 = c + <usize>i * rowC;
    for (let j = 0; j < n4; j += 4) {
      const b0 = b + <usize>j * rowB;
      const b1 = b0 + rowB;
      const b2 = b1 + rowB;
      const b3 = b2 + rowB;
      let s00 = f32x4.splat(0);
      let s01 = f32x4.splat(0);
      let s02 = f32x4.splat(0);
      let s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0);
      let s11 = f32x4.splat(0);
      let s12 = f32x4.splat(0);
      let s13 = f32x4.splat(0);
      let s20 = f32x4.splat(0);
      let s21 = f32x4.splat(0);
      let s22 = f32x4.splat(0);
      let s23 = f32x4.splat(0);
      let s30 = f32x4.splat(0);
      let s31 = f32x4.splat(0);
      let s32 = f32x4.splat(0);
      let s33 = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) {
        const o = (<usize>p) << 2;
        const y0 = v128.load(b0 + o);
        const y1 = v128.load(b1 + o);
        const y2 = v128.load(b2 + o);
        const y3 = v128.load(b3 + o);
        let x = v128.load(a0 + o);
        s00 = f32x4.add(s00, f32x4.mul(x, y0));
        s01 = f32x4.add(s01, f32x4.mul(x, y1));
        s02 = f32x4.add(s02, f32x4.mul(x, y2));
        s03 = f32x4.add(s03, f32x4.mul(x, y3));
        x = v128.load(a1 + o);
        s10 = f32x4.add(s10, f32x4.mul(x, y0));
        s11 = f32x4.add(s11, f32x4.mul(x, y1));
        s12 = f32x4.add(s12, f32x4.mul(x, y2));
        s13 = f32x4.add(s13, f32x4.mul(x, y3));
        x = v128.load(a2 + o);
        s20 = f32x4.add(s20, f32x4.mul(x, y0));
        s21 = f32x4.add(s21, f32x4.mul(x, y1));
        s22 = f32x4.add(s22, f32x4.mul(x, y2));
        s23 = f32x4.add(s23, f32x4.mul(x, y3));
        x = v128.load(a3 + o);
        s30 = f32x4.add(s30, f32x4.mul(x, y0));
        s31 = f32x4.add(s31, f32x4.mul(x, y1));
        s32 = f32x4.add(s32, f32x4.mul(x, y2));
        s33 = f32x4.add(s33, f32x4.mul(x, y3));
      }
      const cj = c0 + ((<usize>j) << 2);
      put(cj, hsum(s00), a0, b0, k4, k, accumulate);
      put(cj + 4, hsum(s01), a0, b1, k4, k, accumulate);
      put(cj + 8, hsum(s02), a0, b2, k4, k, accumulate);
      put(cj + 12, hsum(s03), a0, b3, k4, k, accumulate);
      put(cj + rowC, hsum(s10), a1, b0, k4, k, accumulate);
      put(cj + rowC + 4, hsum(s11), a1, b1, k4, k, accumulate);
      put(cj + rowC + 8, hsum(s12), a1, b2, k4, k, accumulate);
      put(cj + rowC + 12, hsum(s13), a1, b3, k4, k, accumulate);
      put(cj + 2 * rowC, hsum(s20), a2, b0, k4, k, accumulate);
      put(cj + 2 * rowC + 4, hsum(s21), a2, b1, k4, k, accumulate);
      put(cj + 2 * rowC + 8, hsum(s22), a2, b2, k4, k, accumulate);
      put(cj + 2 * rowC + 12, hsum(s23), a2, b3, k4, k, accumulate);
      put(cj + 3 * rowC, hsum(s30), a3, b0, k4, k, accumulate);
      put(cj + 3 * rowC + 4, hsum(s31), a3, b1, k4, k, accumulate);
      put(cj + 3 * rowC + 8, hsum(s32), a3, b2, k4, k, accumulate);
      put(cj + 3 * rowC + 12, hsum(s33), a3, b3, k4, k, accumulate);
    }
  }
  // The last m % 4 rows (all of them for a single query vector, e.g. scoring every item for one
  // user): four rows of B at a time, so each load of A feeds four products.
  for (let i = m4; i < m; i++) {
    const ai = a + <usize>i * rowA;
    const ci = c + <usize>i * rowC;
    for (let j = 0; j < n4; j += 4) {
      const b0 = b + <usize>j * rowB;
      const b1 = b0 + rowB;
      const b2 = b1 + rowB;
      const b3 = b2 + rowB;
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) {
        const o = (<usize>p) << 2;
        const x = v128.load(ai + o);
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b0 + o)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b1 + o)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b2 + o)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b3 + o)));
      }
      const cj = ci + ((<usize>j) << 2);
      put(cj, hsum(s0), ai, b0, k4, k, accumulate);
      put(cj + 4, hsum(s1), ai, b1, k4, k, accumulate);
      put(cj + 8, hsum(s2), ai, b2, k4, k, accumulate);
      put(cj + 12, hsum(s3), ai, b3, k4, k, accumulate);
    }
  }
  // The last n % 4 columns of every row.
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * rowA;
    for (let j = n4; j < n; j++) {
      const s = dot(ai, b + <usize>j * rowB, k);
      const cp = c + <usize>i * rowC + ((<usize>j) << 2);
      store<f32>(cp, accumulate ? load<f32>(cp) + s : s);
    }
  }
}

// ---- Element-wise kernels (issue 16: the non-product work of SASRec's training step) ----

// exp(x) for four lanes: Cephes' expf (range reduction x = n ln2 + r, |r| <= ln2 / 2, degree-6
// polynomial; relative error under 2e-7 on [-87, 88], tested in workspace.test.ts). Lanes below -87
// (including -Infinity, a masked logit) give exactly 0; x is clamped above at 88.
function exp4(x: v128): v128 {
  const under = f32x4.lt(x, f32x4.splat(-87.0));
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(88.0)), f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.4426950408889634)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(y, pow2), under);
}

// out[i] = exp(x[i]) for n floats (the kernel behind DenseWorkspace.exp, and its test).
export function expArray(x: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, exp4(v128.load(x + o)));
  }
  for (let i = n4; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, f32x4.extract_lane(exp4(f32x4.splat(load<f32>(x + o))), 0));
  }
}

// Softmax cross-entropy of `rows` rows, each with one target logit (pos[r]) and `cols` other logits
// (row r of z, row stride `cols`; -Infinity masks a column). Per row, with p = softmax over the
// target and the row: z becomes p(column) * scale, pos[r] becomes p(target), and the f64 pair
// out[2r], out[2r + 1] = sum, shift, so that the row's cross-entropy -log p(target) is
// log(sum) + shift (the caller takes the log: AssemblyScript's would bring lookup tables into
// linear memory, which the JS side owns from address 0).
export function softmaxXentRows(z: usize, pos: usize, out: usize, rows: i32, cols: i32, scale: f32): void {
  const c4 = cols & ~3;
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * rowBytes;
    const pr = pos + ((<usize>r) << 2);
    const target = load<f32>(pr);
    let mx = f32x4.splat(target);
    for (let j = 0; j < c4; j += 4) mx = f32x4.max(mx, v128.load(zr + ((<usize>j) << 2)));
    let m = max(
      max(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)),
      max(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)),
    );
    for (let j = c4; j < cols; j++) m = max(m, load<f32>(zr + ((<usize>j) << 2)));
    const shift = f32x4.splat(m);
    let acc = f32x4.splat(0);
    for (let j = 0; j < c4; j += 4) {
      const o = zr + ((<usize>j) << 2);
      const e = exp4(f32x4.sub(v128.load(o), shift));
      v128.store(o, e);
      acc = f32x4.add(acc, e);
    }
    let sum: f64 =
      <f64>f32x4.extract_lane(acc, 0) +
      <f64>f32x4.extract_lane(acc, 1) +
      <f64>f32x4.extract_lane(acc, 2) +
      <f64>f32x4.extract_lane(acc, 3);
    for (let j = c4; j < cols; j++) {
      const o = zr + ((<usize>j) << 2);
      const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(o) - m)), 0);
      store<f32>(o, e);
      sum += <f64>e;
    }
    const et = f32x4.extract_lane(exp4(f32x4.splat(target - m)), 0);
    sum += <f64>et;
    const k = f32x4.splat(<f32>(<f64>scale / sum));
    for (let j = 0; j < c4; j += 4) {
      const o = zr + ((<usize>j) << 2);
      v128.store(o, f32x4.mul(v128.load(o), k));
    }
    for (let j = c4; j < cols; j++) {
      const o = zr + ((<usize>j) << 2);
      store<f32>(o, <f32>(<f64>load<f32>(o) * (<f64>scale / sum)));
    }
    store<f32>(pr, <f32>(<f64>et / sum));
    store<f64>(out + ((<usize>r) << 4), sum);
    store<f64>(out + ((<usize>r) << 4) + 8, <f64>m - <f64>target);
  }
}

// One Adam step over n parameters (float32 arithmetic): m = b1 m + (1 - b1) g,
// v = b2 v + (1 - b2) g^2, p -= lr m / (sqrt(v) + eps); lr already carries the bias correction.
export function adamStep(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f32,
  b1: f32,
  b2: f32,
  eps: f32,
): void {
  const n4 = n & ~3;
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const va1 = f32x4.splat(1 - b1);
  const va2 = f32x4.splat(1 - b2);
  const vlr = f32x4.splat(lr);
  const veps = f32x4.splat(eps);
  for (let i = 0; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(va1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(va2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.mul(vlr, mi), f32x4.add(f32x4.sqrt(vi), veps));
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (let i = n4; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const mi = b1 * load<f32>(m + o) + (1 - b1) * gi;
    const vi = b2 * load<f32>(v + o) + (1 - b2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) - (lr * mi) / (Mathf.sqrt(vi) + eps));
  }
}

// Dropout mask of n floats: `scale` (1 / keep) with probability keep, else 0, from a xorshift32
// stream started at `seed` (non-zero; the caller draws it from its seeded generator, so a run stays
// repeatable). keep is compared against 32 random bits, so the rate is exact to 2^-32.
export function dropoutMask(mask: usize, n: i32, seed: u32, keep: f64, scale: f32): void {
  let x = seed == 0 ? 0x9e3779b9 : seed;
  const threshold = <u64>(keep * 4294967296.0);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    store<f32>(mask + ((<usize>i) << 2), <u64>x < threshold ? scale : 0);
  }
}

function hsum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)
  );
}

// Layer norm of `rows` rows of d floats (d a multiple of 4): xhat = (x - mean) / sqrt(var + eps),
// out = xhat * g + b; keeps xhat and rstd = 1 / sqrt(var + eps) per row for the backward pass.
export function layerNormRows(
  x: usize,
  g: usize,
  b: usize,
  xhat: usize,
  rstd: usize,
  out: usize,
  rows: i32,
  d: i32,
  eps: f32,
): void {
  const rowBytes = (<usize>d) << 2;
  const inv = f32x4.splat(1 / <f32>d);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    let s = f32x4.splat(0);
    for (let c: usize = 0; c < rowBytes; c += 16) s = f32x4.add(s, v128.load(x + o + c));
    const mean = f32x4.splat(hsum4(s) / <f32>d);
    let q = f32x4.splat(0);
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const z = f32x4.sub(v128.load(x + o + c), mean);
      q = f32x4.add(q, f32x4.mul(z, z));
    }
    const sd = <f32>1 / Mathf.sqrt(hsum4(f32x4.mul(q, inv)) + eps);
    store<f32>(rstd + ((<usize>r) << 2), sd);
    const vs = f32x4.splat(sd);
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const xh = f32x4.mul(f32x4.sub(v128.load(x + o + c), mean), vs);
      v128.store(xhat + o + c, xh);
      v128.store(out + o + c, f32x4.add(f32x4.mul(xh, v128.load(g + c)), v128.load(b + c)));
    }
  }
}

// Layer norm backward over `rows` rows (d a multiple of 4): adds dg += dOut * xhat and db += dOut,
// and writes (accumulate = 0) or adds dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),
// dxhat = dOut * g.
export function layerNormBackRows(
  dOut: usize,
  xhat: usize,
  rstd: usize,
  g: usize,
  dg: usize,
  db: usize,
  dx: usize,
  rows: i32,
  d: i32,
  accumulate: i32,
): void {
  const rowBytes = (<usize>d) << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const dy = v128.load(dOut + o + c);
      const xh = v128.load(xhat + o + c);
      v128.store(dg + c, f32x4.add(v128.load(dg + c), f32x4.mul(dy, xh)));
      v128.store(db + c, f32x4.add(v128.load(db + c), dy));
      const dxh = f32x4.mul(dy, v128.load(g + c));
      s1 = f32x4.add(s1, dxh);
      s2 = f32x4.add(s2, f32x4.mul(dxh, xh));
    }
    const m1 = f32x4.splat(hsum4(s1) / <f32>d);
    const m2 = f32x4.splat(hsum4(s2) / <f32>d);
    const sd = f32x4.splat(load<f32>(rstd + ((<usize>r) << 2)));
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const dxh = f32x4.mul(v128.load(dOut + o + c), v128.load(g + c));
      let v = f32x4.mul(sd, f32x4.sub(f32x4.sub(dxh, m1), f32x4.mul(v128.load(xhat + o + c), m2)));
      if (accumulate) v = f32x4.add(v, v128.load(dx + o + c));
      v128.store(dx + o + c, v);
    }
  }
}

// ---- Row-wise steps of a Transformer block over a rows x cols token matrix (issue 16: SASRec's
// bias, ReLU, residual and mask loops, which ran as JavaScript loops over wasm memory). Widths are
// multiples of 4 (the JS side falls back to loops otherwise); element counts n may be anything.

// x[r, :] += bias for every row.
export function addBiasRows(x: usize, bias: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const o = x + <usize>r * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      v128.store(o + c, f32x4.add(v128.load(o + c), v128.load(bias + c)));
    }
  }
}

// y[r, :] = x[r, :] + (y[r, :] + bias) * mask[r, :] (without the mask when useMask is 0): a linear
// layer's bias, then a residual with dropout on the branch.
export function biasResidualRows(
  y: usize,
  bias: usize,
  x: usize,
  mask: usize,
  useMask: i32,
  rows: i32,
  cols: i32,
): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      let v = f32x4.add(v128.load(y + o + c), v128.load(bias + c));
      if (useMask) v = f32x4.mul(v, v128.load(mask + o + c));
      v128.store(y + o + c, f32x4.add(v128.load(x + o + c), v));
    }
  }
}

// f[r, :] += bias, then out = max(f, 0): a linear layer's bias and the ReLU after it.
export function biasReluRows(f: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const v = f32x4.add(v128.load(f + o + c), v128.load(bias + c));
      v128.store(f + o + c, v);
      v128.store(out + o + c, f32x4.max(v, zero));
    }
  }
}

// Adds the column sums of d (rows x cols) into dBias, row by row in order (the same float32 sums as
// a loop that adds one row at a time), 16 columns at a time in registers.
function columnSumsInto(d: usize, dBias: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  let c: usize = 0;
  for (; c + 64 <= rowBytes; c += 64) {
    let s0 = v128.load(dBias + c);
    let s1 = v128.load(dBias + c, 16);
    let s2 = v128.load(dBias + c, 32);
    let s3 = v128.load(dBias + c, 48);
    let p = d + c;
    for (let r = 0; r < rows; r++) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
      p += rowBytes;
    }
    v128.store(dBias + c, s0);
    v128.store(dBias + c, s1, 16);
    v128.store(dBias + c, s2, 32);
    v128.store(dBias + c, s3, 48);
  }
  for (; c < rowBytes; c += 16) {
    let s = v128.load(dBias + c);
    let p = d + c;
    for (let r = 0; r < rows; r++) {
      s = f32x4.add(s, v128.load(p));
      p += rowBytes;
    }
    v128.store(dBias + c, s);
  }
}

// dBias += column sums of d.
export function columnSums(d: usize, dBias: usize, rows: i32, cols: i32): void {
  columnSumsInto(d, dBias, rows, cols);
}

// out = dy * mask (a copy of dy when useMask is 0), then dBias += column sums of out: the gradient
// through a dropout mask into a linear layer's output, and that layer's bias gradient.
export function maskColumnSums(
  dy: usize,
  mask: usize,
  useMask: i32,
  out: usize,
  dBias: usize,
  rows: i32,
  cols: i32,
): void {
  const bytes = (<usize>rows * <usize>cols) << 2;
  if (useMask) {
    for (let o: usize = 0; o < bytes; o += 16) {
      v128.store(out + o, f32x4.mul(v128.load(dy + o), v128.load(mask + o)));
    }
  } else {
    memory.copy(out, dy, bytes);
  }
  columnSumsInto(out, dBias, rows, cols);
}

// grad = 0 where x <= 0 (the ReLU's input), then dBias += column sums of grad.
export function reluBackColumnSums(x: usize, grad: usize, dBias: usize, rows: i32, cols: i32): void {
  const bytes = (<usize>rows * <usize>cols) << 2;
  const zero = f32x4.splat(0);
  for (let o: usize = 0; o < bytes; o += 16) {
    const keep = f32x4.gt(v128.load(x + o), zero);
    v128.store(grad + o, v128.and(v128.load(grad + o), keep));
  }
  columnSumsInto(grad, dBias, rows, cols);
}

// The same Adam step as adamStep on the gradient a * g1 + b * g2 (two threads' gradients, each
// the mean over its tokens, weighted by their token shares).
export function adamStepMixed(
  p: usize,
  g1: usize,
  a: f32,
  g2: usize,
  b: f32,
  m: usize,
  v: usize,
  n: i32,
  lr: f32,
  b1: f32,
  b2: f32,
  eps: f32,
): void {
  const n4 = n & ~3;
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const va1 = f32x4.splat(1 - b1);
  const va2 = f32x4.splat(1 - b2);
  const vlr = f32x4.splat(lr);
  const veps = f32x4.splat(eps);
  const wa = f32x4.splat(a);
  const wb = f32x4.splat(b);
  for (let i = 0; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const gi = f32x4.add(f32x4.mul(wa, v128.load(g1 + o)), f32x4.mul(wb, v128.load(g2 + o)));
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(va1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(va2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.mul(vlr, mi), f32x4.add(f32x4.sqrt(vi), veps));
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (let i = n4; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = a * load<f32>(g1 + o) + b * load<f32>(g2 + o);
    const mi = b1 * load<f32>(m + o) + (1 - b1) * gi;
    const vi = b2 * load<f32>(v + o) + (1 - b2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) - (lr * mi) / (Mathf.sqrt(vi) + eps));
  }
}

// ---- Row gathers and scatters by index (issue 16: SASRec's embedding look-ups, the sampled
// softmax's candidate rows and its target logits, which ran as JavaScript loops). ids are i32 arrays
// in the same memory; d is a multiple of 4.

// dst[j, :] = src[ids[j], :] for j < count.
export function gatherRows(src: usize, ids: usize, count: i32, d: i32, dst: usize): void {
  const rowBytes = (<usize>d) << 2;
  for (let j = 0; j < count; j++) {
    const from = src + <usize>load<i32>(ids + ((<usize>j) << 2)) * rowBytes;
    memory.copy(dst + <usize>j * rowBytes, from, rowBytes);
  }
}

// dst[ids[j], :] += src[j, :] for j < count, in order of j.
export function scatterAddRows(src: usize, ids: usize, count: i32, d: i32, dst: usize): void {
  const rowBytes = (<usize>d) << 2;
  for (let j = 0; j < count; j++) {
    const to = dst + <usize>load<i32>(ids + ((<usize>j) << 2)) * rowBytes;
    const from = src + <usize>j * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      v128.store(to + c, f32x4.add(v128.load(to + c), v128.load(from + c)));
    }
  }
}

// out[t] = h[t, :] . e[targets[t], :] (0 where targets[t] < 0), for t < rows.
export function targetDots(h: usize, e: usize, targets: usize, rows: i32, d: i32, out: usize): void {
  const rowBytes = (<usize>d) << 2;
  for (let t = 0; t < rows; t++) {
    const y = load<i32>(targets + ((<usize>t) << 2));
    let s: f32 = 0;
    if (y >= 0) {
      const hp = h + <usize>t * rowBytes;
      const ep = e + <usize>y * rowBytes;
      let v = f32x4.splat(0);
      for (let c: usize = 0; c < rowBytes; c += 16)
        v = f32x4.add(v, f32x4.mul(v128.load(hp + c), v128.load(ep + c)));
      s = hsum(v);
    }
    store<f32>(out + ((<usize>t) << 2), s);
  }
}

// The target's share of the sampled softmax's gradient, for t < rows with g = (p[t] - 1) * scale:
// dh[t, :] = g e[y, :] and ge[y, :] += g h[t, :] with y = targets[t], in order of t; dh[t, :] = 0
// where targets[t] < 0.
export function targetGrads(
  h: usize,
  e: usize,
  ge: usize,
  dh: usize,
  targets: usize,
  p: usize,
  rows: i32,
  d: i32,
  scale: f32,
): void {
  const rowBytes = (<usize>d) << 2;
  for (let t = 0; t < rows; t++) {
    const y = load<i32>(targets + ((<usize>t) << 2));
    const dp = dh + <usize>t * rowBytes;
    if (y < 0) {
      memory.fill(dp, 0, rowBytes);
      continue;
    }
    const g = f32x4.splat((load<f32>(p + ((<usize>t) << 2)) - 1) * scale);
    const hp = h + <usize>t * rowBytes;
    const ep = e + <usize>y * rowBytes;
    const gp = ge + <usize>y * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      v128.store(dp + c, f32x4.mul(g, v128.load(ep + c)));
      v128.store(gp + c, f32x4.add(v128.load(gp + c), f32x4.mul(g, v128.load(hp + c))));
    }
  }
}

// x[t, :] = (item[items[t], :] * scale + pos[positions[t], :]) (* mask[t, :] when useMask), t < rows.
export function embedRows(
  item: usize,
  pos: usize,
  items: usize,
  positions: usize,
  rows: i32,
  d: i32,
  scale: f32,
  mask: usize,
  useMask: i32,
  x: usize,
): void {
  const rowBytes = (<usize>d) << 2;
  const s = f32x4.splat(scale);
  for (let t = 0; t < rows; t++) {
    const ip = item + <usize>load<i32>(items + ((<usize>t) << 2)) * rowBytes;
    const pp = pos + <usize>load<i32>(positions + ((<usize>t) << 2)) * rowBytes;
    const o = <usize>t * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      let v = f32x4.add(f32x4.mul(v128.load(ip + c), s), v128.load(pp + c));
      if (useMask) v = f32x4.mul(v, v128.load(mask + o + c));
      v128.store(x + o + c, v);
    }
  }
}

// The embeddings' gradient: with v = dx[t, :] (* mask[t, :] when useMask), gItem[items[t], :] +=
// v * scale and gPos[positions[t], :] += v, in order of t.
export function embedRowsBackward(
  dx: usize,
  mask: usize,
  useMask: i32,
  items: usize,
  positions: usize,
  rows: i32,
  d: i32,
  scale: f32,
  gItem: usize,
  gPos: usize,
): void {
  const rowBytes = (<usize>d) << 2;
  const s = f32x4.splat(scale);
  for (let t = 0; t < rows; t++) {
    const ip = gItem + <usize>load<i32>(items + ((<usize>t) << 2)) * rowBytes;
    const pp = gPos + <usize>load<i32>(positions + ((<usize>t) << 2)) * rowBytes;
    const o = <usize>t * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      let v = v128.load(dx + o + c);
      if (useMask) v = f32x4.mul(v, v128.load(mask + o + c));
      v128.store(ip + c, f32x4.add(v128.load(ip + c), f32x4.mul(v, s)));
      v128.store(pp + c, f32x4.add(v128.load(pp + c), v));
    }
  }
}
