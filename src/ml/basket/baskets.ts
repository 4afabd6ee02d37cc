/**
 * @module ml/basket/baskets
 * The shape every basket algorithm reads: market baskets as compressed rows over dense item indices.
 * Basket b holds itemIds[offsets[b] .. offsets[b+1]); order inside a basket does not matter, and an
 * item listed twice in one basket counts once (the algorithms de-duplicate with a stamp array).
 *
 * @example
 *   // {bread, milk}, {milk} with bread = 0, milk = 1
 *   const b: Baskets = { count: 2, items: 2, offsets: Int32Array.of(0, 2, 3), itemIds: Int32Array.of(0, 1, 1) };
 */
export interface Baskets {
  /** Number of baskets (transactions). */
  readonly count: number;
  /** Size of the item index space: every item id is in 0 .. items-1. */
  readonly items: number;
  /** count + 1 entries, non-decreasing, offsets[0] = 0. */
  readonly offsets: Int32Array;
  readonly itemIds: Int32Array;
}

/** Builds Baskets from plain arrays of item indices (tests, small inputs). */
export function basketsFromLists(lists: readonly (readonly number[])[], items?: number): Baskets {
  const offsets = new Int32Array(lists.length + 1);
  let total = 0;
  let maxItem = -1;
  for (let b = 0; b < lists.length; b++) {
    total += lists[b]!.length;
    offsets[b + 1] = total;
  }
  const itemIds = new Int32Array(total);
  let at = 0;
  for (const list of lists) {
    for (const item of list) {
      itemIds[at++] = item;
      if (item > maxItem) maxItem = item;
    }
  }
  return checkBaskets({ count: lists.length, items: items ?? maxItem + 1, offsets, itemIds });
}

/** Throws if the arrays do not describe `count` baskets over `items` items; returns the input. */
export function checkBaskets(b: Baskets): Baskets {
  if (b.offsets.length !== b.count + 1 || b.offsets[0] !== 0 || b.offsets[b.count] !== b.itemIds.length) {
    throw new Error(
      `baskets: offsets must have count + 1 = ${b.count + 1} entries from 0 to ${b.itemIds.length}`,
    );
  }
  for (let i = 0; i < b.count; i++) {
    if (b.offsets[i + 1]! < b.offsets[i]!) throw new Error(`baskets: offsets decrease at basket ${i}`);
  }
  for (let k = 0; k < b.itemIds.length; k++) {
    const item = b.itemIds[k]!;
    if (item < 0 || item >= b.items) throw new Error(`baskets: item ${item} outside 0..${b.items - 1}`);
  }
  return b;
}

/** The smallest basket count that meets a support fraction: count / baskets >= fraction. */
export function minCountFor(fraction: number, baskets: number): number {
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`support fraction must be in (0, 1], got ${fraction}`);
  // Subtract a hair before rounding up so 0.01 * 20000 (= 200.00000000000003 in binary) gives 200.
  return Math.max(1, Math.ceil(fraction * baskets - 1e-9));
}

/**
 * Builds Baskets from lists of item names (e.g. the lines of a basket file split on commas), giving
 * items indices in order of first appearance. Names are kept exactly (arules' Groceries has
 * "cream cheese " with a trailing space).
 */
export function basketsFromNames(lists: readonly (readonly string[])[]): {
  baskets: Baskets;
  names: string[];
} {
  const index = new Map<string, number>();
  const names: string[] = [];
  const ids = lists.map((list) =>
    list.map((name) => {
      let i = index.get(name);
      if (i === undefined) {
        i = names.length;
        index.set(name, i);
        names.push(name);
      }
      return i;
    }),
  );
  return { baskets: basketsFromLists(ids, names.length), names };
}
