/**
 * @module tasks/recommend/rules
 * The merchant's business rules applied to a model's scores: what may be shown (not already bought,
 * in stock, in these categories, in this price range), what to push up or down (boost / bury
 * lists), and how varied a list must be (at most N per category). Pure over typed arrays, so the
 * same code serves the CLI, the batch export and the HTTP API, in well under a millisecond for a
 * 12k-item catalogue.
 */
import { TopK } from '../../ml/recommend/top-k.js';

/** What the rules need to know about each item (dense item index -> attribute). */
export interface CatalogueInfo {
  readonly items: number;
  /** Category index per item, -1 when it has none. */
  readonly category: Int32Array;
  readonly categoryNames: readonly string[];
  /** Price per item, NaN when unknown. */
  readonly price: Float64Array;
  /** 1 in stock, 0 out of stock, 2 unknown (treated as in stock). */
  readonly inStock: Uint8Array;
}

export interface BusinessRules {
  /** Leave out items the user already has in their history (default true). */
  readonly excludeHistory?: boolean;
  /** Leave out items marked out of stock (default true; unknown stock is shown). */
  readonly inStockOnly?: boolean;
  /** Only these category names. */
  readonly categories?: readonly string[];
  readonly minPrice?: number;
  readonly maxPrice?: number;
  /** Item indices to push up: each gets `boostWeight` x (the score range of the list) added. */
  readonly boost?: readonly number[];
  /** How strongly a boost counts, in units of the candidates' score range (default 0.5). */
  readonly boostWeight?: number;
  /** Item indices to push down: shown only after every other eligible item. */
  readonly bury?: readonly number[];
  /** At most this many items of one category in a list (items without a category are not limited). */
  readonly maxPerCategory?: number;
}

export interface RankedItems {
  readonly items: Int32Array;
  /** The model's own scores for the chosen items (before boost / bury), in list order. */
  readonly scores: Float32Array;
  /** How many items the rules left eligible (for "everything bought" answers). */
  readonly eligible: number;
}

/** Why an item is excluded, per item (1 = excluded); built once per request. */
function eligibility(catalogue: CatalogueInfo, rules: BusinessRules, history: Int32Array): Uint8Array {
  const n = catalogue.items;
  const out = new Uint8Array(n);
  const allowed = rules.categories
    ? new Set(rules.categories.map((c) => catalogue.categoryNames.indexOf(c)).filter((i) => i >= 0))
    : undefined;
  const min = rules.minPrice ?? -Infinity;
  const max = rules.maxPrice ?? Infinity;
  const stockOnly = rules.inStockOnly ?? true;
  for (let j = 0; j < n; j++) {
    if (stockOnly && catalogue.inStock[j] === 0) out[j] = 1;
    else if (allowed && !allowed.has(catalogue.category[j]!)) out[j] = 1;
    else if (min !== -Infinity || max !== Infinity) {
      const p = catalogue.price[j]!;
      // An unknown price cannot be shown as inside a requested range.
      if (!(p >= min && p <= max)) out[j] = 1;
    }
  }
  if (rules.excludeHistory ?? true) for (const j of history) if (j >= 0 && j < n) out[j] = 1;
  return out;
}

/**
 * The k items to show, in order. `scores` (one per item) is not modified. Items with a NaN score
 * are never shown; -Infinity scores are shown last (a model's way to say "no opinion").
 */
export function rankWithRules(
  scores: Float32Array,
  k: number,
  catalogue: CatalogueInfo,
  rules: BusinessRules,
  history: Int32Array,
): RankedItems {
  if (!Number.isInteger(k) || k <= 0) throw new Error(`k must be a positive integer, got ${k}`);
  const n = catalogue.items;
  if (scores.length !== n) throw new Error(`${scores.length} scores for a catalogue of ${n} items`);
  const excluded = eligibility(catalogue, rules, history);
  let lo = Infinity;
  let hi = -Infinity;
  let eligible = 0;
  for (let j = 0; j < n; j++) {
    if (excluded[j]) continue;
    eligible++;
    const s = scores[j]!;
    if (Number.isFinite(s)) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  const range = hi > lo ? hi - lo : 1;
  const adjusted = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const s = scores[j]!;
    // -Infinity stays eligible (shown last); NaN and excluded items never enter the heap.
    adjusted[j] = excluded[j] ? NaN : s === -Infinity ? lo - 3 * range : s;
  }
  const weight = rules.boostWeight ?? 0.5;
  for (const j of rules.boost ?? []) if (j >= 0 && j < n) adjusted[j] = adjusted[j]! + weight * range;
  for (const j of rules.bury ?? []) if (j >= 0 && j < n) adjusted[j] = adjusted[j]! - 2 * range;

  const want = Math.min(k, eligible);
  const perCategory = rules.maxPerCategory;
  // Without a diversity cap the heap's top `want` is the answer; with one, widen the pool until the
  // capped list is full or every eligible item has been seen.
  for (
    let pool = perCategory ? Math.min(eligible, want * 4 + 16) : want;
    ;
    pool = Math.min(eligible, pool * 2)
  ) {
    const heap = new TopK(Math.max(pool, 1));
    for (let j = 0; j < n; j++) heap.push(j, adjusted[j]!);
    const { indices } = heap.drain();
    const items: number[] = [];
    const counts = new Map<number, number>();
    for (const j of indices) {
      const c = catalogue.category[j]!;
      if (perCategory && c >= 0) {
        const used = counts.get(c) ?? 0;
        if (used >= perCategory) continue;
        counts.set(c, used + 1);
      }
      items.push(j);
      if (items.length === want) break;
    }
    if (items.length === want || pool >= eligible) {
      const out = Int32Array.from(items);
      return { items: out, scores: Float32Array.from(out, (j) => scores[j]!), eligible };
    }
  }
}
