/**
 * @module ml/text/bm25
 * Okapi BM25 over tokenised documents, with an inverted index in typed arrays. Scores follow
 * Lucene's BM25 (Robertson-Sparck Jones idf with +1 so it is never negative):
 *   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
 *   score(d, q) = sum over query terms t of idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl))
 * A term repeated in the query counts once per repetition, as Lucene does. Tokenising is the
 * caller's (English `tokenise`, or a Chinese segmenter), so one index serves every language.
 *
 * @example
 *   const index = Bm25Index.build([['cancel', 'order'], ['track', 'order']]);
 *   index.search(['cancel', 'order'], 1); // [{ doc: 0, score: 1.07... }]
 */

export interface Bm25Options {
  /** Term-frequency saturation (Lucene default 1.2). */
  readonly k1?: number;
  /** Length normalisation, 0..1 (Lucene default 0.75). */
  readonly b?: number;
}

export interface Bm25Hit {
  readonly doc: number;
  readonly score: number;
}

export class Bm25Index {
  private constructor(
    private readonly terms: ReadonlyMap<string, number>,
    /** Postings of term t: docs[offsets[t] .. offsets[t+1]) with their term frequencies. */
    private readonly offsets: Int32Array,
    private readonly docs: Int32Array,
    private readonly tfs: Float32Array,
    private readonly idf: Float64Array,
    /** k1 * (1 - b + b * |d| / avgdl), per document. */
    private readonly norm: Float64Array,
    private readonly k1: number,
  ) {}

  get size(): number {
    return this.norm.length;
  }

  static build(documents: readonly (readonly string[])[], options: Bm25Options = {}): Bm25Index {
    const k1 = options.k1 ?? 1.2;
    const b = options.b ?? 0.75;
    if (!(k1 >= 0) || !(b >= 0 && b <= 1))
      throw new RangeError(`BM25 needs k1 >= 0 and 0 <= b <= 1 (k1 ${k1}, b ${b})`);
    const terms = new Map<string, number>();
    const perDoc: Map<number, number>[] = [];
    let totalLength = 0;
    for (const doc of documents) {
      const counts = new Map<number, number>();
      for (const term of doc) {
        let id = terms.get(term);
        if (id === undefined) {
          id = terms.size;
          terms.set(term, id);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      perDoc.push(counts);
      totalLength += doc.length;
    }
    const df = new Int32Array(terms.size);
    for (const counts of perDoc) for (const id of counts.keys()) df[id]! += 1;
    const offsets = new Int32Array(terms.size + 1);
    for (let t = 0; t < terms.size; t++) offsets[t + 1] = offsets[t]! + df[t]!;
    const fill = offsets.slice(0, terms.size);
    const postingDocs = new Int32Array(offsets[terms.size]!);
    const postingTfs = new Float32Array(offsets[terms.size]!);
    perDoc.forEach((counts, d) => {
      for (const [id, tf] of counts) {
        const at = fill[id]!++;
        postingDocs[at] = d;
        postingTfs[at] = tf;
      }
    });
    const n = documents.length;
    const idf = new Float64Array(terms.size);
    for (let t = 0; t < terms.size; t++) idf[t] = Math.log(1 + (n - df[t]! + 0.5) / (df[t]! + 0.5));
    const avgdl = n ? totalLength / n : 0;
    const norm = new Float64Array(n);
    documents.forEach((doc, d) => {
      norm[d] = k1 * (1 - b + (avgdl > 0 ? (b * doc.length) / avgdl : 0));
    });
    return new Bm25Index(terms, offsets, postingDocs, postingTfs, idf, norm, k1);
  }

  /** Every document's score for the query (0 for documents sharing no term). */
  scores(query: readonly string[]): Float64Array {
    const out = new Float64Array(this.norm.length);
    for (const term of query) {
      const t = this.terms.get(term);
      if (t === undefined) continue;
      const w = this.idf[t]!;
      for (let i = this.offsets[t]!; i < this.offsets[t + 1]!; i++) {
        const d = this.docs[i]!;
        const tf = this.tfs[i]!;
        out[d]! += (w * tf * (this.k1 + 1)) / (tf + this.norm[d]!);
      }
    }
    return out;
  }

  /** The k best documents with a positive score, best first (ties: lower index first). */
  search(query: readonly string[], k: number): Bm25Hit[] {
    const s = this.scores(query);
    const hits: Bm25Hit[] = [];
    for (let d = 0; d < s.length; d++) if (s[d]! > 0) hits.push({ doc: d, score: s[d]! });
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return hits.slice(0, k);
  }
}
