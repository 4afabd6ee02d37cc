import { describe, expect, it } from 'vitest';
import { fitTfIdf, transformTfIdf } from './tfidf.js';
import { tokenise } from './tokenise.js';

describe('fitTfIdf, hand-computed', () => {
  // d0 "red mug", d1 "red candle", d2 "blue mug mug", d3 "" ; n = 4
  // df: red 2, mug 2, candle 1, blue 1
  // idf = ln((1+n)/(1+df)) + 1: red = mug = ln(5/3) + 1 = 1.5108256; candle = blue = ln(5/2) + 1 = 1.9162907
  // d0: red, mug equal weights -> 1/sqrt(2) each
  // d1: candle 1.9162907, red 1.5108256, norm 2.4402385 -> candle 0.7852883, red 0.6191303
  // d2: blue 1.9162907, mug 2 x 1.5108256 = 3.0216512, norm 3.5780652 -> blue 0.5355663, mug 0.8444932
  // cos(d0, d1) = red: 0.7071068 x 0.6191303 = 0.4377912; cos(d0, d2) = mug: 0.7071068 x 0.8444932 = 0.5971469
  // cos(d1, d2) = 0 (no shared term)
  const model = fitTfIdf([['red', 'mug'], ['red', 'candle'], ['blue', 'mug', 'mug'], []]);

  it('smooth idf, raw counts, unit rows', () => {
    expect(model.vocabulary).toEqual(['blue', 'candle', 'mug', 'red']);
    expect(model.idf[3]).toBeCloseTo(Math.log(5 / 3) + 1, 12);
    expect(model.idf[0]).toBeCloseTo(Math.log(5 / 2) + 1, 12);
    const m = model.matrix;
    expect(Array.from(m.indptr)).toEqual([0, 2, 4, 6, 6]);
    expect(Array.from(m.indices)).toEqual([2, 3, 1, 3, 0, 2]);
    const want = [Math.SQRT1_2, Math.SQRT1_2, 0.7852882757, 0.6191302965, 0.5355662725, 0.8444932017];
    Array.from(m.values).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });
});

describe('against scikit-learn 1.2.1 TfidfVectorizer (defaults, same tokens)', () => {
  // Eight Online Retail titles. Reference: TfidfVectorizer(analyzer=str.split) on the tokens below,
  // cosine = X @ X.T; figures recorded from that run.
  const titles = [
    'WHITE HANGING HEART T-LIGHT HOLDER',
    'WHITE METAL LANTERN',
    'CREAM CUPID HEARTS COAT HANGER',
    'KNITTED UNION FLAG HOT WATER BOTTLE',
    'RED WOOLLY HOTTIE WHITE HEART.',
    'SET 7 BABUSHKA NESTING BOXES',
    'GLASS STAR FROSTED T-LIGHT HOLDER',
    'HAND WARMER UNION JACK',
  ];
  const model = fitTfIdf(titles.map((t) => tokenise(t)));

  it('idf and a row match', () => {
    expect(model.vocabulary.length).toBe(33);
    expect(model.idf[model.vocabulary.indexOf('light')]).toBeCloseTo(2.0986122886681096, 12);
    expect(model.idf[model.vocabulary.indexOf('white')]).toBeCloseTo(1.8109302162163288, 12);
    const row0 = new Map<string, number>();
    for (let a = model.matrix.indptr[0]!; a < model.matrix.indptr[1]!; a++) {
      row0.set(model.vocabulary[model.matrix.indices[a]!]!, model.matrix.values[a]!);
    }
    const sk0 = {
      white: 0.347444,
      hanging: 0.48043,
      heart: 0.402638,
      t: 0.402638,
      light: 0.402638,
      holder: 0.402638,
    };
    for (const [term, w] of Object.entries(sk0)) expect(row0.get(term)).toBeCloseTo(w, 5);
  });
});

describe('transformTfIdf, sublinear tf, minDf, maxFeatures (hand-computed)', () => {
  // Same corpus as above: idf(red) = idf(mug) = ln(5/3) + 1, idf(candle) = idf(blue) = ln(5/2) + 1.
  const docs = [['red', 'mug'], ['red', 'candle'], ['blue', 'mug', 'mug'], []];

  it('new documents get rows in the fitted columns; unknown terms are ignored', () => {
    const model = fitTfIdf(docs);
    const rows = transformTfIdf(model, [['mug', 'lamp', 'candle'], ['lamp'], ['red', 'red']]);
    expect(rows.cols).toBe(4);
    expect(Array.from(rows.indptr)).toEqual([0, 2, 2, 3]);
    expect(Array.from(rows.indices)).toEqual([1, 2, 3]);
    // mug 1.5108256, candle 1.9162907, norm 2.4402385
    expect(rows.values[0]).toBeCloseTo(0.7852883, 6); // candle
    expect(rows.values[1]).toBeCloseTo(0.6191303, 6); // mug
    expect(rows.values[2]).toBeCloseTo(1, 12); // red alone
    // Transforming the training documents gives the fitted matrix back.
    expect(Array.from(transformTfIdf(model, docs).values)).toEqual(Array.from(model.matrix.values));
  });

  it('sublinear tf = 1 + ln(count)', () => {
    // d2: blue 1 x 1.9162907; mug (1 + ln 2) x 1.5108256 = 2.5580406; norm 3.1962
    const model = fitTfIdf(docs, { sublinearTf: true });
    const r = model.matrix;
    const blue = 1.9162907319;
    const mug = (1 + Math.LN2) * 1.5108256238;
    const norm = Math.hypot(blue, mug);
    expect(r.values[4]).toBeCloseTo(blue / norm, 6);
    expect(r.values[5]).toBeCloseTo(mug / norm, 6);
    expect(transformTfIdf(model, [['mug', 'mug', 'blue']]).values[1]).toBeCloseTo(mug / norm, 6);
  });

  it('minDf drops rare terms; maxFeatures keeps the most frequent (ties by term)', () => {
    expect(fitTfIdf(docs, { minDf: 2 }).vocabulary).toEqual(['mug', 'red']);
    // totals: mug 3, red 2, blue 1, candle 1
    expect(fitTfIdf(docs, { maxFeatures: 3 }).vocabulary).toEqual(['blue', 'mug', 'red']);
  });
});
