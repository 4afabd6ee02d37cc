import { describe, expect, it } from 'vitest';
import { segmentWords, spacedWords, wordNgrams } from './segment.js';

describe('segmentWords (ICU, zh locale)', () => {
  it('splits Chinese into dictionary words and drops punctuation', () => {
    // ICU 74 (Node 20): the words below, checked by hand against the sentence.
    expect(segmentWords('这个手机电池不耐用，屏幕很清晰，物流太慢了')).toEqual([
      '这个',
      '手机',
      '电池',
      '不',
      '耐用',
      '屏幕',
      '很',
      '清晰',
      '物流',
      '太慢',
      '了',
    ]);
  });

  it('handles English and mixed text in one pass, NFKC and lower case', () => {
    expect(segmentWords('Great PRICE, ＦＡＳＴ delivery! 尺码偏小')).toEqual([
      'great',
      'price',
      'fast',
      'delivery',
      '尺',
      '码',
      '偏',
      '小',
    ]);
  });

  it('keeps contractions whole, drops emoji, keeps numbers', () => {
    expect(segmentWords("Doesn't fit 😀😀 size 3.5")).toEqual(["doesn't", 'fit', 'size', '3.5']);
    expect(segmentWords('😀🔥👍')).toEqual([]);
    expect(segmentWords('')).toEqual([]);
    expect(segmentWords(null)).toEqual([]);
  });
});

describe('segmentWords with negation', () => {
  it('English: up to 3 words after a negator, stopped by punctuation or a contrast word', () => {
    expect(segmentWords('It is not good at all, but cheap', { negation: true })).toEqual([
      'it',
      'is',
      'not',
      'not_good',
      'not_at',
      'not_all',
      'but',
      'cheap',
    ]);
    expect(segmentWords("I didn't like it but the colour is nice", { negation: true })).toEqual([
      'i',
      "didn't",
      'not_like',
      'not_it',
      'but',
      'the',
      'colour',
      'is',
      'nice',
    ]);
    expect(segmentWords('never again. great seller', { negation: true })).toEqual([
      'never',
      'not_again',
      'great',
      'seller',
    ]);
  });

  it('Chinese: 2 words after a negator word (or one ending in 不/没/无...), stopped by punctuation', () => {
    // ICU gives 我不|喜欢|这个|颜色 and 没有|想象|中的|好
    expect(segmentWords('我不喜欢这个颜色', { negation: true })).toEqual([
      '我不',
      'not_喜欢',
      'not_这个',
      '颜色',
    ]);
    expect(segmentWords('没有想象中的好', { negation: true })).toEqual([
      '没有',
      'not_想象',
      'not_中的',
      '好',
    ]);
    expect(segmentWords('电池不，耐用', { negation: true })).toEqual(['电池', '不', '耐用']);
  });
});

describe('wordNgrams', () => {
  it('unigrams then bigrams joined by a space', () => {
    expect(wordNgrams(['too', 'small', 'sadly'], 1, 2)).toEqual([
      'too',
      'small',
      'sadly',
      'too small',
      'small sadly',
    ]);
    expect(wordNgrams(['a'], 2, 2)).toEqual([]);
  });
});

describe('spacedWords (the fast path for spaced scripts)', () => {
  it('same words and negation as ICU on English, Chinese runs dropped as clause breaks', () => {
    const text = "It is not good at all, but cheap. Didn't fit 尺码偏小 nice 3.5 stars";
    expect(spacedWords(text, { negation: true })).toEqual([
      'it',
      'is',
      'not',
      'not_good',
      'not_at',
      'not_all',
      'but',
      'cheap',
      "didn't",
      'not_fit',
      'nice',
      '3.5',
      'stars',
    ]);
    expect(spacedWords('Great PRICE, ＦＡＳＴ 😀 delivery')).toEqual(['great', 'price', 'fast', 'delivery']);
    expect(spacedWords('')).toEqual([]);
  });
});
