/**
 * @module ml/text/text-vectoriser-artifact
 * A fitted TextVectoriser as a ModelArtifact and back: options in the JSON part, each block's
 * vocabulary as UTF-8 terms joined by newlines (no term holds one: terms are runs of letters and
 * digits, or words joined by a space) and its idf as raw float64, so it round-trips exactly.
 */
import type { ModelArtifact } from '../artifact.js';
import type { TfIdf } from './tfidf.js';
import type { TextVectoriser, TextVectoriserOptions } from './text-vectoriser.js';

const VERSION = 1;

export function textVectoriserToArtifact(v: TextVectoriser): ModelArtifact {
  const arrays: ModelArtifact['arrays'] = {};
  const encoder = new TextEncoder();
  for (const [name, block] of [
    ['words', v.words],
    ['chars', v.chars],
  ] as const) {
    if (!block) continue;
    arrays[`${name}Vocabulary`] = encoder.encode(block.vocabulary.join('\n'));
    arrays[`${name}Idf`] = block.idf;
  }
  return { kind: 'text-vectoriser', version: VERSION, meta: { options: v.options, cols: v.cols }, arrays };
}

export function textVectoriserFromArtifact(a: ModelArtifact): TextVectoriser {
  if (a.kind !== 'text-vectoriser' || a.version !== VERSION) {
    throw new Error(
      `expected a text-vectoriser artifact version ${VERSION}, got '${a.kind}' version ${a.version}`,
    );
  }
  const options = a.meta.options as TextVectoriserOptions;
  const decoder = new TextDecoder();
  const block = (name: string, on: boolean): TfIdf | null => {
    if (!on) return null;
    const vocab = a.arrays[`${name}Vocabulary`];
    const idf = a.arrays[`${name}Idf`];
    if (!(vocab instanceof Uint8Array) || !(idf instanceof Float64Array)) {
      throw new Error(`text-vectoriser artifact lacks the ${name} block`);
    }
    const vocabulary = idf.length === 0 ? [] : decoder.decode(vocab).split('\n');
    if (vocabulary.length !== idf.length) {
      throw new Error(
        `text-vectoriser artifact: ${vocabulary.length} ${name} terms for ${idf.length} idf values`,
      );
    }
    const empty = {
      rows: 0,
      cols: idf.length,
      indptr: new Int32Array(1),
      indices: new Int32Array(0),
      values: new Float32Array(0),
    };
    return { vocabulary, idf, matrix: empty, sublinearTf: options.sublinearTf };
  };
  const words = block('words', options.words !== null);
  const chars = block('chars', options.chars !== null);
  return { options, words, chars, cols: (words?.idf.length ?? 0) + (chars?.idf.length ?? 0) };
}
