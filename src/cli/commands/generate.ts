/**
 * @module cli/commands/generate
 * `shopsight generate`: writes a synthetic store (customers, products, orders, order_items, events CSVs)
 * for tests and scale benchmarks. A thin caller of src/generate: parse flags, show progress, print the
 * summary (a table, or one JSON object with --json).
 *
 * @example
 *   shopsight generate --customers 200000 --days 365 --seed 7 --out /tmp/store   # ~10M events
 *   shopsight generate --events 10000000 --out /tmp/store --json
 */
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { basename } from 'node:path';
import {
  generateStore,
  GenerateOptionsError,
  type GenerateProgress,
  type GenerateSummary,
} from '../../generate/index.js';
import { formatTable, jsonOption, printJson } from '../context.js';
import { lineProgress } from '../progress.js';

interface GenerateFlags {
  customers?: number;
  events?: number;
  days: number;
  seed: number;
  start: string;
  products?: number;
  currency: string;
  out: string;
  json?: boolean;
}

export function generateCommand(): Command {
  return new Command('generate')
    .description(
      'Write a synthetic store (customers, products, orders, order_items, events as CSV) for tests and ' +
        'benchmarks. Realistic in shape, never a substitute for real data in evaluation.',
    )
    .option('--customers <n>', 'number of customers (default 10000; ~50 events each per year)', integer)
    .option(
      '--events <n>',
      'aim for about N events: sizes the customer base (instead of --customers)',
      integer,
    )
    .option('--days <n>', 'length of the window in days', integer, 365)
    .option('--seed <n>', 'random seed: same options and seed give byte-identical files', integer, 1)
    .option('--start <YYYY-MM-DD>', 'first day of the window (UTC)', '2024-01-01')
    .option('--products <n>', 'merchandise products (default grows with the customer base)', integer)
    .option('--currency <code>', 'ISO 4217 currency of all amounts', 'GBP')
    .option('--out <dir>', 'output directory', './generated-store')
    .addOption(jsonOption())
    .action(async ({ json, ...options }: GenerateFlags) => {
      const progress = new LazyProgress();
      let summary: GenerateSummary;
      try {
        summary = await generateStore({ ...options, onProgress: (p) => progress.update(p) });
      } catch (err) {
        if (err instanceof GenerateOptionsError)
          throw new Error(`--${err.option} ${err.detail}`, { cause: err });
        throw err;
      } finally {
        progress.stop();
      }
      if (json) printJson(summary);
      else process.stdout.write(formatSummary(summary) + '\n');
    });
}

/** Whole numbers; `10_000_000`, `10,000,000` and `1e7` are accepted for convenience. Ranges are checked later. */
function integer(value: string): number {
  const n = Number(value.replace(/[_,]/g, ''));
  if (value.trim() === '' || !Number.isInteger(n))
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return n;
}

function formatSummary(s: GenerateSummary): string {
  const rows: (string | number)[][] = Object.values(s.files).map((f) => [
    basename(f.path),
    f.rows,
    f.bytes / 1e6,
  ]);
  rows.push(['total', s.rows, s.bytes / 1e6]);
  const n = (x: number): string => x.toLocaleString('en-US');
  return [
    `Synthetic store in ${s.outDir}`,
    `${n(s.customers)} customers, ${n(s.products)} products, ${s.days} days from ${s.start.slice(0, 10)}, seed ${s.seed}`,
    '',
    formatTable(['file', 'rows', 'MB'], rows),
    '',
    `${s.seconds.toFixed(1)} s, ${n(Math.round(s.eventsPerSecond))} events/s`,
  ].join('\n');
}

/**
 * A progress bar on stderr once the run has taken more than a second; where stderr is not a
 * terminal, a line per phase instead (cli/progress.ts).
 */
class LazyProgress {
  private readonly startedAt = Date.now();
  private bar: cliProgress.SingleBar | null = null;
  private readonly lines = process.stderr.isTTY
    ? undefined
    : lineProgress('generate', (line) => process.stderr.write(line + '\n'));

  update(p: GenerateProgress): void {
    if (this.lines) {
      this.lines.step(p.phase, 0, 1, p.phase === 'calibrating' ? 0 : 1, 2);
      return;
    }
    if (this.bar === null) {
      if (Date.now() - this.startedAt < 1000) return;
      this.bar = new cliProgress.SingleBar(
        {
          format: '{phase} [{bar}] {percentage}% | {events} events',
          stream: process.stderr,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(100, 0, { phase: p.phase, events: '0' });
    }
    this.bar.update(Math.round(p.fraction * 100), {
      phase: p.phase,
      events: p.events.toLocaleString('en-US'),
    });
  }

  stop(): void {
    this.lines?.stop();
    this.bar?.stop();
    this.bar = null;
  }
}
