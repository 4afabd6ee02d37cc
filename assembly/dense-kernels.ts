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
