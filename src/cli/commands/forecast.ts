/**
 * @module cli/commands/forecast
 * `shopsight forecast`: every series of a level (or one, --id) forecast from the day after the
 * store's last order, with 80% and 95% intervals; the run is stored in `forecasts` (a new
 * version) for the API. --csv prints `level,id,date,forecast,lo80,hi80,lo95,hi95`, one row per
 * series and day.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { csvRow } from '../../core/csv.js';
import { SERIES_LEVELS, type SeriesLevel } from '../../features/sales-series.js';
import { MODEL_NAMES } from '../../ml/forecast/models.js';
import { forecastLevel, type LevelForecast } from '../../tasks/forecast/forecast-level.js';
import { storeForecastRun } from '../../warehouse/forecasts-store.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { forecastSvg } from '../forecast-plot.js';
import { startProgress } from '../progress.js';

interface Options {
  db?: string;
  json?: boolean;
  csv?: boolean;
  level: SeriesLevel;
  id?: string;
  horizon: number;
  model: string;
  granularity: 'day' | 'week';
  measure: 'units' | 'revenue';
  undone: 'exclude' | 'net';
  top?: number;
  plot?: string;
  threads?: number;
}

/** Numbers in the CSV and JSON: 4 decimals, enough for units and money. */
const round = (v: number): number => Math.round(v * 10_000) / 10_000;

/** An option's value as a finite number, or commander's error naming the flag. */
export function finiteNumber(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`${flag} must be a number, got '${v}'`);
    return n;
  };
}

export function wholeNumber(flag: string, min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${flag} must be a whole number >= ${min}, got '${v}'`);
    return n;
  };
}

function toCsv(f: LevelForecast): string {
  const lines = [csvRow(['level', 'id', 'date', 'forecast', 'lo80', 'hi80', 'lo95', 'hi95'])];
  for (const s of f.series) {
    f.dates.forEach((date, k) =>
      lines.push(
        csvRow([
          f.level,
          s.id,
          date,
          ...[s.mean, s.lo80, s.hi80, s.lo95, s.hi95].map((a) => String(round(a[k]!))),
        ]),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

function toJson(f: LevelForecast, version: number): unknown {
  return {
    version,
    level: f.level,
    granularity: f.granularity,
    measure: f.measure,
    model: f.model,
    horizon: f.horizon,
    history_end: f.historyEnd.toISOString().slice(0, 10),
    series: f.series.map((s) => ({
      id: s.id,
      model: s.model,
      intervals: s.intervals,
      ...(s.note ? { note: s.note } : {}),
      forecast: f.dates.map((date, k) => ({
        date,
        forecast: round(s.mean[k]!),
        lo80: round(s.lo80[k]!),
        hi80: round(s.hi80[k]!),
        lo95: round(s.lo95[k]!),
        hi95: round(s.hi95[k]!),
      })),
    })),
    skipped: f.skipped,
    ...(f.global
      ? {
          gbdt: {
            series: f.global.series,
            train_rows: f.global.trainRows,
            train_seconds: f.global.trainSeconds,
            calibration_origins: f.global.calibrationOrigins,
            holidays: f.global.holidays,
            left_out: f.global.leftOut,
          },
        }
      : {}),
  };
}

/** One line on the global GBDT: what it was trained on, or why auto+gbdt went without it. */
function globalLine(f: LevelForecast): string {
  const g = f.global;
  if (!g) return '';
  if (g.leftOut) return `\ngbdt left out of auto+gbdt: ${g.leftOut}`;
  return `\ngbdt: one model over ${g.series} series, ${g.trainRows} training rows, trained in ${g.trainSeconds!.toFixed(1)} s (twice: calibration and final); holidays of ${g.holidays ?? 'no known country'}`;
}

function toText(f: LevelForecast, version: number): string {
  const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
  const one = f.series.length === 1 ? f.series[0]! : null;
  const body = one
    ? formatTable(
        ['date', 'forecast', '80% interval', '95% interval'],
        f.dates.map((d, k) => [
          d,
          round(one.mean[k]!).toFixed(1),
          `${one.lo80[k]!.toFixed(1)} - ${one.hi80[k]!.toFixed(1)}`,
          `${one.lo95[k]!.toFixed(1)} - ${one.hi95[k]!.toFixed(1)}`,
        ]),
      )
    : formatTable(
        [f.level, 'model', `${f.measure}, next ${f.horizon} ${f.granularity}s`, 'note'],
        f.series.slice(0, 20).map((s) => [s.id, s.model, sum(s.mean).toFixed(1), s.note ?? '']),
      ) + (f.series.length > 20 ? `\n... and ${f.series.length - 20} more (--csv or --json for all)` : '');
  const notes = one?.note ? `\nnote: ${one.note}` : '';
  const skipped = f.skipped.length
    ? `\n${f.skipped.length} series left out: ${f.skipped
        .slice(0, 3)
        .map((s) => `${s.id} (${s.reason})`)
        .join('; ')}${f.skipped.length > 3 ? '; ...' : ''}`
    : '';
  const head = one ? `${f.level} ${one.id}: ${one.model}, ${one.intervals} intervals\n` : '';
  return (
    head +
    body +
    notes +
    skipped +
    globalLine(f) +
    `\n${f.series.length} series forecast from ${f.dates[0]} (history to ${f.historyEnd.toISOString().slice(0, 10)}), stored as forecast version ${version}\n`
  );
}

export function forecastCommand(): Command {
  return new Command('forecast')
    .description(
      'units or revenue per day for the coming weeks, per total, country, category or product, with 80%/95% intervals',
    )
    .addOption(new Option('--level <level>', 'which series').choices([...SERIES_LEVELS]).default('total'))
    .option('--id <id>', 'one series of the level: a product id, a country, a category (total: total)')
    .addOption(
      new Option('--horizon <n>', 'periods ahead (1..3660)')
        .default(28)
        .argParser(wholeNumber('--horizon', 1)),
    )
    .addOption(
      new Option('--model <name>', `auto or one of: ${MODEL_NAMES.slice(1).join(', ')}`).default('auto'),
    )
    .addOption(new Option('--granularity <g>', 'days or weeks').choices(['day', 'week']).default('day'))
    .addOption(new Option('--measure <m>', 'what is forecast').choices(['units', 'revenue']).default('units'))
    .addOption(
      new Option('--undone <how>', 'cancellations and returns: left out, or netted on their own date')
        .choices(['exclude', 'net'])
        .default('exclude'),
    )
    .addOption(
      new Option('--top <n>', 'only the n largest series of the level').argParser(wholeNumber('--top', 1)),
    )
    .addOption(
      new Option('--threads <n>', 'worker threads to fit on (default: the cores, at most 4)').argParser(
        wholeNumber('--threads', 1),
      ),
    )
    .option(
      '--plot <file.svg>',
      'write an SVG of the first series (or --id): recent history, forecast and intervals',
    )
    .addOption(dbOption())
    .addOption(jsonOption().conflicts('csv'))
    .addOption(
      new Option('--csv', 'print level,id,date,forecast,lo80,hi80,lo95,hi95 on stdout').conflicts('json'),
    )
    .action(async (opts: Options) => {
      const { f, version } = await withWarehouse(
        opts.db,
        async (wh) => {
          const progress = startProgress(wh, 'forecast');
          try {
            const f = await forecastLevel(wh, {
              level: opts.level,
              ...(opts.id !== undefined ? { id: opts.id } : {}),
              horizon: opts.horizon,
              model: opts.model,
              granularity: opts.granularity,
              measure: opts.measure,
              undone: opts.undone,
              ...(opts.top !== undefined ? { top: opts.top } : {}),
              ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
              onSeries: (done, total) =>
                progress.step(`forecast ${done} of ${total} series`, 0, 1, done, total + 1),
            });
            const version = await storeForecastRun(wh, { ...f, modelRequested: f.model });
            return { f, version };
          } finally {
            progress.stop();
          }
        },
        { clickhouse: true },
      );
      if (opts.plot) {
        const row = f.series[0];
        if (!row) throw new Error('--plot: no series was forecast');
        const first = new Date(
          f.historyEnd.getTime() - (row.recent.length - 1) * 86_400_000 * (f.granularity === 'week' ? 7 : 1),
        );
        writeFileSync(
          opts.plot,
          forecastSvg(
            row,
            `${f.level} ${row.id}: ${f.measure} per ${f.granularity}, ${row.model}`,
            first.toISOString().slice(0, 10),
            f.dates[f.dates.length - 1]!,
          ),
        );
      }
      if (opts.json) return printJson(toJson(f, version));
      if (opts.csv) return void process.stdout.write(toCsv(f));
      process.stdout.write(toText(f, version));
    });
}
