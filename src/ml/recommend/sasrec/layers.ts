/**
 * @module ml/recommend/sasrec/layers
 * The element-wise and row-wise pieces of a Transformer block over a T x d token matrix, forward
 * and backward, written as plain loops over typed arrays (they are O(T d), small next to the matrix
 * products, which go to ml/dense). Backward functions ADD parameter gradients into their buffers.
 */

import type { DenseWorkspace } from '../../dense/workspace.js';

export const LAYER_NORM_EPS = 1e-6;

/**
 * Layer norm forward on the workspace's SIMD kernel when d is a multiple of 4 (every width the
 * defaults use), else the loop below; same contract as layerNormForward.
 */
export function layerNormForwardIn(
  ws: DenseWorkspace,
  x: Float32Array,
  g: Float32Array,
  b: Float32Array,
  xhat: Float32Array,
  rstd: Float32Array,
  out: Float32Array,
  rows: number,
  d: number,
): void {
  if (d % 4 === 0) ws.layerNorm(x, g, b, xhat, rstd, out, rows, d, LAYER_NORM_EPS);
  else layerNormForward(x, g, b, xhat, rstd, out, rows, d);
}

/** Layer norm backward on the workspace's kernel when d is a multiple of 4; see layerNormBackward. */
export function layerNormBackwardIn(
  ws: DenseWorkspace,
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
  if (d % 4 === 0) ws.layerNormBackward(dOut, xhat, rstd, g, dg, db, dx, rows, d, accumulate);
  else layerNormBackward(dOut, xhat, rstd, g, dg, db, dx, rows, d, accumulate);
}

/** out = xhat * g + b with xhat = (x - mean) / sqrt(var + eps), per row; keeps xhat and 1/std. */
export function layerNormForward(
  x: Float32Array,
  g: Float32Array,
  b: Float32Array,
  xhat: Float32Array,
  rstd: Float32Array,
  out: Float32Array,
  rows: number,
  d: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let c = 0; c < d; c++) mean += x[o + c]!;
    mean /= d;
    let v = 0;
    for (let c = 0; c < d; c++) {
      const z = x[o + c]! - mean;
      v += z * z;
    }
    const s = 1 / Math.sqrt(v / d + LAYER_NORM_EPS);
    rstd[r] = s;
    for (let c = 0; c < d; c++) {
      const xh = (x[o + c]! - mean) * s;
      xhat[o + c] = xh;
      out[o + c] = xh * g[c]! + b[c]!;
    }
  }
}

/**
 * Given dOut, adds dg and db, and writes (or with `accumulate` adds) dx:
 * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dOut * g.
 */
export function layerNormBackward(
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
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let m1 = 0;
    let m2 = 0;
    for (let c = 0; c < d; c++) {
      const dy = dOut[o + c]!;
      const xh = xhat[o + c]!;
      dg[c]! += dy * xh;
      db[c]! += dy;
      const dxh = dy * g[c]!;
      m1 += dxh;
      m2 += dxh * xh;
    }
    m1 /= d;
    m2 /= d;
    const s = rstd[r]!;
    for (let c = 0; c < d; c++) {
      const v = s * (dOut[o + c]! * g[c]! - m1 - xhat[o + c]! * m2);
      dx[o + c] = accumulate ? dx[o + c]! + v : v;
    }
  }
}

// The row steps around the linear layers, on the workspace's SIMD kernels when the width is a
// multiple of 4 (every width the defaults use), else the loops below (the gradient check uses both).

/** x[r, :] += bias for every row. */
export function addBiasIn(
  ws: DenseWorkspace,
  x: Float32Array,
  bias: Float32Array,
  rows: number,
  cols: number,
): void {
  if (cols % 4 === 0) ws.addBiasRows(x, bias, rows, cols);
  else addBias(x, bias, rows, cols);
}

/** y = x + (y + bias) * mask (or x + y + bias without a mask): bias, then a residual with dropout. */
export function biasResidualIn(
  ws: DenseWorkspace,
  y: Float32Array,
  bias: Float32Array,
  x: Float32Array,
  mask: Float32Array | null,
  rows: number,
  cols: number,
): void {
  if (cols % 4 === 0) return ws.biasResidual(y, bias, x, mask, rows, cols);
  addBias(y, bias, rows, cols);
  const n = rows * cols;
  if (mask) for (let i = 0; i < n; i++) y[i] = x[i]! + y[i]! * mask[i]!;
  else for (let i = 0; i < n; i++) y[i] = x[i]! + y[i]!;
}

/** f += bias, then out = max(f, 0). */
export function biasReluIn(
  ws: DenseWorkspace,
  f: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  rows: number,
  cols: number,
): void {
  if (cols % 4 === 0) return ws.biasRelu(f, bias, out, rows, cols);
  addBias(f, bias, rows, cols);
  for (let i = 0; i < rows * cols; i++) {
    const v = f[i]!;
    out[i] = v > 0 ? v : 0;
  }
}

/** dBias += column sums of dx. */
export function columnSumsIn(
  ws: DenseWorkspace,
  dx: Float32Array,
  dBias: Float32Array,
  rows: number,
  cols: number,
): void {
  if (cols % 4 === 0) ws.columnSums(dx, dBias, rows, cols);
  else addColumnSums(dx, dBias, rows, cols);
}

/** out = dy * mask (a copy of dy without a mask), then dBias += column sums of out. */
export function maskColumnSumsIn(
  ws: DenseWorkspace,
  dy: Float32Array,
  mask: Float32Array | null,
  out: Float32Array,
  dBias: Float32Array,
  rows: number,
  cols: number,
): void {
  if (cols % 4 === 0) return ws.maskColumnSums(dy, mask, out, dBias, rows, cols);
  const n = rows * cols;
  if (mask) for (let i = 0; i < n; i++) out[i] = dy[i]! * mask[i]!;
  else out.set(dy.subarray(0, n));
  addColumnSums(out, dBias, rows, cols);
}

/** grad = 0 where the ReLU's input x was not positive, then dBias += column sums of grad. */
export function reluBackColumnSumsIn(
  ws: DenseWorkspace,
  x: Float32Array,
  grad: Float32Array,
  dBias: Float32Array,
  rows: number,
  cols: number,
): void {
  if (cols % 4 === 0) return ws.reluBackColumnSums(x, grad, dBias, rows, cols);
  for (let i = 0; i < rows * cols; i++) if (x[i]! <= 0) grad[i] = 0;
  addColumnSums(grad, dBias, rows, cols);
}

/** x[r, :] += bias for every row. */
export function addBias(x: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) x[o + c]! += bias[c]!;
  }
}

/** dBias += column sums of dx. */
export function addColumnSums(dx: Float32Array, dBias: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) dBias[c]! += dx[o + c]!;
  }
}

/**
 * In place, row by row over an L x L score block starting at `at`: causal softmax of scale * S
 * (position i attends to j <= i), zeros above the diagonal.
 */
export function causalSoftmax(s: Float32Array, at: number, length: number, scale: number): void {
  for (let i = 0; i < length; i++) {
    const row = at + i * length;
    let max = -Infinity;
    for (let j = 0; j <= i; j++) max = Math.max(max, s[row + j]! * scale);
    let sum = 0;
    for (let j = 0; j <= i; j++) {
      const e = Math.exp(s[row + j]! * scale - max);
      s[row + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j <= i; j++) s[row + j]! *= inv;
    for (let j = i + 1; j < length; j++) s[row + j] = 0;
  }
}

/**
 * Softmax backward for one causal block: dP (at `dAt`) becomes dS = scale * P * (dP - rowdot(P, dP)),
 * zero above the diagonal, where P is the block at `pAt`.
 */
export function causalSoftmaxBackward(
  p: Float32Array,
  pAt: number,
  dp: Float32Array,
  dAt: number,
  length: number,
  scale: number,
): void {
  for (let i = 0; i < length; i++) {
    const pr = pAt + i * length;
    const dr = dAt + i * length;
    let dot = 0;
    for (let j = 0; j <= i; j++) dot += p[pr + j]! * dp[dr + j]!;
    for (let j = 0; j <= i; j++) dp[dr + j] = scale * p[pr + j]! * (dp[dr + j]! - dot);
    for (let j = i + 1; j < length; j++) dp[dr + j] = 0;
  }
}
