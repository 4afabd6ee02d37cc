/**
 * @module ml/sparse/csr
 * Compressed sparse rows over typed arrays: the one interaction-matrix shape every recommender
 * reads. Row r's entries are indices/values[indptr[r] .. indptr[r+1]), column indices ascending.
 */

export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/**
 * Builds a CSR matrix from coordinate triples. Duplicate (row, col) pairs are summed, which is what
 * an interaction matrix wants (two views of an item add their weights). O(nnz + rows) plus a sort
 * of each row's columns.
 */
export function csrFromCoo(
  rows: number,
  cols: number,
  rowIdx: Int32Array,
  colIdx: Int32Array,
  weights?: Float32Array,
): Csr {
  const n = rowIdx.length;
  if (colIdx.length !== n || (weights && weights.length !== n)) {
    throw new Error(
      `csrFromCoo: ${n} rows, ${colIdx.length} cols and ${weights?.length ?? n} weights differ`,
    );
  }
  const counts = new Int32Array(rows + 1);
  for (let i = 0; i < n; i++) {
    const r = rowIdx[i]!;
    const c = colIdx[i]!;
    if (r < 0 || r >= rows || c < 0 || c >= cols) {
      throw new Error(`csrFromCoo: entry ${i} (${r}, ${c}) outside a ${rows} x ${cols} matrix`);
    }
    counts[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) counts[r + 1]! += counts[r]!;
  const fill = counts.slice(0, rows);
  const tmpCols = new Int32Array(n);
  const tmpVals = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const at = fill[rowIdx[i]!]!++;
    tmpCols[at] = colIdx[i]!;
    tmpVals[at] = weights ? weights[i]! : 1;
  }
  // Sort each row by column and merge duplicates in place.
  const indptr = new Int32Array(rows + 1);
  let out = 0;
  const order: number[] = [];
  for (let r = 0; r < rows; r++) {
    const start = counts[r]!;
    const end = counts[r + 1]!;
    order.length = 0;
    for (let i = start; i < end; i++) order.push(i);
    order.sort((a, b) => tmpCols[a]! - tmpCols[b]!);
    let last = -1;
    const rowStart = out;
    const sortedCols: number[] = [];
    const sortedVals: number[] = [];
    for (const i of order) {
      const c = tmpCols[i]!;
      if (c === last) sortedVals[sortedVals.length - 1]! += tmpVals[i]!;
      else {
        sortedCols.push(c);
        sortedVals.push(tmpVals[i]!);
        last = c;
      }
    }
    for (let k = 0; k < sortedCols.length; k++) {
      tmpCols[rowStart + k] = sortedCols[k]!;
      tmpVals[rowStart + k] = sortedVals[k]!;
    }
    out = rowStart + sortedCols.length;
    indptr[r + 1] = out;
  }
  return { rows, cols, indptr, indices: tmpCols.slice(0, out), values: tmpVals.slice(0, out) };
}

/** The transpose (CSC of the same matrix read as CSR): item -> users. Columns stay ascending. */
export function transpose(m: Csr): Csr {
  const nnz = m.indices.length;
  const indptr = new Int32Array(m.cols + 1);
  for (let i = 0; i < nnz; i++) indptr[m.indices[i]! + 1]!++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1]! += indptr[c]!;
  const fill = indptr.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) {
      const at = fill[m.indices[k]!]!++;
      indices[at] = r;
      values[at] = m.values[k]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

/** [a | b]: the columns of b after those of a, row by row (both must have the same rows). */
export function hstack(a: Csr, b: Csr): Csr {
  if (a.rows !== b.rows) throw new Error(`hstack: ${a.rows} rows beside ${b.rows} rows`);
  const nnz = a.indices.length + b.indices.length;
  const indptr = new Int32Array(a.rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let out = 0;
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.indptr[r]!; k < a.indptr[r + 1]!; k++) {
      indices[out] = a.indices[k]!;
      values[out++] = a.values[k]!;
    }
    for (let k = b.indptr[r]!; k < b.indptr[r + 1]!; k++) {
      indices[out] = a.cols + b.indices[k]!;
      values[out++] = b.values[k]!;
    }
    indptr[r + 1] = out;
  }
  return { rows: a.rows, cols: a.cols + b.cols, indptr, indices, values };
}

/** The rows of m at the given positions, in that order (a train or test part of a split). */
export function selectRows(m: Csr, rows: ArrayLike<number>): Csr {
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(r >= 0 && r < m.rows)) throw new RangeError(`selectRows: row ${r} outside 0..${m.rows - 1}`);
    nnz += m.indptr[r + 1]! - m.indptr[r]!;
  }
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let out = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const start = m.indptr[r]!;
    const end = m.indptr[r + 1]!;
    indices.set(m.indices.subarray(start, end), out);
    values.set(m.values.subarray(start, end), out);
    out += end - start;
    indptr[i + 1] = out;
  }
  return { rows: rows.length, cols: m.cols, indptr, indices, values };
}
