/**
 * Online Retail import (issue 16 part 3), whole process against DuckDB alone: `shopsight import` of
 * the 541,909-line .csv.gz into a new database, and bench/reference/duckdb-raw-read.mjs reading the
 * same file into a table of a new database, each a node process of its own, alternating, five times
 * each. The figures are medians of the five whole-process wall and CPU times (start-up, migrations,
 * the gzip check, every check and write, and the checkpoint at close included).
 * A third process in the same rounds, bench/reference/duckdb-canonical-floor.mjs, writes the
 * canonical tables from the same file with none of the import's checks: the import's time less the
 * floor's is what the checks and the quarantine cost, and the floor against the raw read says how
 * much of the 1.3x budget is left for them.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { median } from '../machine.js';
import { timeProcess, type ProcessTime } from '../process-time.js';

const RUNS = 5;
/** The import may take at most this many times the reference's wall time. */
const TARGET_RATIO = 1.3;

export async function importSuite({ work, root, report, note }: BenchContext): Promise<void> {
  const file = join(root, '..', 'shared', 'datasets', 'online-retail', 'online_retail.csv.gz');
  if (!existsSync(file)) {
    note(`Skipped: ${file} is not there (the datasets folder sits beside the checkout).`);
    return;
  }
  const cli = join(root, 'dist', 'cli', 'main.js');
  const reference = join(root, 'bench', 'reference', 'duckdb-raw-read.mjs');
  const floorScript = join(root, 'bench', 'reference', 'duckdb-canonical-floor.mjs');
  const raw: ProcessTime[] = [];
  const ours: ProcessTime[] = [];
  const floor: ProcessTime[] = [];
  let rowsRaw = 0;
  let rowsOurs = 0;
  let rowsFloor = 0;
  for (let i = 0; i < RUNS; i++) {
    const rawDb = join(work, `raw-${i}.duckdb`);
    const r = timeProcess('node', [reference, file, rawDb], root);
    rowsRaw = (JSON.parse(r.stdout) as { rows: number }).rows;
    raw.push(r);
    const ourDb = join(work, `import-${i}.duckdb`);
    const o = timeProcess(
      'node',
      [cli, 'import', file, '--preset', 'online-retail', '--db', ourDb, '--json'],
      root,
    );
    rowsOurs = (JSON.parse(o.stdout) as { rowsRead: number }).rowsRead;
    ours.push(o);
    const floorDb = join(work, `floor-${i}.duckdb`);
    const f = timeProcess('node', [floorScript, file, floorDb], root);
    rowsFloor = (JSON.parse(f.stdout) as { rows: number }).rows;
    floor.push(f);
    for (const db of [rawDb, ourDb, floorDb]) rmSync(db, { force: true });
  }
  const medians = (of: (t: ProcessTime) => number) => ({
    raw: median(raw.map(of)),
    ours: median(ours.map(of)),
    floor: median(floor.map(of)),
  });
  const wall = medians((t) => t.wallSeconds);
  const cpu = medians((t) => t.cpuSeconds);
  const lines = `${rowsOurs.toLocaleString('en-US')} lines`;
  report({
    name: `Online Retail import, ${lines}, .csv.gz, whole process, wall (median of ${RUNS})`,
    figure: `${wall.ours.toFixed(2)} s (${(wall.ours / wall.raw).toFixed(2)}x the raw read)`,
    baseline: `DuckDB read_csv into a table, whole process: ${wall.raw.toFixed(2)} s`,
    target: `<= ${TARGET_RATIO}x the raw read`,
    ok: wall.ours <= TARGET_RATIO * wall.raw && rowsOurs === rowsRaw,
  });
  report({
    name: `Online Retail import, whole process, CPU (median of ${RUNS})`,
    figure: `${cpu.ours.toFixed(2)} s (${(cpu.ours / cpu.raw).toFixed(2)}x the raw read)`,
    baseline: `DuckDB read_csv into a table, whole process: ${cpu.raw.toFixed(2)} s`,
    target: '-',
    ok: true,
  });
  report({
    name: `The canonical tables alone, no checks, whole process, wall (median of ${RUNS})`,
    figure:
      `${wall.floor.toFixed(2)} s (${(wall.floor / wall.raw).toFixed(2)}x the raw read; ` +
      `the import is ${(wall.ours - wall.floor).toFixed(2)} s above it)`,
    baseline: `DuckDB read_csv into a table, whole process: ${wall.raw.toFixed(2)} s`,
    target: `- (left for the checks within ${TARGET_RATIO}x: ${(TARGET_RATIO * wall.raw - wall.floor).toFixed(2)} s)`,
    ok: rowsFloor === rowsRaw,
  });
  const rounds = raw.map(
    (r, i) =>
      `${ours[i]!.wallSeconds.toFixed(2)} / ${r.wallSeconds.toFixed(2)} / ${floor[i]!.wallSeconds.toFixed(2)} s wall, ` +
      `${ours[i]!.cpuSeconds.toFixed(2)} / ${r.cpuSeconds.toFixed(2)} / ${floor[i]!.cpuSeconds.toFixed(2)} s CPU`,
  );
  note(
    `Each run, import / raw read / canonical tables alone: ${rounds.join('; ')}. All three read ` +
      `${rowsRaw.toLocaleString('en-US')} rows (the reference: \`node bench/reference/duckdb-raw-read.mjs <file> <new.duckdb>\`; ` +
      `the floor: \`node bench/reference/duckdb-canonical-floor.mjs <file> <new.duckdb>\`; the import: ` +
      `\`node dist/cli/main.js import <file> --preset online-retail --db <new.duckdb> --json\`). ` +
      `CPU is user + system of the whole process, every thread (bash \`times\`); the floor's CPU median is ` +
      `${cpu.floor.toFixed(2)} s.`,
  );
}
