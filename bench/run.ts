/**
 * `npm run bench`: speed and memory, each against a baseline measured in the same run where one
 * exists. Prints every figure and rewrites the suite's section of docs/BENCHMARKS.md with them and
 * the machine they ran on; sections of suites that did not run are kept as they were.
 *
 *   BENCH_ONLY=gbdt,recommend npm run bench   # only these suites
 *   BENCH_ONLY=clickhouse-scale npm run bench # a suite marked onlyWhenNamed runs only like this
 *
 * The load average is recorded before and after each suite; a suite that starts above a 1-minute
 * load of 1.5 is printed but not written to the page (bench/load.ts), unless BENCH_ALLOW_LOAD=1,
 * which writes it marked as a draft.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import type { BenchRow } from './context.js';
import { decideWrite, formatLoad, readLoadAverage } from './load.js';
import { machineLine } from './machine.js';
import { mergeSection } from './sections.js';
import { BENCH_SUITES } from './suites/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, '.bench-data');
const DOC = join(ROOT, 'docs', 'BENCHMARKS.md');

const only = process.env['BENCH_ONLY']?.split(',').filter(Boolean);
const unknown = only?.filter((n) => !BENCH_SUITES.some((s) => s.name === n)) ?? [];
if (unknown.length) {
  throw new Error(
    `unknown bench suite ${unknown.join(', ')}; known: ${BENCH_SUITES.map((s) => s.name).join(', ')}`,
  );
}

const probe = await DuckDBWarehouse.open(':memory:');
const [{ v = '?' } = {}] = await probe.rows<{ v: string }>('SELECT version() AS v');
await probe.close();
const machine = machineLine(v);
console.log(machine);

const notWritten: string[] = [];
for (const suite of BENCH_SUITES) {
  if (only && !only.includes(suite.name)) continue;
  if (suite.onlyWhenNamed && !only?.includes(suite.name)) continue;
  console.log(`\n== ${suite.title}`);
  const loadBefore = readLoadAverage();
  console.log(`load average (1 / 5 / 15 min) at the start: ${formatLoad(loadBefore)}`);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const work = join(WORK, suite.name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await suite.run({
    work,
    root: ROOT,
    report: (r) => {
      rows.push(r);
      console.log(
        `${r.ok ? 'ok  ' : 'MISS'} ${r.name}: ${r.figure} | baseline ${r.baseline} | target ${r.target}`,
      );
    },
    note: (markdown) => {
      notes.push(markdown.trim());
      console.log(markdown.trim());
    },
  });
  rmSync(work, { recursive: true, force: true });
  const loadAfter = readLoadAverage();
  console.log(`load average (1 / 5 / 15 min) at the end: ${formatLoad(loadAfter)}`);
  const decision = decideWrite(loadBefore, process.env['BENCH_ALLOW_LOAD'] === '1');
  if (!decision.write) {
    console.log(`${suite.name}: ${decision.message}`);
    notWritten.push(suite.name);
    continue;
  }
  const section = [
    `## ${suite.title}`,
    '',
    ...(decision.draft ? [decision.message, ''] : []),
    `Machine: ${machine}.`,
    `Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; DuckDB memory cap ${process.env['SHOPSIGHT_MEMORY_LIMIT'] ?? '1GB (default)'}.`,
    `Load average (1 / 5 / 15 min): ${formatLoad(loadBefore)} at the start, ${formatLoad(loadAfter)} at the end.`,
    '',
    '| benchmark | figure | baseline (same run) | target | met |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.name} | ${r.figure} | ${r.baseline} | ${r.target} | ${r.ok ? 'yes' : '**no**'} |`,
    ),
    ...notes.flatMap((n) => ['', n]),
  ].join('\n');
  // Re-read before merging: another bench run may have written its own section meanwhile.
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  writeFileSync(
    DOC,
    mergeSection(
      current,
      suite.name,
      section,
      BENCH_SUITES.map((s) => s.name),
    ),
  );
}
rmSync(WORK, { recursive: true, force: true });
console.log(
  notWritten.length
    ? `\nnot written to docs/BENCHMARKS.md (measured under load): ${notWritten.join(', ')}`
    : '\nwrote docs/BENCHMARKS.md',
);
