import { describe, expect, it } from 'vitest';
import { aspectAgreement, compareAspects } from './aspect-agreement.js';
import { aspectVocabulary, aspectVocabularyByCategory, extractAspects, formatAspects } from './aspects.js';

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

describe('compareAspects (hand-counted)', () => {
  it('precision per found term, recall per reference term, polarity among the matched', () => {
    const c = compareAspects([
      // found 质量+ 物流- ; reference 质量+ 物流+ : both matched, 物流 polarity differs
      {
        found: [
          { aspect: '质量', polarity: 1 },
          { aspect: '物流', polarity: -1 },
        ],
        reference: [
          { aspect: '质量', polarity: 1 },
          { aspect: '物流', polarity: 1 },
        ],
      },
      // found Size- ; reference size- and price+ : 'Size' matches 'size' (case), price not found
      {
        found: [{ aspect: 'Size', polarity: -1 }],
        reference: [
          { aspect: 'size', polarity: -1 },
          { aspect: 'price', polarity: 1 },
        ],
      },
      // found 颜色+, nothing on the reference side
      { found: [{ aspect: '颜色', polarity: 1 }], reference: [] },
    ]);
    expect(c.overall).toEqual({
      sentences: 3,
      found: 4,
      labelled: 4,
      precision: 3 / 4,
      recall: 3 / 4,
      polarityPrecision: 2 / 4,
      matched: 3,
      polarityAgreement: 2 / 3,
    });
    const row = (a: string) => c.perAspect.find((r) => r.aspect === a);
    expect(row('size')).toEqual({
      aspect: 'size',
      found: 1,
      agreed: 1,
      precision: 1,
      samePolarity: 1,
      reference: 1,
      recalled: 1,
      recall: 1,
    });
    expect(row('物流')).toMatchObject({ found: 1, agreed: 1, samePolarity: 0, reference: 1, recalled: 1 });
    expect(row('颜色')).toMatchObject({ found: 1, agreed: 0, precision: 0, reference: 0 });
    expect(row('颜色')!.recall).toBeNaN();
    expect(row('price')).toMatchObject({ found: 0, reference: 1, recalled: 0, recall: 0 });
    // most mentioned first (2 each for 质量, 物流, size; then 1), ties by term
    expect(c.perAspect.map((r) => r.aspect)).toEqual(['size', '物流', '质量', 'price', '颜色']);
  });
});

describe('aspectVocabularyByCategory', () => {
  it('one aspect list per category, largest first, reviews without a category together', () => {
    const v = aspectVocabularyByCategory(
      ['质量很好', '质量太差', '物流慢', 'Great quality', 'poor quality'],
      ['衣服', '衣服', '衣服', null, null],
      2,
    );
    expect(v).toEqual([
      { category: '衣服', reviews: 3, aspects: [{ aspect: '质量', reviews: 2, positive: 1, negative: 1 }] },
      { category: null, reviews: 2, aspects: [{ aspect: 'quality', reviews: 2, positive: 1, negative: 1 }] },
    ]);
  });
});
