import { describe, expect, it } from 'vitest';
import { CosineNeighbours } from './cosine-neighbours.js';
import { fitTfIdf } from './tfidf.js';
import { tokenise } from './tokenise.js';

describe('CosineNeighbours, hand-computed', () => {
  // d0 "red mug", d1 "red candle", d2 "blue mug mug", d3 "" ; n = 4
  // df: red 2, mug 2, candle 1, blue 1
  // idf = ln((1+n)/(1+df)) + 1: red = mug = ln(5/3) + 1 = 1.5108256; candle = blue = ln(5/2) + 1 = 1.9162907
  // d0: red, mug equal weights -> 1/sqrt(2) each
  // d1: candle 1.9162907, red 1.5108256, norm 2.4402385 -> candle 0.7852883, red 0.6191303
  // d2: blue 1.9162907, mug 2 x 1.5108256 = 3.0216512, norm 3.5780652 -> blue 0.5355663, mug 0.8444932
  // cos(d0, d1) = red: 0.7071068 x 0.6191303 = 0.4377912; cos(d0, d2) = mug: 0.7071068 x 0.8444932 = 0.5971469
  // cos(d1, d2) = 0 (no shared term)
  const model = fitTfIdf([['red', 'mug'], ['red', 'candle'], ['blue', 'mug', 'mug'], []]);

  it('neighbours by cosine, best first, self and zero-similarity rows left out', () => {
    const nn = new CosineNeighbours(model.matrix);
    const q0 = nn.query(0, 5);
    expect(Array.from(q0.indices)).toEqual([2, 1]);
    expect(q0.scores[0]).toBeCloseTo(0.5971468696, 6);
    expect(q0.scores[1]).toBeCloseTo(0.4377912311, 6);
    expect(Array.from(nn.query(1, 5).indices)).toEqual([0]);
    expect(nn.query(3, 5).indices.length).toBe(0); // an empty text has no neighbours
    expect(Array.from(nn.query(0, 1).indices)).toEqual([2]);
    // Only rows allowed by the mask are returned (e.g. products that have sales).
    expect(Array.from(nn.query(0, 5, Uint8Array.of(1, 1, 0, 1)).indices)).toEqual([1]);
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

  it('every neighbour list matches', () => {
    const nn = new CosineNeighbours(model.matrix);
    const sk: [number, number][][] = [
      [
        [6, 0.447953],
        [4, 0.286397],
        [1, 0.15819],
      ],
      [
        [4, 0.160183],
        [0, 0.15819],
      ],
      [],
      [[7, 0.152862]],
      [
        [0, 0.286397],
        [1, 0.160183],
      ],
      [],
      [[0, 0.447953]],
      [[3, 0.152862]],
    ];
    sk.forEach((want, row) => {
      const got = nn.query(row, 3);
      expect(Array.from(got.indices)).toEqual(want.map(([j]) => j));
      want.forEach(([, s], i) => expect(got.scores[i]).toBeCloseTo(s, 5));
    });
  });
});
