/**
 * @module ml/forecast/forecast-many
 * forecastSeries over many series (one row-major Float64Array, `count` series of `length` periods),
 * on the calling thread or split over worker threads: fitting is pure CPU per series, so two cores
 * forecast a level of thousands of products in about half the time. Series are dealt round-robin
 * (the largest come first in a level, and their long dense histories cost the most), each worker
 * gets a copy of its series, and the answers come back in the input order. A series the model
 * cannot use (ForecastInputError) gets its message instead of a forecast; any other error rejects.
 *
 * @example
 *   const out = await forecastMany(values, 365, 4000, { model: 'auto', season: 7, horizon: 28 }, { threads: 2 });
 *   out[0]; // { ok: true, forecast: {...} } or { ok: false, reason: 'a series needs ...' }
 */
import { spawnWorker } from '../../core/spawn-worker.js';
import { forecastSeries, type ForecastSeriesOptions, type SeriesForecast } from './forecast-series.js';
import { ForecastInputError } from './types.js';

export type ManyResult =
  { readonly ok: true; readonly forecast: SeriesForecast } | { readonly ok: false; readonly reason: string };

export interface ForecastManyJob {
  readonly values: Float64Array;
  readonly length: number;
  readonly count: number;
  readonly options: ForecastSeriesOptions;
}

/** Worker message: one series done (its index within the job), or a failure. */
export type ForecastManyMessage =
  | { readonly type: 'series'; readonly index: number; readonly result: ManyResult }
  | { readonly type: 'error'; readonly message: string };

/** Fewer series than this are forecast on the calling thread: starting a worker costs more. */
export const MIN_SERIES_PER_THREAD = 64;

export function forecastOne(values: Float64Array, options: ForecastSeriesOptions): ManyResult {
  try {
    return { ok: true, forecast: forecastSeries(values, options) };
  } catch (e) {
    if (e instanceof ForecastInputError) return { ok: false, reason: e.message };
    throw e;
  }
}

function runInWorker(
  job: ForecastManyJob,
  onSeries: (index: number, result: ManyResult) => void,
): Promise<void> {
  const worker = spawnWorker(import.meta.url, 'forecast-many-worker', job, [
    job.values.buffer as ArrayBuffer,
  ]);
  return new Promise<void>((resolve, reject) => {
    let done = 0;
    let failed = false;
    worker.on('message', (m: ForecastManyMessage) => {
      if (m.type === 'error') {
        failed = true;
        reject(new Error(m.message));
        void worker.terminate();
        return;
      }
      onSeries(m.index, m.result);
      if (++done === job.count) {
        resolve();
        void worker.terminate();
      }
    });
    worker.once('error', (e) => {
      failed = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!failed && done < job.count)
        reject(new Error(`forecast worker ended with code ${code} after ${done} of ${job.count} series`));
    });
  });
}

export async function forecastMany(
  values: Float64Array,
  length: number,
  count: number,
  options: ForecastSeriesOptions,
  run: { readonly threads?: number; readonly onSeries?: (done: number, total: number) => void } = {},
): Promise<ManyResult[]> {
  const threads = Math.max(1, Math.min(run.threads ?? 1, Math.floor(count / MIN_SERIES_PER_THREAD)));
  const out = new Array<ManyResult>(count);
  let done = 0;
  const finished = (): void => run.onSeries?.(++done, count);
  if (threads === 1) {
    for (let i = 0; i < count; i++) {
      out[i] = forecastOne(values.subarray(i * length, (i + 1) * length), options);
      finished();
    }
    return out;
  }
  const jobs = Array.from({ length: threads }, (_, k) => {
    const mine: number[] = [];
    for (let i = k; i < count; i += threads) mine.push(i);
    const part = new Float64Array(mine.length * length);
    mine.forEach((i, j) => part.set(values.subarray(i * length, (i + 1) * length), j * length));
    return { mine, job: { values: part, length, count: mine.length, options } };
  });
  await Promise.all(
    jobs.map(({ mine, job }) =>
      runInWorker(job, (j, result) => {
        out[mine[j]!] = result;
        finished();
      }),
    ),
  );
  return out;
}
