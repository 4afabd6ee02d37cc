/**
 * @module ml/text/content-scorer
 * Content similarity as an `ItemScorer`, so a recommender evaluation or a blend can use it like any
 * trained model: an item's score is the summed cosine similarity between its text and the text of
 * each item in the user's history. It needs no interactions, so it also ranks items nobody has
 * bought yet (the cold start). Rows of the matrix must follow the recommender's item indices.
 *
 * @example
 *   const scorer = contentScorer(fitTfIdf(itemTokens).matrix);
 *   scorer.score(-1, Int32Array.of(12), out); // out[j] = cos(item 12, item j); out[12] = 1
 */
import type { ModelArtifact } from '../artifact.js';
import type { ItemScorer } from '../recommend/types.js';
import { type Csr, transpose } from '../sparse/csr.js';

const KIND = 'content-tfidf';

export function contentScorer(matrix: Csr): ItemScorer {
  const byTerm = transpose(matrix);
  return {
    name: 'content',
    items: matrix.rows,
    score(_user: number, history: Int32Array, out: Float32Array): void {
      out.fill(0);
      for (let h = 0; h < history.length; h++) {
        const item = history[h]!;
        for (let a = matrix.indptr[item]!; a < matrix.indptr[item + 1]!; a++) {
          const w = matrix.values[a]!;
          const t = matrix.indices[a]!;
          for (let b = byTerm.indptr[t]!; b < byTerm.indptr[t + 1]!; b++) {
            out[byTerm.indices[b]!]! += w * byTerm.values[b]!;
          }
        }
      }
    },
    toArtifact(): ModelArtifact {
      return {
        kind: KIND,
        version: 1,
        meta: { rows: matrix.rows, cols: matrix.cols },
        arrays: { indptr: matrix.indptr, indices: matrix.indices, values: matrix.values },
      };
    },
  };
}

export function loadContentScorer(artifact: ModelArtifact): ItemScorer {
  if (artifact.kind !== KIND) throw new Error(`expected a '${KIND}' artifact, got '${artifact.kind}'`);
  const { rows, cols } = artifact.meta as { rows: number; cols: number };
  const { indptr, indices, values } = artifact.arrays as {
    indptr: Int32Array;
    indices: Int32Array;
    values: Float32Array;
  };
  return contentScorer({ rows, cols, indptr, indices, values });
}
