/**
 * @module ml/recommend/training-data
 * Turns time-ordered sequences into the TrainingData every recommender's train function gets.
 *
 * @example
 *   trainingData({ users: 2, items: 3, offsets: Int32Array.of(0, 2, 3), itemIds: Int32Array.of(0, 2, 2) })
 *     .matrix; // 2 x 3 CSR: row 0 = {0: 1, 2: 1}, row 1 = {2: 1}
 */
import { csrFromCoo } from '../sparse/csr.js';
import type { Sequences, TrainingData } from './types.js';

/** The users x items matrix sums each interaction's weight (1 when the sequences carry none). */
export function trainingData(sequences: Sequences): TrainingData {
  const n = sequences.itemIds.length;
  const rowIdx = new Int32Array(n);
  for (let u = 0; u < sequences.users; u++) {
    rowIdx.fill(u, sequences.offsets[u]!, sequences.offsets[u + 1]!);
  }
  const matrix = csrFromCoo(sequences.users, sequences.items, rowIdx, sequences.itemIds, sequences.weights);
  return { sequences, matrix };
}

/**
 * Sequences from per-user item lists (each occurrence weighs 1): the way tests and small examples
 * write interaction data by hand.
 *
 * @example
 *   trainingData(sequencesFromLists([[0, 2], [2]], 3)); // the example above
 */
export function sequencesFromLists(lists: readonly (readonly number[])[], items: number): Sequences {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, u) => (offsets[u + 1] = offsets[u]! + l.length));
  return { users: lists.length, items, offsets, itemIds: Int32Array.from(lists.flat()) };
}
