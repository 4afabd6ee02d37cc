/**
 * `npm run eval`: quality checks on the real public datasets (../shared/datasets or
 * $SHOPSIGHT_DATASETS). Prints every figure with where its expected value comes from, writes
 * docs/EVALUATION.md, and exits non-zero when any check fails.
 *
 *   SHOPSIGHT_EVAL=clv,recommend npm run eval   # only these suites (docs/EVALUATION.md untouched)
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Check, Suite } from './check.js';
import { datasetsDir, PROJECT_ROOT } from './datasets.js';
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
  const result = await suite.run();
  const suiteChecks = Array.isArray(result) ? result : result.checks;
  checks.push(...suiteChecks);
  if (!Array.isArray(result) && result.report) reports.push(result.report.trim());
  console.log(`suite ${suite.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
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
for (const r of reports) console.log(`\n${r}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${checks.length - failed.length} passed, ${failed.length} failed (${seconds} s)`);

if (only) {
  console.log('(a selection of suites ran: docs/EVALUATION.md left as it was)');
} else {
  writeFileSync(
    join(PROJECT_ROOT, 'docs', 'EVALUATION.md'),
    [
      '# Evaluation on public datasets',
      '',
      'Written by `npm run eval` (do not edit by hand). Every expected figure names where it comes from;',
      'the run fails when any check fails. The sections after the table give each model side by side',
      'with the protocol its numbers were measured under.',
      '',
      `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${seconds} s.`,
      '',
      table,
      '',
      ...reports.flatMap((r) => [r, '']),
    ].join('\n'),
  );
}
if (failed.length) process.exitCode = 1;
