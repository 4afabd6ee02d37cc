import { describe, expect, it } from 'vitest';
import { CharAlphabet, charNgramKeys, KeyBuffer, KeyTable } from './char-ngram-keys.js';
import { charNgrams } from './char-ngrams.js';
import { charTerms, fitTextVectoriser, transformTexts } from './text-vectoriser.js';
import { fitTfIdf, transformTfIdf } from './tfidf.js';

const TEXTS = [
  '质量很好，物流太慢！！',
  'iphone很好用~ 但是电池不耐用',
  '很好iphone不错',
  'Great quality!!! 5/5 👍',
  'ＡＢＣ全角１２３',
  '𠀀𠀁好 (Ext-B characters)',
  '한국어 리뷰 좋아요',
  'สินค้าดีมาก',
  '!!!…',
  '',
  '太差了！！退货',
];

function keysAsText(
  text: string,
  minN: number,
  maxN: number,
  o: { cjkOnly?: boolean; punctuation?: boolean },
) {
  const alphabet = new CharAlphabet();
  const out = new KeyBuffer();
  charNgramKeys(text, minN, maxN, o, alphabet, true, out);
  return Array.from(out.keys.subarray(0, out.length), (k) => alphabet.text(k));
}

describe('charNgramKeys', () => {
  it('gives exactly the n-grams of charNgrams, in the same order, for every option', () => {
    for (const cjkOnly of [false, true]) {
      for (const punctuation of [false, true]) {
        for (const [minN, maxN] of [
          [1, 3],
          [2, 3],
          [1, 1],
          [3, 3],
        ] as const) {
          for (const t of TEXTS) {
            expect(
              keysAsText(t, minN, maxN, { cjkOnly, punctuation }),
              `${t} ${cjkOnly} ${punctuation}`,
            ).toEqual(charNgrams(t, minN, maxN, { cjkOnly, punctuation }));
          }
        }
      }
    }
  });

  it('skips n-grams with a character the alphabet does not know when it may not grow', () => {
    const alphabet = new CharAlphabet();
    alphabet.learn('质量好');
    const out = new KeyBuffer();
    charNgramKeys('质量很好', 1, 2, {}, alphabet, false, out);
    expect(Array.from(out.keys.subarray(0, out.length), (k) => alphabet.text(k))).toEqual([
      '质',
      '量',
      '好',
      '质量',
    ]);
    expect(alphabet.keyOf('质量')).toBe(out.keys[3]);
    expect(alphabet.keyOf('很')).toBe(-1);
    expect(alphabet.keyOf('质量好质')).toBe(-1); // longer than 3
  });

  it('KeyTable maps keys to values through growth', () => {
    const t = new KeyTable(4);
    for (let i = 1; i <= 5000; i++) expect(t.getOrSet(i * 131072 * 131072 + i, i)).toBe(i);
    expect(t.size).toBe(5000);
    for (let i = 1; i <= 5000; i++) expect(t.get(i * 131072 * 131072 + i)).toBe(i);
    expect(t.get(7)).toBe(-1);
    expect(t.getOrSet(131072 * 131072 * 2 + 2, 99)).toBe(2); // present: keeps its value
  });
});

describe('the text vectoriser on numeric keys', () => {
  it('fits and transforms the character block exactly as the string path does', () => {
    const o = { ngram: [1, 3] as const, cjkOnly: true, minDf: 1 };
    const { vectoriser, matrix } = fitTextVectoriser(TEXTS, { words: null, chars: o, sublinearTf: true });
    const reference = fitTfIdf(
      TEXTS.map((t) => charTerms(t, o)),
      { minDf: 1, sublinearTf: true },
    );
    expect(vectoriser.chars!.vocabulary).toEqual(reference.vocabulary);
    expect(Array.from(vectoriser.chars!.idf)).toEqual(Array.from(reference.idf));
    expect(matrix).toEqual(reference.matrix);
    const fresh = ['质量很差，物流很快', '全新的字', '𠀀好', ''];
    expect(transformTexts(vectoriser, fresh)).toEqual(
      transformTfIdf(
        reference,
        fresh.map((t) => charTerms(t, o)),
      ),
    );
  });
});
