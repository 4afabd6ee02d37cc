/**
 * `npm run eval`: quality checks on the real public datasets (../shared/datasets or
 * $SHOPSIGHT_DATASETS). Prints every figure with where its expected value comes from, writes
 * docs/EVALUATION.md, and exits non-zero when any check fails.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Check } from './check.js';
import { datasetsDir, PROJECT_ROOT } from './datasets.js';
import { importCounts } from './suites/import-counts.js';

const SUITES: readonly (() => Promise<Check[]>)[] = [importCounts];

const started = performance.now();
console.log(`datasets: ${datasetsDir()}`);
const checks: Check[] = [];
for (const suite of SUITES) checks.push(...(await suite()));
const failed = checks.filter((c) => !c.pass);

const rows = checks.map(
  (c) =>
    `| ${c.suite} | ${c.name} | ${c.expected} | ${c.actual} | ${c.pass ? 'pass' : '**FAIL**'} | ${c.source} |`,
);
const table = [
  '| suite | check | expected | actual | result | expected value from |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${checks.length - failed.length} passed, ${failed.length} failed (${seconds} s)`);

writeFileSync(
  join(PROJECT_ROOT, 'docs', 'EVALUATION.md'),
  [
    '# Evaluation on public datasets',
    '',
    'Written by `npm run eval` (do not edit by hand). Every expected figure names where it comes from;',
    'the run fails when any check fails.',
    '',
    `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${seconds} s.`,
    '',
    table,
    '',
  ].join('\n'),
);
if (failed.length) process.exitCode = 1;
