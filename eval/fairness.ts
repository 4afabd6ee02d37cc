/**
 * Issue 17, fairness reports in the eval: a classifier's fairness report (src/ml/metrics/fairness.ts)
 * as a markdown table, and checks with known answers that a suite adds to its own. Report, never
 * reweight: nothing here is asserted about how fair a model is, only that the figures are right:
 *   - each group's n, positives, flagged count and true positives equal a count made here, row by
 *     row, from the labels, scores and raw group values (independent of the report's code);
 *   - each demographic-parity (equal-opportunity) difference equals the difference of the two
 *     groups' counted positive rates (TPRs);
 *   - each interval contains its point estimate and its bounds equal Newcombe's hybrid score
 *     formula recomputed here from Wilson intervals written out in full.
 */
import { AGE_BANDS, type Grouping } from '../src/features/fairness-groups.js';
import { fairnessReport, type FairnessReport } from '../src/ml/metrics/fairness.js';
import { normalQuantile } from '../src/ml/special/normal.js';
import { equals, holds, type Check } from './check.js';

export interface FairnessInputs {
  readonly labels: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  /** The raw attribute value of each row (the grouping's input), for the independent count. */
  readonly raw: readonly (string | null)[];
  /** How a raw value maps to its group name (the same rule the grouping states, written here again). */
  readonly groupOf: (raw: string | null) => string;
  readonly grouping: Grouping;
  readonly threshold: number;
}

const SOURCE = 'counted row by row in eval/fairness.ts';
const NEWCOMBE =
  'Newcombe 1998 (Stat Med 17:873) method 10, Wilson intervals written out in eval/fairness.ts';

function wilson(x: number, n: number, z: number): [number, number] {
  const p = x / n;
  const a = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / a;
  const half = (z / a) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function newcombe(x1: number, n1: number, x2: number, n2: number, z: number): [number, number] {
  const [l1, u1] = wilson(x1, n1, z);
  const [l2, u2] = wilson(x2, n2, z);
  const d = x1 / n1 - x2 / n2;
  return [
    d - Math.sqrt((x1 / n1 - l1) ** 2 + (u2 - x2 / n2) ** 2),
    d + Math.sqrt((u1 - x1 / n1) ** 2 + (x2 / n2 - l2) ** 2),
  ];
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12;

/** The report and its checks. `what` names the model and attribute in every check. */
export function fairnessChecks(
  suite: string,
  what: string,
  input: FairnessInputs,
): { report: FairnessReport; checks: Check[] } {
  const { labels, scores, raw, grouping, threshold } = input;
  const report = fairnessReport(labels, scores, grouping.codes, grouping.names, {
    threshold,
    reference: grouping.reference,
  });
  const counted = new Map<string, { n: number; pos: number; flagged: number; tp: number }>();
  for (let i = 0; i < labels.length; i++) {
    const g = input.groupOf(raw[i] ?? null);
    const c = counted.get(g) ?? { n: 0, pos: 0, flagged: 0, tp: 0 };
    c.n++;
    if (labels[i] === 1) c.pos++;
    if (scores[i]! >= threshold) {
      c.flagged++;
      if (labels[i] === 1) c.tp++;
    }
    counted.set(g, c);
  }
  const checks: Check[] = [
    equals(
      suite,
      `${what}: groups`,
      [...counted.keys()].sort().join(', '),
      report.groups
        .map((g) => g.group)
        .sort()
        .join(', '),
      SOURCE,
    ),
  ];
  for (const g of report.groups) {
    const c = counted.get(g.group);
    checks.push(
      equals(
        suite,
        `${what}, ${g.group}: n / positives / flagged / true positives`,
        c ? `${c.n} / ${c.pos} / ${c.flagged} / ${c.tp}` : 'absent',
        `${g.n} / ${g.positives} / ${g.flagged} / ${g.truePositives}`,
        SOURCE,
      ),
    );
  }
  const z = normalQuantile(1 - (1 - report.confidence) / 2);
  const ref = counted.get(report.reference)!;
  for (const gap of report.gaps) {
    const c = counted.get(gap.group)!;
    for (const [kind, d, x1, n1, x2, n2] of [
      ['parity', gap.demographicParity, c.flagged, c.n, ref.flagged, ref.n],
      ['equal opportunity', gap.equalOpportunity, c.tp, c.pos, ref.tp, ref.pos],
    ] as const) {
      if (n1 === 0 || n2 === 0) {
        checks.push(
          holds(suite, `${what}, ${gap.group}: ${kind} difference undefined`, d === null, String(d), SOURCE),
        );
        continue;
      }
      const expected = x1 / n1 - x2 / n2;
      const [lo, hi] = newcombe(x1, n1, x2, n2, z);
      checks.push(
        holds(
          suite,
          `${what}, ${gap.group} vs ${report.reference}: ${kind} difference = difference of the counted rates`,
          d !== null && close(d.difference, expected),
          d === null ? 'null' : `${d.difference.toFixed(6)} (counted ${expected.toFixed(6)})`,
          SOURCE,
        ),
        holds(
          suite,
          `${what}, ${gap.group} vs ${report.reference}: ${kind} ${Math.round(report.confidence * 100)}% CI contains it and is Newcombe's`,
          d !== null &&
            d.ci[0] <= d.difference &&
            d.difference <= d.ci[1] &&
            close(d.ci[0], lo) &&
            close(d.ci[1], hi),
          d === null
            ? 'null'
            : `[${d.ci[0].toFixed(6)}, ${d.ci[1].toFixed(6)}] (formula [${lo.toFixed(6)}, ${hi.toFixed(6)}])`,
          NEWCOMBE,
        ),
      );
    }
  }
  return { report, checks };
}

const pct = (v: number | null): string =>
  v === null || Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(1)}%`;
/** Percentage points, 2 decimals: a parity gap at a 2% review rate is a fraction of a point. */
const pts = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}`;

/** The report as a markdown table (differences in percentage points against the reference). */
export function fairnessTable(r: FairnessReport): string {
  const gapOf = new Map(r.gaps.map((g) => [g.group, g]));
  const ci = (d: { difference: number; ci: readonly [number, number] } | null): string =>
    d === null ? 'n/a' : `${pts(d.difference)} [${pts(d.ci[0])}, ${pts(d.ci[1])}]`;
  return [
    `| group | n | positives | ROC-AUC | positive rate | TPR | parity difference [${Math.round(r.confidence * 100)}% CI] | equal-opportunity difference [CI] |`,
    '|---|---|---|---|---|---|---|---|',
    ...r.groups.map((g) => {
      const d = gapOf.get(g.group);
      return (
        `| ${g.group} | ${g.n.toLocaleString('en-US')} | ${g.positives.toLocaleString('en-US')} | ` +
        `${Number.isNaN(g.rocAuc) ? 'n/a' : g.rocAuc.toFixed(4)} | ${pct(g.positiveRate)} | ${pct(g.truePositiveRate)} | ` +
        `${d ? ci(d.demographicParity) : 'reference'} | ${d ? ci(d.equalOpportunity) : 'reference'} |`
      );
    }),
  ].join('\n');
}

/** The age-band rule written again for the independent count (features/fairness-groups.ts: ageBand). */
export function ageBandOf(raw: string | null): string {
  const a = raw === null || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(a) || a < 0) return '(unknown)';
  return a < 25 ? AGE_BANDS[0] : a < 35 ? AGE_BANDS[1] : a < 45 ? AGE_BANDS[2] : AGE_BANDS[3];
}
