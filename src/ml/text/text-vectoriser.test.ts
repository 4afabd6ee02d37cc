import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { fitTextVectoriser, transformTexts, type TextVectoriserOptions } from './text-vectoriser.js';
import { textVectoriserFromArtifact, textVectoriserToArtifact } from './text-vectoriser-artifact.js';

const texts = ['质量很好', '质量不好', 'not good', 'very good'];

describe('fitTextVectoriser', () => {
  const options: TextVectoriserOptions = {
    words: { ngram: [1, 1], negation: true, minDf: 1 },
    chars: { ngram: [1, 2], cjkOnly: true, minDf: 1 },
    sublinearTf: false,
  };
  const { vectoriser, matrix } = fitTextVectoriser(texts, options);

  it('words block (negation marked) then chars block (Chinese only)', () => {
    // ICU words: 质量|很好, 质量|不好, not|good -> not, not_good, very|good
    expect(vectoriser.words!.vocabulary).toEqual(['good', 'not', 'not_good', 'very', '不好', '很好', '质量']);
    // chars 1-2 of 质量很好 and 质量不好; English runs are left out
    expect(vectoriser.chars!.vocabulary).toEqual([
      '不',
      '不好',
      '好',
      '很',
      '很好',
      '质',
      '质量',
      '量',
      '量不',
      '量很',
    ]);
    expect(vectoriser.cols).toBe(17);
    expect(matrix.cols).toBe(17);
  });

  it('each block has unit rows: a Chinese row has norm sqrt(2), an English one 1', () => {
    const sq = (r: number): number => {
      let s = 0;
      for (let k = matrix.indptr[r]!; k < matrix.indptr[r + 1]!; k++) s += matrix.values[k]! ** 2;
      return s;
    };
    expect(sq(0)).toBeCloseTo(2, 6);
    expect(sq(2)).toBeCloseTo(1, 6);
    // "not good": not and not_good each appear in one document of 4: equal weights 1/sqrt(2)
    const row2 = Array.from(matrix.values.subarray(matrix.indptr[2]!, matrix.indptr[3]!));
    expect(row2[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(row2[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('transform reproduces the training rows and ignores unseen terms', () => {
    const again = transformTexts(vectoriser, texts);
    expect(Array.from(again.indices)).toEqual(Array.from(matrix.indices));
    expect(Array.from(again.values)).toEqual(Array.from(matrix.values));
    const unseen = transformTexts(vectoriser, ['完全陌生', '']);
    expect(Array.from(unseen.indptr)).toEqual([0, 0, 0]);
  });

  it('round-trips through an artifact exactly', () => {
    const back = textVectoriserFromArtifact(
      decodeArtifact(encodeArtifact(textVectoriserToArtifact(vectoriser))),
    );
    expect(back.words!.vocabulary).toEqual(vectoriser.words!.vocabulary);
    expect(Array.from(back.chars!.idf)).toEqual(Array.from(vectoriser.chars!.idf));
    expect(Array.from(transformTexts(back, texts).values)).toEqual(Array.from(matrix.values));
  });

  it('refuses both blocks off', () => {
    expect(() => fitTextVectoriser(texts, { words: null, chars: null, sublinearTf: false })).toThrow(
      /both blocks/,
    );
  });
});
