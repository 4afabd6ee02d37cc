/**
 * @module ml/recommend/split
 * Leave-last-out, the protocol of SASRec and its successors: per user, the last item is the test
 * target, the second-last the validation target, the rest is training.
 *
 * @example
 *   const s = leaveLastOut(seqs); // a user [5, 7, 9, 2]:
 *   // train [5, 7]; validation: history [5, 7] -> target 9; test: history [5, 7, 9] -> target 2;
 *   // trainValid [5, 7, 9] (what a model is refit on before the test, as the reference figures were)
 *
 * Users with fewer than 3 items keep all their items in `train` and `trainValid` and are in neither
 * case list: they still shape the model, but there is nothing to hold out without leaving them
 * with no history at all.
 */
import type { Sequences } from './types.js';

/**
 * Ranking questions: case c asks "given history items[starts[c] .. ends[c]) (time order), where does
 * targets[c] rank?" for dense user users[c]. `items` is shared with the sequences it came from.
 */
export interface RankingCases {
  readonly users: Int32Array;
  readonly targets: Int32Array;
  readonly items: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /**
   * Optional further non-candidates of case c: exclude.items[exclude.starts[c] .. exclude.ends[c]),
   * e.g. a customer's other test-window items when each of them is its own case (temporal split).
   */
  readonly exclude?: { readonly items: Int32Array; readonly starts: Int32Array; readonly ends: Int32Array };
}

export interface LeaveLastOut {
  /** All but the last two items of every user with >= 3 items; all items of the others. */
  readonly train: Sequences;
  /** All but the last item (train plus the validation item): what the test is scored against. */
  readonly trainValid: Sequences;
  readonly validation: RankingCases;
  readonly test: RankingCases;
  /** Users with fewer than 3 items (training only). */
  readonly trainOnlyUsers: number;
}

export const MIN_ITEMS_TO_EVALUATE = 3;

export function leaveLastOut(seqs: Sequences): LeaveLastOut {
  const { users, offsets } = seqs;
  let evaluable = 0;
  for (let u = 0; u < users; u++) if (offsets[u + 1]! - offsets[u]! >= MIN_ITEMS_TO_EVALUATE) evaluable++;
  const cases = (back: number): RankingCases => {
    const out = {
      users: new Int32Array(evaluable),
      targets: new Int32Array(evaluable),
      items: seqs.itemIds,
      starts: new Int32Array(evaluable),
      ends: new Int32Array(evaluable),
    };
    let c = 0;
    for (let u = 0; u < users; u++) {
      const start = offsets[u]!;
      const end = offsets[u + 1]!;
      if (end - start < MIN_ITEMS_TO_EVALUATE) continue;
      out.users[c] = u;
      out.targets[c] = seqs.itemIds[end - back]!;
      out.starts[c] = start;
      out.ends[c] = end - back;
      c++;
    }
    return out;
  };
  return {
    train: dropLast(seqs, 2),
    trainValid: dropLast(seqs, 1),
    validation: cases(2),
    test: cases(1),
    trainOnlyUsers: users - evaluable,
  };
}

/**
 * The cases at the given positions (ascending), e.g. a seeded sample of the evaluable users, applied
 * alike to the validation and the test cases of a leave-last-out split (both list the same users in
 * the same order). Scoring cost is linear in cases; the ranking rules are unchanged.
 */
export function pickCases(cases: RankingCases, positions: Int32Array): RankingCases {
  if (cases.exclude) throw new Error('pickCases: cases with exclude lists (temporal) are not supported');
  const pick = (a: Int32Array): Int32Array => positions.map((p) => a[p]!);
  return {
    users: pick(cases.users),
    targets: pick(cases.targets),
    items: cases.items,
    starts: pick(cases.starts),
    ends: pick(cases.ends),
  };
}

/** Each user's sequence without its last `n` items (users with < 3 items keep everything). */
function dropLast(seqs: Sequences, n: number): Sequences {
  const { users, offsets } = seqs;
  const newOffsets = new Int32Array(users + 1);
  for (let u = 0; u < users; u++) {
    const len = offsets[u + 1]! - offsets[u]!;
    newOffsets[u + 1] = newOffsets[u]! + (len >= MIN_ITEMS_TO_EVALUATE ? len - n : len);
  }
  const total = newOffsets[users]!;
  const itemIds = new Int32Array(total);
  const times = seqs.times ? new Float64Array(total) : undefined;
  const weights = seqs.weights ? new Float32Array(total) : undefined;
  for (let u = 0; u < users; u++) {
    const from = offsets[u]!;
    const len = newOffsets[u + 1]! - newOffsets[u]!;
    itemIds.set(seqs.itemIds.subarray(from, from + len), newOffsets[u]!);
    times?.set(seqs.times!.subarray(from, from + len), newOffsets[u]!);
    weights?.set(seqs.weights!.subarray(from, from + len), newOffsets[u]!);
  }
  return {
    users,
    items: seqs.items,
    offsets: newOffsets,
    itemIds,
    ...(times ? { times } : {}),
    ...(weights ? { weights } : {}),
  };
}

export interface TemporalSplit {
  /** Every interaction strictly before the cutoff. */
  readonly train: Sequences;
  /**
   * One case per (user, item) first bought in [cutoff, end) by a user with history before the
   * cutoff; history = that user's training items; the user's other new items are excluded.
   */
  readonly cases: RankingCases;
  /** Users with target items but no history before the cutoff (left out: nothing to personalise). */
  readonly coldUsers: number;
}

/**
 * Split by time: train on [.., cutoff), test on the items each user first took in [cutoff, end)
 * with weight >= minTargetWeight (default 1: purchases under the default interaction weights, so
 * views never become targets). Needs `times`; each user's sequence must be in time order.
 *
 * @example
 *   temporalSplit(seqs, Date.UTC(2011, 10, 9), Infinity); // Online Retail: the last month
 */
export function temporalSplit(
  seqs: Sequences,
  cutoff: number,
  end = Infinity,
  minTargetWeight = 1,
): TemporalSplit {
  const { users, offsets, itemIds, times, weights } = seqs;
  if (!times) throw new Error('temporalSplit needs interaction times (sequences.times)');
  const trainEnd = new Int32Array(users);
  const newOffsets = new Int32Array(users + 1);
  for (let u = 0; u < users; u++) {
    let k = offsets[u]!;
    while (k < offsets[u + 1]! && times[k]! < cutoff) k++;
    trainEnd[u] = k;
    newOffsets[u + 1] = newOffsets[u]! + (k - offsets[u]!);
  }
  const stamp = new Int32Array(seqs.items).fill(-1);
  const caseUsers: number[] = [];
  const targets: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let coldUsers = 0;
  for (let u = 0; u < users; u++) {
    const first = offsets[u]!;
    const split = trainEnd[u]!;
    for (let k = first; k < split; k++) stamp[itemIds[k]!] = u;
    let found = 0;
    for (let k = split; k < offsets[u + 1]! && times[k]! < end; k++) {
      const item = itemIds[k]!;
      if (stamp[item] === u || (weights ? weights[k]! : 1) < minTargetWeight) continue;
      stamp[item] = u;
      found++;
      if (split === first) continue;
      caseUsers.push(u);
      targets.push(item);
      starts.push(first);
      ends.push(split);
    }
    if (found > 0 && split === first) coldUsers++;
  }
  // Per case, the user's other targets: consecutive cases of one user share one exclude range.
  const n = targets.length;
  const exStarts = new Int32Array(n);
  const exEnds = new Int32Array(n);
  for (let c = 0; c < n;) {
    let d = c;
    while (d < n && caseUsers[d] === caseUsers[c]) d++;
    for (let e = c; e < d; e++) {
      exStarts[e] = c;
      exEnds[e] = d;
    }
    c = d;
  }
  const train = dropAfter(seqs, trainEnd, newOffsets);
  const targetArray = Int32Array.from(targets);
  return {
    train,
    cases: {
      users: Int32Array.from(caseUsers),
      targets: targetArray,
      items: itemIds,
      starts: Int32Array.from(starts),
      ends: Int32Array.from(ends),
      exclude: { items: targetArray, starts: exStarts, ends: exEnds },
    },
    coldUsers,
  };
}

/** Each user's interactions before trainEnd[u] (an index into seqs), laid out by newOffsets. */
function dropAfter(seqs: Sequences, trainEnd: Int32Array, newOffsets: Int32Array): Sequences {
  const total = newOffsets[seqs.users]!;
  const itemIds = new Int32Array(total);
  const times = new Float64Array(total);
  const weights = seqs.weights ? new Float32Array(total) : undefined;
  for (let u = 0; u < seqs.users; u++) {
    const from = seqs.offsets[u]!;
    const to = trainEnd[u]!;
    itemIds.set(seqs.itemIds.subarray(from, to), newOffsets[u]!);
    times.set(seqs.times!.subarray(from, to), newOffsets[u]!);
    weights?.set(seqs.weights!.subarray(from, to), newOffsets[u]!);
  }
  return {
    users: seqs.users,
    items: seqs.items,
    offsets: newOffsets,
    itemIds,
    times,
    ...(weights ? { weights } : {}),
  };
}
