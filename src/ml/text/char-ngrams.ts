/**
 * @module ml/text/char-ngrams
 * Character n-grams: the feature that needs no word boundaries, which is why it carries Chinese
 * sentiment best (a TF-IDF of character 1-3 grams + logistic regression is the usual strong
 * baseline on Chinese reviews). Text is NFKC-normalised and lower-cased; n-grams are taken inside
 * each maximal run of letters or digits (counted in code points), never across punctuation, space
 * or emoji, so "不好，很好" gives "不好" and "很好" but not "好很".
 *
 * `cjkOnly` keeps only runs written in scripts without spaces between words (Han, Hiragana,
 * Katakana, Hangul, Thai): Latin text is better served by its words, and its character n-grams
 * would triple the features of an English review for little gain.
 *
 * @example
 *   charNgrams('质量好', 1, 2); // ['质', '量', '好', '质量', '量好']
 */

export interface CharNgramOptions {
  /** Only runs in space-less scripts (see the module comment). Default false. */
  readonly cjkOnly?: boolean;
  /**
   * Punctuation and symbols (！, ~, emoji) belong to runs too, as in scikit-learn's `char` analyser:
   * "太差了！！" gives "了！！". Default false (letters and digits only).
   */
  readonly punctuation?: boolean;
}

const RUN = /[\p{L}\p{N}]+/gu;
const RUN_WITH_PUNCTUATION = /[\p{L}\p{N}\p{P}\p{S}]+/gu;
const MARK = /[\p{P}\p{S}]/u;
const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

export function charNgrams(
  text: string | null | undefined,
  minN: number,
  maxN: number,
  options: CharNgramOptions = {},
): string[] {
  if (!(minN >= 1 && maxN >= minN))
    throw new RangeError(`charNgrams: need 1 <= minN <= maxN (got ${minN}, ${maxN})`);
  if (!text) return [];
  const clean = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  const cjkOnly = options.cjkOnly === true;
  const punctuation = options.punctuation === true;
  for (const m of clean.matchAll(punctuation ? RUN_WITH_PUNCTUATION : RUN)) {
    let run = m[0];
    if (cjkOnly) {
      // A run may mix scripts ("iphone很好"): keep only its space-less characters (and marks), in order.
      if (!SPACELESS.test(run)) continue;
      run = [...run].filter((c) => SPACELESS.test(c) || (punctuation && MARK.test(c))).join('');
    }
    // Code points, so a character outside the BMP is one character.
    const chars = run.length === [...run].length ? null : [...run];
    const len = chars ? chars.length : run.length;
    for (let n = minN; n <= maxN; n++) {
      for (let i = 0; i + n <= len; i++)
        out.push(chars ? chars.slice(i, i + n).join('') : run.slice(i, i + n));
    }
  }
  return out;
}
