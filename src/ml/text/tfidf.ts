/**
 * @module ml/text/tfidf
 * TF-IDF document vectors as a CSR matrix (documents x terms), the weighting scikit-learn's
 * TfidfVectorizer uses by default, so figures can be checked against it:
 *   tf(t, d)  = raw count of term t in document d
 *   idf(t)    = ln((1 + n) / (1 + df(t))) + 1      (smooth: as if one extra document held every term)
 *   w(t, d)   = tf * idf, then each row scaled to unit L2 norm (a row with no terms stays all zero)
 * Unit rows make the dot product of two rows their cosine similarity.
 *
 * @example
 *   const m = fitTfIdf([tokenise('red mug'), tokenise('red candle')]);
 *   m.vocabulary; // ['candle', 'mug', 'red']; idf(red) = ln(3/3) + 1 = 1, idf(mug) = ln(3/2) + 1
 */
import type { Csr } from '../sparse/csr.js';

export interface TfIdfOptions {
  /** Keep terms found in at least this many documents. Default 1 (all). */
  readonly minDf?: number;
}

export interface TfIdf {
  /** Term index -> term, in sorted order. */
  readonly vocabulary: string[];
  /** Per term index. */
  readonly idf: Float64Array;
  /** documents x terms, rows of unit L2 norm, column indices ascending. */
  readonly matrix: Csr;
}

export function fitTfIdf(docs: readonly (readonly string[])[], options: TfIdfOptions = {}): TfIdf {
  const minDf = options.minDf ?? 1;
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const vocabulary = [...df.keys()].filter((t) => df.get(t)! >= minDf).sort();
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const n = docs.length;
  const idf = new Float64Array(vocabulary.length);
  vocabulary.forEach((t, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(t)!)) + 1));

  const indptr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const tf = new Map<number, number>();
  for (let d = 0; d < n; d++) {
    tf.clear();
    for (const term of docs[d]!) {
      const j = index.get(term);
      if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
    }
    const terms = [...tf.keys()].sort((a, b) => a - b);
    let norm = 0;
    for (const j of terms) {
      const w = tf.get(j)! * idf[j]!;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    for (const j of terms) {
      cols.push(j);
      vals.push((tf.get(j)! * idf[j]!) / norm);
    }
    indptr[d + 1] = cols.length;
  }
  return {
    vocabulary,
    idf,
    matrix: {
      rows: n,
      cols: vocabulary.length,
      indptr,
      indices: Int32Array.from(cols),
      values: Float32Array.from(vals),
    },
  };
}
