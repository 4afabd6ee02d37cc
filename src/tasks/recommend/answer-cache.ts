/**
 * @module tasks/recommend/answer-cache
 * Answers kept per loaded model version, the way Gorse serves cached lists: a list for a customer
 * depends only on the model version (its histories, its catalogue snapshot) and the request's rules,
 * so a kept answer is exactly the one scoring would give again. Scoring a long history costs a few
 * milliseconds (item-kNN sums a neighbour row per item bought); a kept answer costs a map lookup.
 * Bounded (least recently used goes first), and warmed in the background for the default request
 * in small slices that yield to requests between them.
 */
import type { RecommendAnswer } from './recommender.js';

/**
 * Answers kept per model version. Size per answer is an estimate, not measured: 10 items with a
 * reason string each, about 1.5 KB, so the cap is of the order of 75 MB.
 */
export const ANSWER_CACHE_CAPACITY = 50_000;

export class AnswerCache {
  private readonly map = new Map<string, RecommendAnswer>();

  constructor(readonly capacity = ANSWER_CACHE_CAPACITY) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): RecommendAnswer | undefined {
    const found = this.map.get(key);
    if (found) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.map.delete(key);
      this.map.set(key, found);
    }
    return found;
  }

  set(key: string, answer: RecommendAnswer): void {
    this.map.delete(key);
    this.map.set(key, answer);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  /** The kept answer, or compute it and keep it. */
  through(key: string, compute: () => RecommendAnswer): RecommendAnswer {
    let answer = this.get(key);
    if (!answer) this.set(key, (answer = compute()));
    return answer;
  }

  /**
   * Computes the answers of `keys` not kept yet, at most `capacity` of them, in slices of about
   * `sliceMs` with a macrotask turn between slices, so requests arriving meanwhile wait at most one
   * slice. Returns how many were computed.
   */
  async warm(
    keys: Iterable<string>,
    compute: (key: string) => RecommendAnswer,
    options: { sliceMs?: number; stop?: () => boolean } = {},
  ): Promise<number> {
    const sliceMs = options.sliceMs ?? 4;
    let computed = 0;
    let sliceStart = performance.now();
    for (const key of keys) {
      if (options.stop?.() || computed >= this.capacity) break;
      if (!this.map.has(key)) {
        this.set(key, compute(key));
        computed++;
      }
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return computed;
  }
}
