/**
 * @module server/retrain-schedule
 * `serve --retrain-every 6h`: every interval, each training task with a promoted model is retrained
 * in a worker (a scheduled job of TrainingJobs, visible at /v1/admin/jobs/:id) and each new version
 * is promoted only when its validation metric is not worse than the serving one's beyond the
 * tolerance (registry/retrain-decision.ts); every decision is logged with its reason.
 *
 * Tasks are retrained one after another (the machine's cores go to one training at a time); a task
 * whose admin job is running is skipped this time, and a tick that comes while a cycle still runs
 * is skipped too. A recommender is retrained as the model that serves (its `params.model`), so a
 * retrain refreshes the serving model on new data; choosing another model stays an admin decision
 * (`POST /v1/admin/train/recommend` with `model: auto`).
 */
import { MAX_TIMER_SECONDS } from '../core/duration.js';
import { listModels } from '../registry/registry.js';
import { tasksToRetrain } from '../registry/retrain.js';
import { TRAINING_TASKS, type TrainingOptions, type TrainingTask } from '../registry/training.js';
import type { ModelRecord } from '../schema/models.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { JobRunningError, type TrainingJobHost, type TrainingJobs } from './training-jobs.js';

export interface RetrainScheduleHost extends TrainingJobHost {
  readonly db: TrainingJobHost['db'] & { read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> };
}

export interface RetrainSchedule {
  /** Runs one cycle now (the timer calls this); resolves when its jobs have finished. */
  runCycle(): Promise<void>;
  /** Stops the timer and waits for a cycle in progress to end its current job. */
  stop(): Promise<void>;
}

function optionsFor(task: TrainingTask, serving: readonly ModelRecord[]): TrainingOptions[TrainingTask] {
  if (task === 'recommend') {
    const model = serving.find((m) => m.task === 'recommend')?.params['model'];
    return typeof model === 'string' ? { model } : {};
  }
  return {};
}

export function startRetrainSchedule(
  host: RetrainScheduleHost,
  jobs: TrainingJobs,
  everySeconds: number,
): RetrainSchedule {
  if (!(everySeconds > 0) || everySeconds > MAX_TIMER_SECONDS) {
    throw new RangeError(
      `--retrain-every must be between 1 s and ${MAX_TIMER_SECONDS} s, got ${everySeconds} s`,
    );
  }
  let current: Promise<void> | undefined;
  let stopped = false;
  const log = host.log;

  const cycle = async (): Promise<void> => {
    const serving = (await host.db.read((wh) => listModels(wh))).filter((m) => m.status === 'promoted');
    const tasks = tasksToRetrain(TRAINING_TASKS, new Set(serving.map((m) => m.task)));
    log.info(
      { tasks },
      tasks.length
        ? `scheduled retraining: ${tasks.join(', ')}`
        : 'scheduled retraining: no task has a promoted model',
    );
    for (const task of tasks) {
      if (stopped) return;
      try {
        const job = await jobs.start(task, optionsFor(task, serving), 'schedule');
        await job.finished;
      } catch (err) {
        if (!(err instanceof JobRunningError)) throw err;
        log.info({ task, job_id: err.running.id }, `scheduled retraining of ${task} skipped: ${err.message}`);
      }
    }
  };

  const runCycle = (): Promise<void> => {
    if (current) {
      log.info({}, 'scheduled retraining skipped: the previous cycle is still running');
      return current;
    }
    current = cycle()
      .catch((err: unknown) =>
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'scheduled retraining failed'),
      )
      .finally(() => (current = undefined));
    return current;
  };

  const timer = setInterval(() => void runCycle(), everySeconds * 1000);
  timer.unref();
  return {
    runCycle,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
