/**
 * @module ml/text/cosine-neighbours
 * The k rows most similar to a given row of a row-normalised sparse matrix (e.g. TF-IDF), by cosine
 * similarity. Scores are accumulated through an inverted index (term -> rows), so a query touches
 * only rows that share a term with it, not the whole catalogue.
 *
 * @example
 *   const nn = new CosineNeighbours(fitTfIdf(docs).matrix);
 *   nn.query(12, 5); // { indices: Int32Array [5 rows], scores: Float32Array [cosines, best first] }
 */
import { type Csr, transpose } from '../sparse/csr.js';
import { TopK } from '../recommend/top-k.js';

export class CosineNeighbours {
  private readonly byTerm: Csr;
  private readonly scores: Float32Array;
  private readonly touched: Int32Array;

  /** `matrix` rows must have unit L2 norm (fitTfIdf's do); then a dot product is a cosine. */
  constructor(private readonly matrix: Csr) {
    this.byTerm = transpose(matrix);
    this.scores = new Float32Array(matrix.rows);
    this.touched = new Int32Array(matrix.rows);
  }

  /**
   * The k rows with the highest cosine to `row` (itself excluded), best first; rows with no shared
   * term (cosine 0) are never returned. `allowed`, when given, is a 0/1 mask of rows that may be
   * returned (e.g. only products that have sales). Ties go to the lower row index.
   */
  query(row: number, k: number, allowed?: Uint8Array): { indices: Int32Array; scores: Float32Array } {
    const { matrix: m, byTerm, scores, touched } = this;
    if (row < 0 || row >= m.rows) throw new RangeError(`row ${row} outside 0..${m.rows - 1}`);
    let nTouched = 0;
    for (let a = m.indptr[row]!; a < m.indptr[row + 1]!; a++) {
      const w = m.values[a]!;
      const t = m.indices[a]!;
      for (let b = byTerm.indptr[t]!; b < byTerm.indptr[t + 1]!; b++) {
        const other = byTerm.indices[b]!;
        if (scores[other] === 0) touched[nTouched++] = other;
        scores[other]! += w * byTerm.values[b]!;
      }
    }
    const top = new TopK(k);
    for (let i = 0; i < nTouched; i++) {
      const other = touched[i]!;
      const s = scores[other]!;
      scores[other] = 0;
      if (other !== row && s > 0 && (!allowed || allowed[other] === 1)) top.push(other, s);
    }
    return top.drain();
  }
}
