/**
 * @module ml/text/tfidf
 * TF-IDF document vectors as a CSR matrix (documents x terms), the weighting scikit-learn's
 * TfidfVectorizer uses by default, so figures can be checked against it:
 *   tf(t, d)  = raw count of term t in document d (1 + ln(count) with `sublinearTf`)
 *   idf(t)    = ln((1 + n) / (1 + df(t))) + 1      (smooth: as if one extra document held every term)
 *   w(t, d)   = tf * idf, then each row scaled to unit L2 norm (a row with no terms stays all zero)
 * Unit rows make the dot product of two rows their cosine similarity.
 *
 * `fitTfIdf` learns the vocabulary and idf from documents and returns their matrix; `transformTfIdf`
 * gives new documents rows in the same columns (terms it never saw are ignored), the way a fitted
 * model scores text. Documents are term lists: the analyser (tokenise, segmentWords, charNgrams)
 * is the caller's choice.
 *
 * Built for review corpora (50k documents, ~10M character n-grams): terms get provisional ids in
 * one pass, each document keeps its id sequence in one growing Int32Array, rows are counted in a
 * dense scratch array, so no object is allocated per term occurrence.
 *
 * @example
 *   const m = fitTfIdf([tokenise('red mug'), tokenise('red candle')]);
 *   m.vocabulary; // ['candle', 'mug', 'red']; idf(red) = ln(3/3) + 1 = 1, idf(mug) = ln(3/2) + 1
 *   transformTfIdf(m, [tokenise('red lamp')]); // one row: red = 1
 */
import type { Csr } from '../sparse/csr.js';

export interface TfIdfOptions {
  /** Keep terms found in at least this many documents. Default 1 (all). */
  readonly minDf?: number;
  /** Keep only the this many terms most frequent in the corpus (total count; ties by term). Default all. */
  readonly maxFeatures?: number;
  /** tf = 1 + ln(count) instead of count (scikit-learn's sublinear_tf). Default false. */
  readonly sublinearTf?: boolean;
}

export interface TfIdf {
  /** Term index -> term, in sorted order. */
  readonly vocabulary: string[];
  /** Per term index. */
  readonly idf: Float64Array;
  /** documents x terms, rows of unit L2 norm, column indices ascending. */
  readonly matrix: Csr;
  /** Whether tf was 1 + ln(count); transformTfIdf applies the same. Absent = false. */
  readonly sublinearTf?: boolean;
}

export function fitTfIdf(docs: readonly (readonly string[])[], options: TfIdfOptions = {}): TfIdf {
  const n = docs.length;
  // Provisional ids in order of first sight, each document's id sequence.
  const provisional = new Map<string, number>();
  const terms: string[] = [];
  const seq = new IdSequence();
  const docEnd = new Int32Array(n + 1);
  for (let d = 0; d < n; d++) {
    for (const term of docs[d]!) {
      let id = provisional.get(term);
      if (id === undefined) {
        id = terms.length;
        provisional.set(term, id);
        terms.push(term);
      }
      seq.push(id);
    }
    docEnd[d + 1] = seq.length;
  }
  return fitTfIdfSequences({ terms: terms.length, ids: seq.ids, docEnd }, (id) => terms[id]!, options);
}

/** Documents as term id sequences: document d holds ids[docEnd[d] .. docEnd[d + 1]). */
export interface TermSequences {
  /** Number of distinct term ids (0 .. terms - 1). */
  readonly terms: number;
  readonly ids: Int32Array;
  /** Length documents + 1, docEnd[0] = 0. */
  readonly docEnd: Int32Array;
}

/**
 * fitTfIdf over documents already turned into term ids (by any interning: strings, or the numeric
 * keys of char-ngram-keys.ts); `termText` gives the term of an id, asked only for the kept ones.
 */
export function fitTfIdfSequences(
  seqs: TermSequences,
  termText: (id: number) => string,
  options: TfIdfOptions = {},
): TfIdf {
  const minDf = options.minDf ?? 1;
  const sublinearTf = options.sublinearTf === true;
  const n = seqs.docEnd.length - 1;
  const { ids, docEnd } = seqs;
  const df = new Int32Array(seqs.terms);
  const total = new Float64Array(seqs.terms);
  const lastDoc = new Int32Array(seqs.terms).fill(-1);
  for (let d = 0; d < n; d++) {
    for (let k = docEnd[d]!; k < docEnd[d + 1]!; k++) {
      const id = ids[k]!;
      if (lastDoc[id] !== d) {
        lastDoc[id] = d;
        df[id]!++;
      }
      total[id]!++;
    }
  }
  // [term, id] pairs, so the sorts compare strings held in place (no lookup per comparison).
  let kept: [string, number][] = [];
  for (let id = 0; id < seqs.terms; id++) if (df[id]! >= minDf) kept.push([termText(id), id]);
  if (options.maxFeatures !== undefined && kept.length > options.maxFeatures) {
    kept.sort((a, b) => total[b[1]]! - total[a[1]]! || compare(a[0], b[0]));
    kept = kept.slice(0, options.maxFeatures);
  }
  kept.sort((a, b) => compare(a[0], b[0]));
  const vocabulary = kept.map(([term]) => term);
  const remap = new Int32Array(seqs.terms).fill(-1);
  const idf = new Float64Array(vocabulary.length);
  kept.forEach(([, id], j) => {
    remap[id] = j;
    idf[j] = Math.log((1 + n) / (1 + df[id]!)) + 1;
  });

  // Pass 2: rows from the stored sequences.
  const rows = new RowBuilder(vocabulary.length, idf, sublinearTf);
  for (let d = 0; d < n; d++) {
    for (let k = docEnd[d]!; k < docEnd[d + 1]!; k++) rows.add(remap[ids[k]!]!);
    rows.endRow();
  }
  return { vocabulary, idf, matrix: rows.finish(), sublinearTf };
}

/** A growable Int32Array of ids. */
export class IdSequence {
  ids = new Int32Array(1024);
  length = 0;

  push(id: number): void {
    if (this.length === this.ids.length) this.ids = grow(this.ids, this.ids.length * 2);
    this.ids[this.length++] = id;
  }
}

/**
 * Rows in a fitted model's columns written one by one: `add(column)` per term occurrence,
 * `endRow()` per document, `finish()` for the matrix (what transformTfIdf does with a term index).
 */
export function tfIdfRowWriter(model: TfIdf): {
  add(column: number): void;
  endRow(): void;
  /** One whole row from its columns, one per occurrence (`columns` is reordered). */
  row(columns: Int32Array, length: number): void;
  finish(): Csr;
} {
  return new RowBuilder(model.vocabulary.length, model.idf, model.sublinearTf === true);
}

/** Rows for new documents in a fitted model's columns; unknown terms are ignored. */
export function transformTfIdf(model: TfIdf, docs: readonly (readonly string[])[]): Csr {
  const index = termIndex(model);
  const rows = new RowBuilder(model.vocabulary.length, model.idf, model.sublinearTf === true);
  for (const doc of docs) {
    for (const term of doc) {
      const j = index.get(term);
      if (j !== undefined) rows.add(j);
    }
    rows.endRow();
  }
  return rows.finish();
}

const INDEXES = new WeakMap<TfIdf, Map<string, number>>();

/** Term -> column of a fitted model, built once per model and kept while the model lives. */
export function termIndex(model: TfIdf): Map<string, number> {
  let index = INDEXES.get(model);
  if (!index) {
    index = new Map(model.vocabulary.map((t, i) => [t, i]));
    INDEXES.set(model, index);
  }
  return index;
}

/** Code-unit order, the order scikit-learn's sorted() vocabulary has for BMP text. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function grow<T extends Int32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** Accumulates term counts of one row at a time into CSR with TF-IDF weights and unit norm. */
class RowBuilder {
  private readonly counts: Float64Array;
  private touched = new Int32Array(256);
  private touchedLength = 0;
  private readonly indptr: number[] = [0];
  private indices = new Int32Array(1024);
  private values = new Float32Array(1024);
  private nnz = 0;

  constructor(
    private readonly cols: number,
    private readonly idf: Float64Array,
    private readonly sublinear: boolean,
  ) {
    this.counts = new Float64Array(cols);
  }

  add(j: number): void {
    if (j < 0) return;
    if (this.counts[j] === 0) {
      if (this.touchedLength === this.touched.length)
        this.touched = grow(this.touched, this.touched.length * 2);
      this.touched[this.touchedLength++] = j;
    }
    this.counts[j]!++;
  }

  endRow(): void {
    const cols = this.touched.subarray(0, this.touchedLength).sort();
    let norm = 0;
    for (let k = 0; k < cols.length; k++) {
      const j = cols[k]!;
      const c = this.counts[j]!;
      const w = (this.sublinear ? 1 + Math.log(c) : c) * this.idf[j]!;
      this.counts[j] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (this.nnz + cols.length > this.indices.length) {
      const size = Math.max(this.indices.length * 2, this.nnz + cols.length);
      this.indices = grow(this.indices, size);
      const values = new Float32Array(size);
      values.set(this.values);
      this.values = values;
    }
    for (let k = 0; k < cols.length; k++) {
      const j = cols[k]!;
      this.indices[this.nnz] = j;
      this.values[this.nnz++] = this.counts[j]! / norm;
      this.counts[j] = 0;
    }
    this.touchedLength = 0;
    this.indptr.push(this.nnz);
  }

  /**
   * A whole row from the columns of its term occurrences: sorted and counted in place, so no dense
   * array of every column is touched (the vocabulary of a text model is hundreds of thousands).
   */
  row(columns: Int32Array, length: number): void {
    const cols = columns.subarray(0, length).sort();
    let norm = 0;
    let distinct = 0;
    for (let k = 0; k < length;) {
      const j = cols[k]!;
      let c = 0;
      while (k < length && cols[k] === j) {
        c++;
        k++;
      }
      const w = (this.sublinear ? 1 + Math.log(c) : c) * this.idf[j]!;
      norm += w * w;
      cols[distinct] = j;
      this.scratch(distinct, w);
      distinct++;
    }
    norm = Math.sqrt(norm);
    if (this.nnz + distinct > this.indices.length) {
      const size = Math.max(this.indices.length * 2, this.nnz + distinct);
      this.indices = grow(this.indices, size);
      const values = new Float32Array(size);
      values.set(this.values);
      this.values = values;
    }
    for (let k = 0; k < distinct; k++) {
      this.indices[this.nnz] = cols[k]!;
      this.values[this.nnz++] = this.weights[k]! / norm;
    }
    this.indptr.push(this.nnz);
  }

  private weights = new Float64Array(256);

  private scratch(k: number, w: number): void {
    if (k === this.weights.length) this.weights = grow(this.weights, k * 2);
    this.weights[k] = w;
  }

  finish(): Csr {
    return {
      rows: this.indptr.length - 1,
      cols: this.cols,
      indptr: Int32Array.from(this.indptr),
      indices: this.indices.slice(0, this.nnz),
      values: this.values.slice(0, this.nnz),
    };
  }
}
