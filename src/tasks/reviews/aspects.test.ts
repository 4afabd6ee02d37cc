import { describe, expect, it } from 'vitest';
import { aspectAgreement, aspectVocabulary, extractAspects, formatAspects } from './aspects.js';

const pairs = (text: string): [string, number][] => extractAspects(text).map((m) => [m.aspect, m.polarity]);

describe('extractAspects, Chinese', () => {
  it('noun before an opinion word in its clause, degree words stripped, negation flips', () => {
    expect(pairs('质量很好，物流太慢')).toEqual([
      ['质量', 1],
      ['物流', -1],
    ]);
    // ICU splits 尺|码|偏|小 and 发|货|慢 into characters: joined back into one unit
    expect(pairs('衣服尺码偏小，颜色很漂亮')).toEqual([
      ['尺码', -1],
      ['颜色', 1],
    ]);
    expect(pairs('客服态度差，发货慢')).toEqual([
      ['态度', -1],
      ['发货', -1],
    ]);
    expect(pairs('屏幕很清晰，电池不耐用')).toEqual([
      ['屏幕', 1],
      ['电池', -1],
    ]);
  });
  it('no opinion word, no aspect', () => {
    expect(pairs('我昨天买了一件衣服')).toEqual([]);
  });
});

describe('extractAspects, English', () => {
  it('opinion before a noun, noun before an opinion verb, noun + copula + opinion', () => {
    expect(pairs('Great quality but the zipper broke')).toEqual([
      ['quality', 1],
      ['zipper', -1],
    ]);
    expect(pairs('The fabric is very thin. Love the color!')).toEqual([
      ['fabric', -1],
      ['color', 1],
    ]);
    expect(pairs('Sizing runs small and the material is not soft')).toEqual([
      ['sizing', -1],
      ['material', -1],
    ]);
  });
  it('mixed text gets both', () => {
    expect(pairs('质量很好 but slow delivery')).toEqual([
      ['质量', 1],
      ['delivery', -1],
    ]);
  });
});

describe('aspectAgreement (hand-counted)', () => {
  it('precision over found, recall over labelled, containment matches', () => {
    // found: 质量+, 物流- ; labelled: 质量+, 物流+ (polarity differs), 价格
    const a = aspectAgreement([
      {
        text: '质量很好，物流太慢',
        aspects: [
          ['质量', 1],
          ['物流', 1],
          ['价格', 1],
        ],
      },
      { text: 'Great quality', aspects: [['Quality', 1]] },
    ]);
    expect(a).toEqual({
      sentences: 2,
      found: 3,
      labelled: 4,
      precision: 1,
      recall: 0.75,
      polarityPrecision: 2 / 3,
    });
  });
});

describe('aspectVocabulary and formatAspects', () => {
  it('keeps aspects of at least minCount reviews, most mentioned first', () => {
    const v = aspectVocabulary(['质量很好', '质量太差', '质量不错，物流快', '物流慢'], 2);
    expect(v).toEqual([
      { aspect: '质量', reviews: 3, positive: 2, negative: 1 },
      { aspect: '物流', reviews: 2, positive: 1, negative: 1 },
    ]);
    expect(formatAspects(extractAspects('质量很好，物流太慢'))).toBe('质量:+;物流:-');
  });
});
