/**
 * `npm run eval`: quality checks on the real public datasets (../shared/datasets or
 * $SHOPSIGHT_DATASETS). Prints every figure with where its expected value comes from, writes
 * docs/EVALUATION.md, and exits non-zero when any check fails.
 *
 *   SHOPSIGHT_EVAL=clv,recommend npm run eval   # only these suites (docs/EVALUATION.md untouched)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { resultText, runSuite, type Check, type Suite } from './check.js';
import { datasetsDir, PROJECT_ROOT } from './datasets.js';
import { seal } from './generated.js';
import { SUITES } from './suites/index.js';

const only = process.env['SHOPSIGHT_EVAL']?.split(',').filter(Boolean);
const unknown = only?.filter((n) => !SUITES.some((s) => s.name === n)) ?? [];
if (unknown.length) {
  throw new Error(`unknown eval suite ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
}
const selected: readonly Suite[] = only ? SUITES.filter((s) => only.includes(s.name)) : SUITES;

const started = performance.now();
console.log(`datasets: ${datasetsDir()}`);
const checks: Check[] = [];
const reports: string[] = [];
for (const suite of selected) {
  const t = performance.now();
  const result = await runSuite(suite);
  checks.push(...result.checks);
  if (result.report) reports.push(result.report.trim());
  console.log(`suite ${suite.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const failed = checks.filter((c) => !c.pass);

const rows = checks.map(
  (c) => `| ${c.suite} | ${c.name} | ${c.expected} | ${c.actual} | ${resultText(c)} | ${c.source} |`,
);
const table = [
  '| suite | check | expected | actual | result | expected value and threshold from |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
for (const r of reports) console.log(`\n${r}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const missingInputs = failed.filter((c) => c.missing !== undefined).length;
console.log(
  `\n${checks.length - failed.length} passed, ${failed.length} failed` +
    `${missingInputs ? ` (${missingInputs} for a missing input)` : ''} (${seconds} s)`,
);

if (only) {
  console.log('(a selection of suites ran: docs/EVALUATION.md left as it was)');
} else {
  writeFileSync(
    join(PROJECT_ROOT, 'docs', 'EVALUATION.md'),
    seal(
      [
        '# Evaluation on public datasets',
        '',
        'Written by `npm run eval` (do not edit by hand: a change belongs in eval/, then re-run). Every',
        'expected figure and threshold names where it comes from: a published source, or a script in',
        '[eval/reference/](../eval/reference/README.md) that recomputes it from the raw file; a threshold',
        'set after looking at the result says so. The run fails when any check fails, and a check whose',
        'input is missing (a model not selected, a file not found) fails as "missing input" instead of',
        'dropping out. The sections after the table give each model side by side with the protocol its',
        'numbers were measured under.',
        '',
        `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit()}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${seconds} s. ${selections()}`,
        '',
        table,
        '',
        ...reports.flatMap((r) => [r, '']),
      ].join('\n'),
    ),
  );
}
if (failed.length) process.exitCode = 1;

/** The commit the run measured ("+ local changes" when tracked files differ from it), for tracing a figure. */
function commit(): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    // The document this run rewrites does not count as a local change.
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/EVALUATION.md');
    return dirty ? `${head} + local changes` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** The SHOPSIGHT_* settings that narrow what ran (model selections), so the doc says what it shows. */
function selections(): string {
  const set = Object.entries(process.env)
    .filter(([k, v]) => k.startsWith('SHOPSIGHT_') && k !== 'SHOPSIGHT_DATASETS' && v)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return set.length
    ? `Settings: ${set.join('; ')}.`
    : 'Settings: none (every suite, every registered model).';
}
