/**
 * @module server/answer-cache
 * Answers of read routes over the canonical tables (the dashboard's analytics), kept until the
 * next write that could change them. The canonical tables change only through the pool's write
 * connection, and the pool counts completed writes per scope (server/db-pool.ts): an answer is stored
 * with the counts of the scopes it reads, taken when its query started, and is served only while they
 * are unchanged, so a query that overlapped such a write is never served after it. A live store
 * flushes events every second and records impressions on every recommendation: answers over orders
 * alone survive those. Concurrent equal requests share one query. Training jobs write on their own
 * connection, but only model tables (predictions, scores), which no cached route reads.
 */
import type { WriteCounter, WriteScope } from './db-pool.js';

interface Entry {
  /** The counts of the scopes read, when the query started. */
  readonly writes: string;
  readonly answer: Promise<unknown>;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: WriteCounter,
    private readonly maxEntries = 256,
  ) {}

  /**
   * The stored answer for `key` when no write of a scope in `reads` has completed since it was asked,
   * else `compute()`. `store` writes always count: they may change anything.
   */
  get<T>(key: string, compute: () => Promise<T>, reads: readonly WriteScope[] = []): Promise<T> {
    let writes = String(this.db.writesDone('store'));
    for (const scope of reads) if (scope !== 'store') writes += `/${this.db.writesDone(scope)}`;
    const hit = this.entries.get(key);
    if (hit && hit.writes === writes) return hit.answer as Promise<T>;
    const answer = compute();
    // Oldest first: a Map keeps insertion order, so the first key is the one to drop.
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { writes, answer });
    // A failed answer (a bad period, a closing database) is not kept.
    answer.catch(() => {
      if (this.entries.get(key)?.answer === answer) this.entries.delete(key);
    });
    return answer;
  }
}
