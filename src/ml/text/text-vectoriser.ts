/**
 * @module ml/text/text-vectoriser
 * Review text -> one sparse feature row: a word TF-IDF block (ICU words with negation marked,
 * optionally word bigrams) beside a character n-gram TF-IDF block, each block with unit rows, the
 * way scikit-learn's FeatureUnion of two TfidfVectorizers does it (so a full row has norm sqrt(2)
 * when both blocks have terms). Words carry English and negation; character n-grams carry Chinese,
 * where word boundaries are unsure. Either block can be switched off.
 *
 * The analysers are fixed functions chosen by the options, so a saved vectoriser (its options,
 * vocabularies and idf) transforms new text exactly as at training time.
 *
 * @example
 *   const { vectoriser, matrix } = fitTextVectoriser(texts, DEFAULT_TEXT_VECTORISER);
 *   const rows = transformTexts(vectoriser, ['质量很好', 'did not fit']);
 */
import { hstack, type Csr } from '../sparse/csr.js';
import { CharAlphabet, charNgramKeys, KeyBuffer, KeyTable, MAX_KEYED_N } from './char-ngram-keys.js';
import { charNgrams } from './char-ngrams.js';
import { segmentWords, spacedWords, wordNgrams } from './segment.js';
import {
  fitTfIdf,
  fitTfIdfSequences,
  IdSequence,
  tfIdfRowWriter,
  transformTfIdf,
  type TfIdf,
} from './tfidf.js';

export interface WordBlockOptions {
  /** Word n-gram range, e.g. [1, 2] for words and bigrams. */
  readonly ngram: readonly [number, number];
  readonly negation: boolean;
  readonly minDf: number;
  readonly maxFeatures?: number;
  /**
   * 'icu' (default): segmentWords, Chinese words included; 'spaces': spacedWords, the fast path
   * that leaves Chinese to the character block.
   */
  readonly segmenter?: 'icu' | 'spaces';
}

export interface CharBlockOptions {
  /** Character n-gram range, e.g. [1, 3]. */
  readonly ngram: readonly [number, number];
  /** Only runs of space-less scripts (Chinese, Japanese, Korean, Thai): see char-ngrams.ts. */
  readonly cjkOnly: boolean;
  /** Punctuation and symbols inside the runs (char-ngrams.ts); default false. */
  readonly punctuation?: boolean;
  readonly minDf: number;
  readonly maxFeatures?: number;
}

export interface TextVectoriserOptions {
  readonly words: WordBlockOptions | null;
  readonly chars: CharBlockOptions | null;
  /** tf = 1 + ln(count) in both blocks. */
  readonly sublinearTf: boolean;
}

/** The review-sentiment setting (docs/reviews.md has the comparison that chose it). */
export const DEFAULT_TEXT_VECTORISER: TextVectoriserOptions = {
  words: { ngram: [1, 2], negation: true, minDf: 2 },
  chars: { ngram: [1, 3], cjkOnly: true, minDf: 2 },
  sublinearTf: true,
};

export interface TextVectoriser {
  readonly options: TextVectoriserOptions;
  readonly words: TfIdf | null;
  readonly chars: TfIdf | null;
  /** Columns of a transformed row: words block first, then chars. */
  readonly cols: number;
}

/** The word terms of one text under the options (what the words block counts). */
export function wordTerms(text: string, o: WordBlockOptions): string[] {
  const split = o.segmenter === 'spaces' ? spacedWords : segmentWords;
  return wordNgrams(split(text, { negation: o.negation }), o.ngram[0], o.ngram[1]);
}

/** The character terms of one text under the options (what the chars block counts). */
export function charTerms(text: string, o: CharBlockOptions): string[] {
  return charNgrams(text, o.ngram[0], o.ngram[1], {
    cjkOnly: o.cjkOnly,
    punctuation: o.punctuation === true,
  });
}

export function fitTextVectoriser(
  texts: readonly string[],
  options: TextVectoriserOptions = DEFAULT_TEXT_VECTORISER,
): { vectoriser: TextVectoriser; matrix: Csr } {
  if (!options.words && !options.chars) throw new Error('text vectoriser: both blocks are switched off');
  const blocks: Csr[] = [];
  let words: TfIdf | null = null;
  let chars: TfIdf | null = null;
  if (options.words) {
    const o = options.words;
    words = fitTfIdf(
      texts.map((t) => wordTerms(t, o)),
      { minDf: o.minDf, maxFeatures: o.maxFeatures, sublinearTf: options.sublinearTf },
    );
    blocks.push(words.matrix);
  }
  if (options.chars) {
    const o = options.chars;
    const tf = { minDf: o.minDf, maxFeatures: o.maxFeatures, sublinearTf: options.sublinearTf };
    chars = keyed(o)
      ? fitCharKeys(texts, o, tf)
      : fitTfIdf(
          texts.map((t) => charTerms(t, o)),
          tf,
        );
    blocks.push(chars.matrix);
  }
  const vectoriser = { options, words, chars, cols: blocks.reduce((s, b) => s + b.cols, 0) };
  return { vectoriser, matrix: blocks.length === 2 ? hstack(blocks[0]!, blocks[1]!) : blocks[0]! };
}

/** Rows for new texts in the fitted columns; terms not seen in training are ignored. */
export function transformTexts(v: TextVectoriser, texts: readonly string[]): Csr {
  const w = v.words && v.options.words;
  const c = v.chars && v.options.chars;
  const wordRows = w
    ? transformTfIdf(
        v.words!,
        texts.map((t) => wordTerms(t, w)),
      )
    : null;
  const charRows = c
    ? keyed(c)
      ? transformCharKeys(v.chars!, texts, c)
      : transformTfIdf(
          v.chars!,
          texts.map((t) => charTerms(t, c)),
        )
    : null;
  return wordRows && charRows ? hstack(wordRows, charRows) : (wordRows ?? charRows)!;
}

/**
 * Character n-grams up to 3 go through numeric keys (char-ngram-keys.ts): the same terms as
 * charTerms, without a string per n-gram (the vectoriser's hot loop when scoring).
 */
function keyed(o: CharBlockOptions): boolean {
  return o.ngram[1] <= MAX_KEYED_N;
}

function charOptions(o: CharBlockOptions): { cjkOnly: boolean; punctuation: boolean } {
  return { cjkOnly: o.cjkOnly, punctuation: o.punctuation === true };
}

function fitCharKeys(
  texts: readonly string[],
  o: CharBlockOptions,
  tf: Parameters<typeof fitTfIdf>[1],
): TfIdf {
  const alphabet = new CharAlphabet();
  const table = new KeyTable(1 << 16);
  const keyOfId: number[] = [];
  const buffer = new KeyBuffer();
  const seq = new IdSequence();
  const docEnd = new Int32Array(texts.length + 1);
  const co = charOptions(o);
  for (let d = 0; d < texts.length; d++) {
    buffer.length = 0;
    charNgramKeys(texts[d], o.ngram[0], o.ngram[1], co, alphabet, true, buffer);
    for (let k = 0; k < buffer.length; k++) {
      const key = buffer.keys[k]!;
      const id = table.getOrSet(key, keyOfId.length);
      if (id === keyOfId.length) keyOfId.push(key);
      seq.push(id);
    }
    docEnd[d + 1] = seq.length;
  }
  return fitTfIdfSequences(
    { terms: keyOfId.length, ids: seq.ids, docEnd },
    (id) => alphabet.text(keyOfId[id]!),
    tf,
  );
}

interface CharIndex {
  readonly alphabet: CharAlphabet;
  /** Column of each 1-gram by character id (-1: not in the vocabulary): no hashing for them. */
  readonly unigrams: Int32Array;
  /** Column of each longer n-gram key. */
  readonly columns: KeyTable;
}

const CHAR_INDEXES = new WeakMap<TfIdf, CharIndex>();

/** The vocabulary's characters and n-gram keys -> columns, built once per fitted (or loaded) block. */
function charIndex(model: TfIdf): CharIndex {
  let index = CHAR_INDEXES.get(model);
  if (!index) {
    const alphabet = new CharAlphabet();
    for (const term of model.vocabulary) alphabet.learn(term);
    const keys = model.vocabulary.map((term) => alphabet.keyOf(term));
    const unigrams = new Int32Array(alphabet.size + 1).fill(-1);
    const columns = new KeyTable(model.vocabulary.length);
    keys.forEach((key, j) => {
      if (key < 0) return;
      if (key <= alphabet.size) unigrams[key] = j;
      else columns.getOrSet(key, j);
    });
    index = { alphabet, unigrams, columns };
    CHAR_INDEXES.set(model, index);
  }
  return index;
}

function transformCharKeys(model: TfIdf, texts: readonly string[], o: CharBlockOptions): Csr {
  const { alphabet, unigrams, columns } = charIndex(model);
  const rows = tfIdfRowWriter(model);
  const buffer = new KeyBuffer();
  let found = new Int32Array(1024);
  const co = charOptions(o);
  for (const text of texts) {
    buffer.length = 0;
    charNgramKeys(text, o.ngram[0], o.ngram[1], co, alphabet, false, buffer);
    if (found.length < buffer.length) found = new Int32Array(buffer.keys.length);
    let length = 0;
    for (let k = 0; k < buffer.length; k++) {
      const key = buffer.keys[k]!;
      const j = key < unigrams.length ? unigrams[key]! : columns.get(key);
      if (j >= 0) found[length++] = j;
    }
    rows.row(found, length);
  }
  return rows.finish();
}
