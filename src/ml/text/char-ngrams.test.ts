import { describe, expect, it } from 'vitest';
import { charNgrams } from './char-ngrams.js';

describe('charNgrams', () => {
  it('1-3 grams inside runs, never across punctuation', () => {
    expect(charNgrams('不好，很好', 1, 2)).toEqual(['不', '好', '不好', '很', '好', '很好']);
    expect(charNgrams('质量好', 1, 3)).toEqual(['质', '量', '好', '质量', '量好', '质量好']);
  });

  it('counts code points: an astral character is one character', () => {
    // U+20BB7 𠮷 is outside the BMP (two UTF-16 units).
    expect(charNgrams('𠮷野', 2, 2)).toEqual(['𠮷野']);
  });

  it('cjkOnly keeps Chinese, Japanese, Korean runs and drops Latin ones', () => {
    expect(charNgrams('iPhone很好 great', 1, 2, { cjkOnly: true })).toEqual(['很', '好', '很好']);
    expect(charNgrams('좋아요', 2, 2, { cjkOnly: true })).toEqual(['좋아', '아요']);
    expect(charNgrams('great', 2, 2)).toEqual(['gr', 're', 'ea', 'at']);
  });

  it('empty, emoji-only and a bad range', () => {
    expect(charNgrams('', 1, 3)).toEqual([]);
    expect(charNgrams('😀👍', 1, 3)).toEqual([]);
    expect(() => charNgrams('x', 2, 1)).toThrow(/minN <= maxN/);
  });
});

describe('charNgrams with punctuation', () => {
  it('keeps punctuation and symbols inside runs, spaces still split', () => {
    // NFKC turns the full-width ！ into !
    expect(charNgrams('太差了！！ ok', 2, 3, { punctuation: true })).toEqual([
      '太差',
      '差了',
      '了!',
      '!!',
      '太差了',
      '差了!',
      '了!!',
      'ok',
    ]);
    expect(charNgrams('很好👍 great!', 2, 2, { cjkOnly: true, punctuation: true })).toEqual(['很好', '好👍']);
  });
});
