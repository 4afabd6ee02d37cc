/**
 * @module ml/forecast/forecast-many-worker
 * Worker-thread entry for forecastMany: forecasts each series of its job in turn and posts each
 * answer as it is done (the caller's progress), or the error that stopped it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { forecastOne, type ForecastManyJob, type ForecastManyMessage } from './forecast-many.js';

const job = workerData as ForecastManyJob;
try {
  for (let i = 0; i < job.count; i++) {
    const result = forecastOne(job.values.subarray(i * job.length, (i + 1) * job.length), job.options);
    parentPort!.postMessage({ type: 'series', index: i, result } satisfies ForecastManyMessage);
  }
} catch (e) {
  parentPort!.postMessage({
    type: 'error',
    message: e instanceof Error ? e.message : String(e),
  } satisfies ForecastManyMessage);
}
