/**
 * @module server/answer-cache
 * Answers of read routes over the canonical tables (the dashboard's analytics), kept until the
 * next write. The canonical tables change only through the pool's write connection, and the pool
 * counts completed writes: an answer is stored with the count read when its query started, and is
 * served only while the count is unchanged, so a query that overlapped a write is never served after
 * it. Concurrent equal requests share one query. Training jobs write on their own connection, but
 * only model tables (predictions, scores), which no cached route reads.
 */

export interface WriteCounter {
  /** Writes completed since the server started. */
  readonly writesDone: number;
}

interface Entry {
  readonly writes: number;
  readonly answer: Promise<unknown>;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: WriteCounter,
    private readonly maxEntries = 256,
  ) {}

  /** The stored answer for `key` when no write has completed since it was asked, else `compute()`. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const writes = this.db.writesDone;
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
