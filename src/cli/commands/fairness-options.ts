/**
 * @module cli/commands/fairness-options
 * `--group` for the evaluate commands and the fairness table they print (ml/metrics/fairness.ts;
 * docs/fairness.md): per group n, positives, ROC-AUC, positive rate, true-positive rate, and the
 * demographic-parity and equal-opportunity differences against the reference group with intervals.
 */
import { InvalidArgumentError, Option } from 'commander';
import { parseGroupSpec, type GroupSpec } from '../../features/fairness-groups.js';
import type { FairnessReport } from '../../ml/metrics/fairness.js';
import type { DifferenceInterval } from '../../ml/metrics/proportions.js';
import { formatTable } from '../context.js';

export const groupOption = (): Option =>
  new Option(
    '--group <attribute>',
    "fairness report per group: country, 'country=United Kingdom' (vs the rest), age (bands), or a key of the customers' attributes (sex)",
  ).argParser((v): GroupSpec => {
    try {
      return parseGroupSpec(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  });

const pct = (v: number | null): string => (v === null || Number.isNaN(v) ? '-' : `${(v * 100).toFixed(1)}%`);
const f3 = (v: number): string => (Number.isNaN(v) ? '-' : v.toFixed(3));
/** Percentage points, 2 decimals: a parity gap at a 2% review rate is a fraction of a point. */
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}`;

function gap(d: DifferenceInterval | null): string {
  if (d === null) return '-';
  return `${signed(d.difference)} [${signed(d.ci[0])}, ${signed(d.ci[1])}]`;
}

/** The report as a table under a title line; differences in percentage points. */
export function formatFairness(title: string, r: FairnessReport): string {
  const gapOf = new Map(r.gaps.map((g) => [g.group, g]));
  const ci = `${Math.round(r.confidence * 100)}% CI`;
  return [
    `${title}: flagged = score >= ${r.threshold.toPrecision(4)}; differences vs '${r.reference}' in points, ${ci} by ${r.method}`,
    formatTable(
      [
        'group',
        'n',
        'positives',
        'ROC-AUC',
        'positive rate',
        'TPR',
        `parity diff [${ci}]`,
        `equal opp. diff [${ci}]`,
      ],
      r.groups.map((g) => {
        const d = gapOf.get(g.group);
        return [
          g.group,
          g.n,
          g.positives,
          f3(g.rocAuc),
          pct(g.positiveRate),
          pct(g.truePositiveRate),
          d ? gap(d.demographicParity) : 'reference',
          d ? gap(d.equalOpportunity) : 'reference',
        ];
      }),
    ),
  ].join('\n');
}
