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
