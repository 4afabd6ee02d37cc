import { describe, expect, it } from 'vitest';
import type { ScoredReviews } from '../../warehouse/review-scores-store.js';
import { monthsBefore, reviewInsight, sentenceWith } from './insight.js';

interface Row {
  product: string | null;
  text: string;
  at: string | null;
  /** p(positive); null = cannot score. */
  p: number | null;
  model?: string | null;
  rating?: number;
  aspects?: [string, 1 | -1][];
}

/** ScoredReviews as the reader gives them: ordered by time, undated last. */
function scored(rows: Row[]): ScoredReviews {
  const sorted = [...rows].sort((a, b) =>
    a.at === b.at ? 0 : a.at === null ? 1 : b.at === null ? -1 : a.at < b.at ? -1 : 1,
  );
  const n = sorted.length;
  const createdAt = new Float64Array(n);
  const rating = new Float64Array(n);
  const probability = new Float64Array(n);
  sorted.forEach((r, i) => {
    createdAt[i] = r.at === null ? NaN : Date.parse(`${r.at}T12:00:00Z`);
    rating[i] = r.rating ?? NaN;
    probability[i] = r.p ?? NaN;
  });
  const aspectsJson = (r: Row): string | null =>
    r.model === null
      ? null
      : JSON.stringify((r.aspects ?? []).map(([aspect, polarity]) => ({ aspect, polarity, opinion: 'x' })));
  const title = (r: Row): string | null => (r.product === 'P1' ? 'Mug' : r.product === null ? null : 'Plate');
  const result: ScoredReviews = {
    reviewId: sorted.map((_, i) => `r${i}`),
    productId: sorted.map((r) => r.product),
    title: sorted.map(title),
    category: sorted.map(() => 'Kitchen'),
    text: sorted.map((r) => r.text),
    createdAt,
    rating,
    modelId: sorted.map((r) => (r.model === undefined ? 'sentiment@1' : r.model)),
    probability,
    reason: sorted.map((r) => (r.p === null ? 'empty text' : null)),
    aspects: sorted.map(aspectsJson),
    length: n,
  };
  return result;
}

const POS = 0.9;
const NEG = 0.1;
const times = <T>(n: number, f: (k: number) => T): T[] => Array.from({ length: n }, (_, k) => f(k));

/**
 * P1 (Mug): 40 reviews in 2024-02, 8 negative (2 of them about size; 8 positive ones praise the
 * size); 20 in 2024-04, 12 negative about size, 8 positive praising the colour (3 of them the size
 * too); one negative in 2023-12 (four months before April: outside the comparison).
 * P2 (Plate): 10 in 2024-03 (1 negative), 5 in 2024-04 (1 negative).
 * Beside them: one undated positive review, one that cannot be scored, one not scored yet.
 */
function store(): ScoredReviews {
  return scored([
    ...times<Row>(40, (k) => ({
      product: 'P1',
      text:
        k < 2
          ? `The size was odd ${k}. Meh`
          : k < 8
            ? `Chipped ${k}`
            : k < 16
              ? `Good size ${k}`
              : `Fine ${k}`,
      at: '2024-02-10',
      p: k < 8 ? NEG : POS,
      rating: k < 8 ? 1 : 5,
      aspects: k < 2 ? [['size', -1]] : k >= 8 && k < 16 ? [['size', 1]] : [],
    })),
    ...times<Row>(20, (k) => ({
      product: 'P1',
      text: k < 12 ? `The size was too small ${k}. Sad` : `Love the colour ${k}! Size ok`,
      at: `2024-04-${String(k + 1).padStart(2, '0')}`,
      p: k < 12 ? NEG : POS,
      aspects: (k < 12
        ? [['size', -1]]
        : k < 15
          ? [
              ['colour', 1],
              ['size', 1],
            ]
          : [['colour', 1]]) as [string, 1 | -1][],
    })),
    { product: 'P1', text: 'Broke', at: '2023-12-01', p: NEG },
    ...times<Row>(10, (k) => ({ product: 'P2', text: `Plate ${k}`, at: '2024-03-05', p: k < 1 ? NEG : POS })),
    ...times<Row>(5, (k) => ({ product: 'P2', text: `Plate ${k}`, at: '2024-04-05', p: k < 1 ? NEG : POS })),
    { product: 'P2', text: 'Nice plate', at: null, p: POS },
    { product: 'P2', text: '😀', at: '2024-04-06', p: null },
    { product: 'P2', text: 'New one', at: '2024-04-07', p: null, model: null },
  ]);
}

describe('reviewInsight (hand-counted store above)', () => {
  const i = reviewInsight(store(), { scope: {} });

  it('counts scored, cannot-score and unscored reviews and the sentiment shares', () => {
    expect(i.reviews).toBe(79);
    expect(i.scored).toBe(77); // 40 + 20 + 1 + 10 + 5 + 1
    expect(i.cannotScore).toBe(1);
    expect(i.unscored).toBe(1);
    expect(i.models).toEqual({ 'sentiment@1': 78 });
    expect(i.sentiment).toEqual({ reviews: 77, positive: 54, negative: 23, negativeShare: 23 / 77 });
    expect(i.averageRating).toBe((8 * 1 + 32 * 5) / 40); // only the February reviews have stars
  });

  it('splits the shares by month (undated reviews left out)', () => {
    expect(i.months).toEqual([
      { month: '2023-12', reviews: 1, positive: 0, negative: 1, negativeShare: 1 },
      { month: '2024-02', reviews: 40, positive: 32, negative: 8, negativeShare: 0.2 },
      { month: '2024-03', reviews: 10, positive: 9, negative: 1, negativeShare: 0.1 },
      { month: '2024-04', reviews: 25, positive: 12, negative: 13, negativeShare: 13 / 25 },
    ]);
  });

  it('ranks aspects by reviews, with mentions by polarity and the newest example sentences', () => {
    expect(i.aspects.map((a) => [a.aspect, a.reviews, a.positive, a.negative])).toEqual([
      ['size', 25, 11, 14], // February 2 - and 8 +, April 12 - and 3 +
      ['colour', 8, 8, 0],
    ]);
    expect(i.aspects[0]!.negativeShare).toBe(14 / 25);
    expect(i.aspects[0]!.examples).toEqual({
      // Newest first; April's three positive size mentions share one sentence, kept once.
      positive: ['Size ok', 'Good size 15'],
      negative: ['The size was too small 11', 'The size was too small 10'],
    });
    expect(i.aspects[1]!.examples.positive).toEqual(['Love the colour 19', 'Love the colour 18']);
  });

  it('finds the aspect that turned negative in the latest month against the three before', () => {
    expect(i.comparison.month).toBe('2024-04');
    expect(i.comparison.before).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(i.comparison.turnedNegative).toEqual([
      {
        aspect: 'size',
        month: { mentions: 15, negative: 12, negativeShare: 0.8 },
        before: { mentions: 10, negative: 2, negativeShare: 0.2 },
      },
    ]);
  });

  it('flags the product whose negative share rose by the two-proportion z-test (alpha 0.05)', () => {
    const [p1, p2] = i.comparison.products;
    expect(i.comparison.rising).toEqual(['P1']);
    expect(p1).toMatchObject({
      productId: 'P1',
      title: 'Mug',
      month: { reviews: 20, negative: 12 },
      before: { reviews: 40, negative: 8 }, // the December review is outside the three months
      verdict: 'higher',
    });
    // pooled 20/60, se = sqrt(1/3 * 2/3 * (1/40 + 1/20)) = 0.129099, z = 0.4 / se = 3.09839,
    // p = erfc(z / sqrt 2) = 0.0019458 (Python's math.erfc); MDE at 80% power 0.3617 < 0.4.
    expect(p1!.difference).toBeCloseTo(0.4, 12);
    expect(p1!.pValue).toBeCloseTo(0.0019458, 6);
    expect(p1!.reason).toBe('negative share up 40% (p = 0.00195 < 0.05)');
    // P2: 1 negative in each period, fewer than 5: too small to tell, saying why.
    expect(p2).toMatchObject({ productId: 'P2', verdict: 'too_small' });
    expect(p2!.reason).toContain('the three months before has 1 negative reviews');
  });

  it('compares another month when asked, and refuses a malformed one', () => {
    const feb = reviewInsight(store(), { scope: {}, month: '2024-02' });
    expect(feb.comparison.before).toEqual(['2023-11', '2023-12', '2024-01']);
    expect(feb.comparison.turnedNegative).toEqual([]); // size: 2 of 10 negative in February
    expect(feb.comparison.products.map((p) => p.productId)).toEqual(['P1']);
    expect(() => reviewInsight(store(), { scope: {}, month: '2024-13' })).toThrow(
      "month: expected YYYY-MM, got '2024-13'",
    );
  });
});

describe('helpers', () => {
  it('monthsBefore crosses the year', () => {
    expect(monthsBefore('2024-01', 3)).toEqual(['2023-10', '2023-11', '2023-12']);
  });
  it('sentenceWith finds the sentence naming the aspect, in Chinese and English', () => {
    expect(sentenceWith('物流很快。尺码偏小，建议买大一号！', '尺码')).toBe('尺码偏小，建议买大一号');
    expect(sentenceWith('Great mug. The handle broke after a week', 'handle')).toBe(
      'The handle broke after a week',
    );
    expect(sentenceWith('Great mug', 'handle')).toBeNull();
  });
});
