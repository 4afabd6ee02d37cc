/**
 * @module assistant/knowledge/retriever
 * Finds the knowledge entries that answer a shopper's question: BM25 over the entries' questions
 * and, separately, over their answers, plus cosine similarity of embeddings when an embeddings
 * endpoint is set, the rankings fused by reciprocal rank. `byIntent` groups the fused list by
 * intent (an intent's best entry stands for it), which is what "the right answer in the top 3"
 * means for an FAQ whose entries repeat one answer under many phrasings.
 */
import { Bm25Index } from '../../ml/text/bm25.js';
import { fuseRankings } from '../../ml/text/rank-fusion.js';
import { segmentWords } from '../../ml/text/segment.js';
import type { KnowledgeEntry } from '../../warehouse/knowledge-store.js';

export interface RetrievalHit {
  readonly entry: KnowledgeEntry;
  readonly index: number;
  /** Reciprocal-rank score (comparable within one query only). */
  readonly score: number;
  /** BM25 score of the entry's question against the query: what confidence rules read. */
  readonly bm25: number;
}

export interface RetrieverOptions {
  /** Text -> terms; default `segmentWords` (ICU words: English, and Chinese segmented). */
  readonly tokens?: (text: string) => string[];
  /** Embeds texts (an embeddings endpoint); absent: BM25 only. */
  readonly embed?: (texts: readonly string[]) => Promise<Float32Array[]>;
  /** How deep each ranking goes before fusion. */
  readonly depth?: number;
}

export class KnowledgeRetriever {
  private constructor(
    readonly entries: readonly KnowledgeEntry[],
    private readonly questions: Bm25Index,
    private readonly answers: Bm25Index,
    private readonly tokens: (text: string) => string[],
    private readonly depth: number,
    private readonly embed?: (texts: readonly string[]) => Promise<Float32Array[]>,
    private readonly vectors?: readonly Float32Array[],
  ) {}

  /** Whether embeddings take part (an embeddings endpoint was set when built). */
  get usesEmbeddings(): boolean {
    return Boolean(this.vectors);
  }

  static async build(
    entries: readonly KnowledgeEntry[],
    options: RetrieverOptions = {},
  ): Promise<KnowledgeRetriever> {
    const tokens = options.tokens ?? ((t: string) => segmentWords(t));
    const questions = Bm25Index.build(entries.map((e) => tokens(e.question)));
    const answers = Bm25Index.build(entries.map((e) => tokens(e.answer)));
    const vectors = options.embed
      ? (await options.embed(entries.map((e) => `${e.question}\n${e.answer}`))).map(unit)
      : undefined;
    return new KnowledgeRetriever(
      entries,
      questions,
      answers,
      tokens,
      options.depth ?? 50,
      options.embed,
      vectors,
    );
  }

  async search(query: string, k: number): Promise<RetrievalHit[]> {
    const terms = this.tokens(query);
    const q = this.questions.search(terms, this.depth);
    const a = this.answers.search(terms, this.depth);
    const rankings = [q.map((h) => h.doc), a.map((h) => h.doc)];
    if (this.vectors && this.embed) {
      const [v] = await this.embed([query]);
      const qv = unit(v!);
      const sims = this.vectors.map((d, i) => ({ i, s: dot(d, qv) }));
      sims.sort((x, y) => y.s - x.s || x.i - y.i);
      rankings.push(sims.slice(0, this.depth).map((x) => x.i));
    }
    const bm25 = new Map(q.map((h) => [h.doc, h.score]));
    return fuseRankings(rankings)
      .slice(0, k)
      .map((f) => ({
        entry: this.entries[f.item]!,
        index: f.item,
        score: f.score,
        bm25: bm25.get(f.item) ?? 0,
      }));
  }

  /** The best entry of each intent, best first, k intents at most (entries without an intent stand alone). */
  async byIntent(query: string, k: number): Promise<RetrievalHit[]> {
    const hits = await this.search(query, this.depth);
    const seen = new Set<string>();
    const out: RetrievalHit[] = [];
    for (const h of hits) {
      const key = h.entry.intent ?? `doc:${h.entry.docId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(h);
      if (out.length === k) break;
    }
    return out;
  }
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  return v.map((x) => x * s);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) s += a[i]! * b[i]!;
  return s;
}
