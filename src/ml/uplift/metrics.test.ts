import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  perfectQiniCurve,
  qiniAucScore,
  qiniCurve,
  upliftAtK,
  upliftAucScore,
  upliftCurve,
} from './metrics.js';

// 4 rows, every figure by hand: y = [1,0,1,0], t = [1,1,0,0], scores descending in row order.
const Y4 = [1, 0, 1, 0];
const T4 = [1, 1, 0, 0];
const U4 = [0.4, 0.3, 0.2, 0.1];

describe('uplift metrics by hand (4 rows)', () => {
  it('Qini curve: treated responders - control responders x n_T / n_C', () => {
    // k=1: 1 - 0; k=2: 1 - 0 (no control yet: ratio 0); k=3: 1 - 1 x 2/1 = -1; k=4: 1 - 1 x 2/2 = 0
    const c = qiniCurve(Y4, U4, T4);
    expect([...c.x]).toEqual([0, 1, 2, 3, 4]);
    expect([...c.y]).toEqual([0, 1, 1, -1, 0]);
  });

  it('uplift curve: (rate_T - rate_C) x targeted', () => {
    // k=1: (1 - 0) x 1; k=2: (1/2 - 0) x 2; k=3: (1/2 - 1) x 3; k=4: (1/2 - 1/2) x 4
    expect([...upliftCurve(Y4, U4, T4).y]).toEqual([0, 1, 1, -1.5, 0]);
  });

  it('perfect Qini curve and the Qini coefficient', () => {
    // oracle score y*t - y*(1-t) = [1, 0, -1, 0]: row 0, then the tie {1, 3}, then row 2
    const p = perfectQiniCurve(Y4, T4);
    expect([...p.x]).toEqual([0, 1, 3, 4]);
    expect([...p.y]).toEqual([0, 1, 1, 0]);
    // areas: model 0.5 + 1 + 0 - 0.5 = 1; perfect 0.5 + 2 + 0.5 = 3; random chord to (4, 0) = 0
    expect(qiniAucScore(Y4, U4, T4)).toBeCloseTo(1 / 3, 12);
  });

  it('uplift at k: overall needs both groups in the top; by_group takes the top of each', () => {
    expect(upliftAtK(Y4, U4, T4, 0.5, 'overall')).toBeNaN(); // top 2 are both treated
    expect(upliftAtK(Y4, U4, T4, 0.75, 'overall')).toBeCloseTo(0.5 - 1, 12); // rows 0,1,2
    expect(upliftAtK(Y4, U4, T4, 0.5, 'by_group')).toBe(0); // treated row 0 (1) - control row 2 (1)
  });

  it('tied scores form one step whatever their order', () => {
    const tied = [0.5, 0.5, 0.5, 0.5];
    const c = qiniCurve(Y4, tied, T4);
    expect([...c.x]).toEqual([0, 4]);
    expect([...c.y]).toEqual([0, 0]);
  });

  it('refuses mismatched lengths, a flag that is not 0/1, one group only, k out of range', () => {
    expect(() => qiniCurve([1, 0], [0.1], [1, 0])).toThrow(/2 outcomes but 1 uplift/);
    expect(() => qiniCurve([1, 0], [0.1, 0.2], [1, 2])).toThrow(/treatment flag 2 at row 1/);
    expect(() => qiniAucScore([1, 0], [0.1, 0.2], [1, 1])).toThrow(/both treated and control/);
    expect(() => upliftAtK(Y4, U4, T4, 0, 'overall')).toThrow(/k must be a fraction/);
    expect(() => upliftAtK(Y4, U4, T4, 1.5, 'overall')).toThrow(/k must be a fraction/);
  });
});

interface Reference {
  fixture: { y: number[]; treatment: number[]; uplift: number[] };
  qiniCurve: { x: number[]; y: number[] };
  upliftCurve: { x: number[]; y: number[] };
  perfectQiniCurve: { x: number[]; y: number[] };
  qiniAucScore: number;
  upliftAucScore: number;
  upliftAtK: Record<string, number | null>;
}

// eval/reference/uplift_metrics.py: sklift's formulas in numpy (recorded; no dataset needed).
const ref = JSON.parse(
  readFileSync(new URL('../../../eval/reference/uplift_metrics.json', import.meta.url), 'utf8'),
) as Reference;

describe('uplift metrics against scikit-uplift formulas (eval/reference/uplift_metrics.py)', () => {
  const { y, treatment: t, uplift: u } = ref.fixture;
  const close = (a: ArrayLike<number>, b: number[]): void => {
    expect(a.length).toBe(b.length);
    b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
  };

  it('curves', () => {
    close(qiniCurve(y, u, t).x, ref.qiniCurve.x);
    close(qiniCurve(y, u, t).y, ref.qiniCurve.y);
    close(upliftCurve(y, u, t).y, ref.upliftCurve.y);
    close(perfectQiniCurve(y, t).x, ref.perfectQiniCurve.x);
    close(perfectQiniCurve(y, t).y, ref.perfectQiniCurve.y);
  });

  it('Qini coefficient and uplift AUC score', () => {
    expect(qiniAucScore(y, u, t)).toBeCloseTo(ref.qiniAucScore, 12);
    expect(upliftAucScore(y, u, t)).toBeCloseTo(ref.upliftAucScore, 12);
  });

  it('uplift at k, both strategies (null = NaN: a group absent from the top)', () => {
    for (const [key, want] of Object.entries(ref.upliftAtK)) {
      const [strategy, k] = key.split('@') as ['overall' | 'by_group', string];
      const got = upliftAtK(y, u, t, Number(k), strategy);
      if (want === null) expect(got, key).toBeNaN();
      else expect(got, key).toBeCloseTo(want, 12);
    }
  });
});
