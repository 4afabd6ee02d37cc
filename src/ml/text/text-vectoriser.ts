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
import { charNgrams } from './char-ngrams.js';
import { segmentWords, spacedWords, wordNgrams } from './segment.js';
import { fitTfIdf, transformTfIdf, type TfIdf } from './tfidf.js';

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
    chars = fitTfIdf(
      texts.map((t) => charTerms(t, o)),
      { minDf: o.minDf, maxFeatures: o.maxFeatures, sublinearTf: options.sublinearTf },
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
    ? transformTfIdf(
        v.chars!,
        texts.map((t) => charTerms(t, c)),
      )
    : null;
  return wordRows && charRows ? hstack(wordRows, charRows) : (wordRows ?? charRows)!;
}
