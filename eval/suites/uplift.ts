/**
 * Issue 11, uplift targeting on Hillstrom (MineThatData e-mail test, the 80% sample in
 * shared/datasets: 51,200 customers, 17,022 Mens / 17,117 Womens / 17,061 no e-mail). Protocol of
 * the issue: one e-mail against no e-mail, outcome visit (then conversion), ten 70/30 splits
 * stratified by treatment and outcome (seeds 0-9), features recency, history, mens, womens, newbie,
 * zip_code, channel (categories one-hot). Every uplift method on logistic regression and on the
 * GBDT, beside a response model (logistic on the treated rows) and random targeting; Qini
 * coefficient (scikit-uplift's normalisation) and uplift at 30% (by group), mean and sd (n - 1).
 *
 * Time: 4 tables x 10 splits x 8 models + 2 baselines, plus one import of the file for the campaign
 * report checks. Measured 2026-12-01 on the shared 2-core machine, never quiet: 401 s wall at load
 * average 13.8 with 111 s of CPU (the tables alone), 1,062 s wall at load 21 (the whole suite). The
 * CPU time is what a quiet machine's wall time would be, under the 2.5 min budget; the GBDT sizes
 * (tasks/marketing/params.ts) were chosen for it. The import plus the bad-input checks
 * (eval/marketing-refusals.ts, one logistic uplift fit on the 51,200 contacts) measured 9 s of CPU
 * (68 s wall at load average 21-24) on 2026-12-02.
 */
import { atLeast, holds, type Check, type SuiteResult } from '../check.js';
import { dataset } from '../datasets.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { encodeRecords, fitEncoding } from '../../src/tasks/marketing/contact-features.js';
import { readHillstrom, type HillstromRow } from '../hillstrom.js';
import { UPLIFT_CANDIDATES } from '../../src/tasks/marketing/params.js';
import {
  compareUplift,
  RANDOM,
  RESPONSE_MODEL,
  summarise,
  type SplitScore,
  type Summary,
} from '../../src/tasks/marketing/uplift-comparison.js';
import { readFileSync } from 'node:fs';
import { getPreset } from '../../src/ingest/presets/index.js';
import {
  HILLSTROM_CATEGORICAL_FEATURES,
  HILLSTROM_CONTROL,
  HILLSTROM_NUMERIC_FEATURES,
} from '../../src/ingest/presets/hillstrom.js';
import { loadCampaign } from '../../src/tasks/marketing/campaign-data.js';
import { campaignReport } from '../../src/tasks/marketing/campaign-report.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { refusalChecks } from '../marketing-refusals.js';

const SUITE = 'uplift: Hillstrom';
const ISSUE = 'issue 11 (scikit-learn T-learner reference, same protocol)';
const HILLSTROM_NUMERIC = HILLSTROM_NUMERIC_FEATURES;
const HILLSTROM_CATEGORICAL = HILLSTROM_CATEGORICAL_FEATURES;
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const CONTROL = HILLSTROM_CONTROL;

type Contact = HillstromRow;

interface Table {
  readonly treatment: string;
  readonly outcome: 'visit' | 'conversion';
  readonly runs: SplitScore[];
  readonly summary: Summary[];
  readonly ate: number;
  readonly rows: number;
}

function runTable(all: readonly Contact[], treatment: string, outcome: 'visit' | 'conversion'): Table {
  const rows = all.filter((c) => c.segment === treatment || c.segment === CONTROL);
  const enc = fitEncoding(rows, HILLSTROM_NUMERIC, HILLSTROM_CATEGORICAL);
  const x = encodeRecords(enc, rows, (i) => `hillstrom.csv row ${i + 2}`);
  const y = Float32Array.from(rows, (c) => c[outcome]);
  const t = Uint8Array.from(rows, (c) => (c.segment === treatment ? 1 : 0));
  const runs = compareUplift(x, y, t, UPLIFT_CANDIDATES, SEEDS);
  const rate = (flag: number): number => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < y.length; i++) {
      if (t[i] !== flag) continue;
      s += y[i]!;
      n++;
    }
    return s / n;
  };
  return { treatment, outcome, runs, summary: summarise(runs), ate: rate(1) - rate(0), rows: rows.length };
}

/**
 * `campaign report hillstrom` on the file imported with the preset, against the rates counted here
 * from the raw rows (DuckDB read_csv, not the importer), and the interval recomputed by hand from
 * them: Wald, unpooled variance, z at 1 - alpha/4 (Bonferroni over the two e-mails). Then the
 * issue's bad-input cases on the same store (eval/marketing-refusals.ts).
 */
async function reportChecks(contacts: readonly Contact[]): Promise<Check[]> {
  const wh = await DuckDBWarehouse.open(':memory:');
  let report;
  let refusals: Check[];
  try {
    await importSource(wh, { target: dataset('marketing', 'hillstrom.csv'), preset: getPreset('hillstrom') });
    report = campaignReport(await loadCampaign(wh, 'hillstrom'));
    refusals = await refusalChecks(wh, SUITE);
  } finally {
    await wh.close();
  }
  const checks: Check[] = [...refusals];
  const z = 2.241402727604947; // normal quantile at 1 - 0.05 / 4
  for (const c of report.comparisons) {
    const rate = (seg: string, o: 'visit' | 'conversion'): [number, number] => {
      const rows = contacts.filter((r) => r.segment === seg);
      return [rows.reduce((a, r) => a + r[o], 0) / rows.length, rows.length];
    };
    for (const o of ['visit', 'conversion'] as const) {
      const [pT, nT] = rate(c.treatment, o);
      const [pC, nC] = rate(CONTROL, o);
      const d = pT - pC;
      const half = z * Math.sqrt((pT * (1 - pT)) / nT + (pC * (1 - pC)) / nC);
      const got = c.outcomes[o];
      checks.push(
        holds(
          SUITE,
          `campaign report: ${c.treatment} - ${CONTROL}, ${o} difference and 97.5% interval`,
          Math.abs(got.difference! - d) < 1e-12 &&
            Math.abs(got.ci![0] - (d - half)) < 1e-9 &&
            Math.abs(got.ci![1] - (d + half)) < 1e-9,
          `${got.difference!.toFixed(5)} [${got.ci![0].toFixed(5)}, ${got.ci![1].toFixed(5)}] p ${got.pValue!.toExponential(2)}; by hand ${d.toFixed(5)} [${(d - half).toFixed(5)}, ${(d + half).toFixed(5)}]`,
          'hand computation from the raw file: Wald interval, unpooled variance, Bonferroni over 2 treatments (z-test p-value shown)',
        ),
      );
    }
  }
  return checks;
}

const f = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(4));

function best(table: Table): Summary {
  const models = table.summary.filter((s) => s.name !== RESPONSE_MODEL && s.name !== RANDOM);
  return models.reduce((a, b) => (b.qini.mean > a.qini.mean ? b : a));
}

function markdown(table: Table): string {
  const top = best(table);
  const beats = table.runs.filter((r) => r.qini[top.name]! > r.qini[RESPONSE_MODEL]!).length;
  return [
    `#### ${table.treatment} vs ${CONTROL}, outcome ${table.outcome}`,
    '',
    `${table.rows.toLocaleString('en-US')} customers; average treatment effect (treated - control ${table.outcome} rate) ` +
      `${f(table.ate)}. Best model by mean Qini: ${top.name}, above the response model in ${beats} of ${table.runs.length} splits.`,
    '',
    '| model | Qini mean | Qini sd | uplift@30% mean | uplift@30% sd |',
    '|---|---|---|---|---|',
    ...table.summary.map(
      (s) =>
        `| ${s.name} | ${f(s.qini.mean)} | ${f(s.qini.sd)} | ${f(s.upliftAt30.mean)} | ${f(s.upliftAt30.sd)} |`,
    ),
  ].join('\n');
}

export async function uplift(): Promise<SuiteResult> {
  const started = performance.now();
  const contacts = await readHillstrom();
  const checks: Check[] = [];
  const counts = (seg: string): number => contacts.filter((c) => c.segment === seg).length;
  const README = 'shared/datasets/README.md (counted from the file)';
  checks.push(
    holds(
      SUITE,
      'rows per segment (Mens / Womens / no e-mail)',
      counts('Mens E-Mail') === 17022 && counts('Womens E-Mail') === 17117 && counts(CONTROL) === 17061,
      `${counts('Mens E-Mail')} / ${counts('Womens E-Mail')} / ${counts(CONTROL)}`,
      `${README}: 17,022 / 17,117 / 17,061`,
    ),
  );

  checks.push(...(await reportChecks(contacts)));

  const tables = [
    runTable(contacts, 'Womens E-Mail', 'visit'),
    runTable(contacts, 'Mens E-Mail', 'visit'),
    runTable(contacts, 'Womens E-Mail', 'conversion'),
    runTable(contacts, 'Mens E-Mail', 'conversion'),
  ];
  const womens = tables[0]!;
  const top = best(womens);
  const beats = womens.runs.filter((r) => r.qini[top.name]! > r.qini[RESPONSE_MODEL]!).length;
  const byName = (name: string): Summary => womens.summary.find((s) => s.name === name)!;
  checks.push(
    atLeast(
      SUITE,
      `Womens/visit: best model mean Qini (${top.name})`,
      0.06,
      top.qini.mean,
      `${ISSUE}: floor`,
    ),
    atLeast(
      SUITE,
      `Womens/visit: splits where ${top.name} beats the response model`,
      8,
      beats,
      `${ISSUE}: floor`,
      0,
    ),
    holds(
      SUITE,
      'Womens/visit: T-learner logistic mean Qini within one issue sd (0.013) of the reference 0.071',
      Math.abs(byName('t-learner logistic').qini.mean - 0.071) <= 0.013,
      f(byName('t-learner logistic').qini.mean),
      `${ISSUE}: scikit-learn LogisticRegression T-learner, Qini 0.071 (sd 0.013)`,
    ),
    holds(
      SUITE,
      'Womens/visit: random targeting mean Qini within 2 standard errors of 0',
      Math.abs(byName(RANDOM).qini.mean) <= (2 * byName(RANDOM).qini.sd) / Math.sqrt(SEEDS.length),
      `${f(byName(RANDOM).qini.mean)} (sd ${f(byName(RANDOM).qini.sd)})`,
      'random scores have expected Qini 0 (by construction of the normalisation); issue reference -0.001',
    ),
  );
  for (const table of tables.slice(1)) {
    const b = best(table);
    const random = table.summary.find((s) => s.name === RANDOM)!;
    checks.push(
      holds(
        SUITE,
        `${table.treatment.split(' ')[0]}/${table.outcome}: best model mean Qini above random targeting`,
        b.qini.mean > random.qini.mean,
        `${b.name} ${f(b.qini.mean)} vs random ${f(random.qini.mean)}`,
        'issue 11 asks for the same table (no floor given); an uplift model no better than random would be a bug',
      ),
    );
  }

  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const seconds = (performance.now() - started) / 1000;
  const report = [
    '### Uplift on Hillstrom (issue 11)',
    '',
    `Protocol: each e-mail against no e-mail; ten 70/30 splits stratified by treatment x outcome (seeds ${SEEDS[0]}-${SEEDS[SEEDS.length - 1]}); ` +
      `features ${[...HILLSTROM_NUMERIC, ...HILLSTROM_CATEGORICAL].join(', ')} (categories one-hot); Qini coefficient ` +
      `normalised as scikit-uplift's qini_auc_score (negative effects allowed), uplift at 30% by group; mean and sd (n - 1) over ` +
      `the splits. Response model = logistic on the treated rows only. GBDT: depth 3, 60 rounds at 0.08 (tasks/marketing/params.ts). ` +
      `Issue reference (scikit-learn, same protocol, Womens/visit): T-learner logistic Qini 0.071 (sd 0.013), uplift@30% 0.069; ` +
      `T-learner gradient boosting 0.052; response model 0.036; random -0.001 (uplift@30% 0.044). ` +
      `This run: ${seconds.toFixed(0)} s at load average ${load}.`,
    '',
    ...tables.flatMap((t) => [markdown(t), '']),
  ].join('\n');
  return { checks, report };
}
