/**
 * @module server/events/committed-ids
 * The ids of events this server committed to the warehouse, with their times, so that a request can
 * tell a retry from a new event without a warehouse query.
 *
 * The request-time duplicate check asks: which of these ids does the warehouse hold for an event
 * dated within the batch's time span (a retry is the same event at the same time)? The memory
 * answers that exactly for every span that starts at or after `floor`: it holds the id and time of
 * every stored event dated at or after `floor`. At start `floor` is just after the newest stored
 * event (the table holds nothing at or after it, so the empty memory is complete), and every flush
 * adds what it committed. Bounded: past `capacity` ids the oldest flush's ids are dropped and
 * `floor` moves past their times, so a span that starts earlier goes to the warehouse as before.
 * Writers other than the event flush (an admin import, a privacy erasure) call `reset` with the
 * table's new newest time.
 *
 * @example
 *   const ids = new CommittedIds(newestStoredMs + 1, 500_000);
 *   ids.add(['e1'], [Date.parse('2026-11-30T10:00:00Z')]);
 *   ids.covers(fromMs);                // true: answer from memory
 *   ids.storedWithin('e1', fromMs, toMs);
 */

export class CommittedIds {
  /** Stored time (epoch ms) of each remembered id. */
  private readonly times = new Map<string, number>();
  /** What each flush added, oldest first: the unit of eviction. */
  private readonly added: { ids: string[]; newestMs: number }[] = [];

  /**
   * @param floor every stored event dated at or after this (epoch ms) is remembered; -Infinity
   *   for an empty table.
   * @param capacity ids kept at most (about 100 bytes each with 20-character ids, measured).
   */
  constructor(
    private floor: number,
    private readonly capacity: number,
  ) {}

  /** Ids remembered now. */
  get size(): number {
    return this.times.size;
  }

  /** Whether the memory answers for a batch whose earliest event is dated `fromMs`. */
  covers(fromMs: number): boolean {
    return fromMs >= this.floor;
  }

  /** Whether `id` is stored for an event dated within [fromMs, toMs] (only meaningful when covers(fromMs)). */
  storedWithin(id: string, fromMs: number, toMs: number): boolean {
    const t = this.times.get(id);
    return t !== undefined && t >= fromMs && t <= toMs;
  }

  /** Records what a flush committed: ids[i] dated times[i]. */
  add(ids: readonly string[], times: ArrayLike<number>): void {
    const kept: string[] = [];
    let newestMs = -Infinity;
    for (let i = 0; i < ids.length; i++) {
      const t = times[i]!;
      // Older than the floor: no covered span can include it.
      if (t < this.floor) continue;
      this.times.set(ids[i]!, t);
      kept.push(ids[i]!);
      if (t > newestMs) newestMs = t;
    }
    if (kept.length) this.added.push({ ids: kept, newestMs });
    while (this.times.size > this.capacity && this.added.length) {
      const oldest = this.added.shift()!;
      for (const id of oldest.ids) this.times.delete(id);
      // Its events are no longer remembered: spans reaching back to them go to the warehouse.
      if (oldest.newestMs + 1 > this.floor) this.floor = oldest.newestMs + 1;
    }
  }

  /** Forgets everything: the table now holds nothing at or after `floor` that is not re-added. */
  reset(floor: number): void {
    this.times.clear();
    this.added.length = 0;
    this.floor = floor;
  }
}
