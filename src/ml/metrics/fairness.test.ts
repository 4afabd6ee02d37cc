import { describe, expect, it } from 'vitest';
import { fairnessReport } from './fairness.js';

/**
 * A hand-made case, rows of the two groups interleaved, threshold 0.5:
 *   group a (code 0): 10 rows, 3 positives scored 0.9, 0.8, 0.3; 7 negatives 0.7, 0.2, 0.2, 0.1 x4.
 *     flagged (>= 0.5): 0.9, 0.8 (positives), 0.7 (negative) -> 3, positive rate 3/10 = 0.3;
 *     true positives 2 -> TPR 2/3; ROC-AUC: 0.9 and 0.8 beat all 7 negatives, 0.3 beats 6 -> 20/21.
 *   group b (code 1): 20 rows, 4 positives 0.6, 0.4, 0.3, 0.2; 16 negatives 0.9, 0.8, 0.7, 0.55,
 *     0.1 x12. flagged: 0.6 (positive) and the four negatives >= 0.55 -> 5, rate 5/20 = 0.25;
 *     true positives 1 -> TPR 1/4; ROC-AUC: 0.6 beats 13 negatives, 0.4, 0.3, 0.2 beat 12 -> 49/64.
 *   b is the larger group, so the reference: parity difference 0.3 - 0.25 = 0.05, equal
 *   opportunity 2/3 - 1/4 = 5/12.
 */
const A = {
  labels: [1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
  scores: [0.9, 0.8, 0.3, 0.7, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1],
};
const B = {
  labels: [1, 1, 1, 1, ...Array<number>(16).fill(0)],
  scores: [0.6, 0.4, 0.3, 0.2, 0.9, 0.8, 0.7, 0.55, ...Array<number>(12).fill(0.1)],
};
function interleaved(): { labels: number[]; scores: number[]; group: number[] } {
  const out = { labels: [] as number[], scores: [] as number[], group: [] as number[] };
  for (let i = 0; i < 20; i++) {
    for (const [g, part] of [
      [0, A],
      [1, B],
    ] as const) {
      if (i >= part.labels.length) continue;
      out.labels.push(part.labels[i]!);
      out.scores.push(part.scores[i]!);
      out.group.push(g);
    }
  }
  return out;
}

describe('fairnessReport', () => {
  const d = interleaved();
  const r = fairnessReport(d.labels, d.scores, d.group, ['a', 'b', 'empty'], { threshold: 0.5 });

  it('counts each group as worked out by hand', () => {
    expect(r.reference).toBe('b');
    expect(r.groups.map((g) => g.group)).toEqual(['a', 'b']); // 'empty' has no rows
    const [a, b] = r.groups;
    expect(a).toMatchObject({ n: 10, positives: 3, flagged: 3, positiveRate: 0.3, truePositives: 2 });
    expect(a!.truePositiveRate).toBeCloseTo(2 / 3, 15);
    expect(a!.rocAuc).toBeCloseTo(20 / 21, 15);
    expect(b).toMatchObject({ n: 20, positives: 4, flagged: 5, positiveRate: 0.25, truePositives: 1 });
    expect(b!.truePositiveRate).toBe(0.25);
    expect(b!.rocAuc).toBeCloseTo(49 / 64, 15);
  });

  it('gives the differences against the reference with their intervals', () => {
    expect(r.gaps.length).toBe(1);
    const g = r.gaps[0]!;
    expect(g).toMatchObject({ group: 'a', reference: 'b' });
    expect(g.demographicParity!.difference).toBeCloseTo(0.05, 15);
    expect(g.equalOpportunity!.difference).toBeCloseTo(5 / 12, 15);
    // statsmodels confint_proportions_2indep(3, 10, 5, 20, method='newcomb') and (2, 3, 1, 4).
    expect(g.demographicParity!.ci[0]).toBeCloseTo(-0.24116021492725442, 12);
    expect(g.demographicParity!.ci[1]).toBeCloseTo(0.3832051641182649, 12);
    expect(g.equalOpportunity!.ci[0]).toBeCloseTo(-0.22568077837486666, 12);
    expect(g.equalOpportunity!.ci[1]).toBeCloseTo(0.7567876870495462, 12);
    expect(r.confidence).toBe(0.95);
  });

  it('uses the named reference and leaves undefined gaps null', () => {
    const named = fairnessReport(d.labels, d.scores, d.group, ['a', 'b'], { threshold: 0.5, reference: 'a' });
    expect(named.gaps[0]!.group).toBe('b');
    expect(named.gaps[0]!.demographicParity!.difference).toBeCloseTo(-0.05, 15);
    // A group without positives: no TPR, no ROC-AUC, no equal-opportunity gap.
    const none = fairnessReport([1, 0, 0, 0], [0.9, 0.4, 0.1, 0.2], [0, 0, 1, 1], ['x', 'y'], {
      threshold: 0.5,
      reference: 'x',
    });
    expect(none.groups[1]).toMatchObject({ n: 2, positives: 0, flagged: 0, truePositiveRate: null });
    expect(Number.isNaN(none.groups[1]!.rocAuc)).toBe(true);
    expect(none.gaps[0]!.equalOpportunity).toBeNull();
    expect(none.gaps[0]!.demographicParity!.difference).toBe(-0.5);
  });

  it('refuses inputs that do not line up', () => {
    expect(() => fairnessReport([1, 0], [0.1], [0, 0], ['a'], { threshold: 0.5 })).toThrow(
      /2 labels, 1 scores/,
    );
    expect(() => fairnessReport([1, 0], [0.1, 0.2], [0, 2], ['a'], { threshold: 0.5 })).toThrow(
      /row 1 has group code 2/,
    );
    expect(() => fairnessReport([1], [0.1], [0], ['a'], { threshold: 0.5, reference: 'z' })).toThrow(
      /reference group 'z' has no rows/,
    );
  });
});
