/**
 * @module server/training-jobs
 * Training jobs of the server: each runs `trainAndRegister` in a worker thread over a connection lent
 * by the server's warehouse (registry/training-thread.ts), so requests keep being answered while
 * GBDT or BPR train for minutes. One job per training task at a time (a second one is refused);
 * jobs are kept in memory, the last MAX_JOBS of them, and are lost when the server stops (the models
 * they stored are not).
 *
 * - An admin job (`POST /v1/admin/train/:task`) stores and, unless told otherwise, promotes, then
 *   refreshes the model cache of each promoted task: the new version is loaded before it serves.
 * - A scheduled job (`serve --retrain-every`) stores candidates, then promotes each one only when it
 *   is not worse than the serving version beyond the tolerance (registry/retrain.ts), and logs why.
 * - An admin job with `promote: "if_not_worse"`, and the job `shopsight start` runs to replace its fast
 *   first recommender (trigger `start`), decide the same way with no tolerance.
 */
import { randomUUID } from 'node:crypto';
import type { ModelRecord } from '../schema/models.js';
import { promoteIfNotWorse, type RetrainOutcome } from '../registry/retrain.js';
import { trainInWorker, type TrainingThread } from '../registry/training-thread.js';
import type { TrainingOptions, TrainingTask } from '../registry/training.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { ServerWarehouse } from './db-pool.js';
import type { Promotions } from './promotions.js';
import type { Promotion } from './training-options.js';

/** What the job runner needs from the server (a subset of ServerContext). */
export interface TrainingJobHost {
  readonly db: Pick<ServerWarehouse, 'connect' | 'write'>;
  readonly models: { refresh(task: string): Promise<void> };
  readonly log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

/** Who started a job: an admin call, scheduled retraining, or `shopsight start` improving its fast first models. */
export type JobTrigger = 'admin' | 'schedule' | 'start';
export type JobStatus = 'running' | 'succeeded' | 'failed';

export interface JobStep {
  readonly label: string;
  readonly ordinal: number;
  readonly total: number;
  readonly at: Date;
}

export interface TrainingJob {
  readonly id: string;
  readonly task: TrainingTask;
  readonly trigger: JobTrigger;
  readonly options: TrainingOptions[TrainingTask];
  /** What happens to the stored versions (scheduled jobs: if_not_worse). */
  readonly promotion: Promotion;
  readonly createdAt: Date;
  status: JobStatus;
  finishedAt?: Date;
  readonly steps: JobStep[];
  /** The stored versions as they are after the job (promoted or candidate). */
  models?: ModelRecord[];
  /** Scheduled jobs: what was decided for each retrained version, and why. */
  retrain?: RetrainOutcome[];
  error?: { readonly name: string; readonly message: string };
  /** Settles when the job has finished (never rejects). */
  readonly finished: Promise<void>;
}

/** A job for this task is running already. */
export class JobRunningError extends Error {
  override readonly name = 'JobRunningError';
  constructor(readonly running: TrainingJob) {
    super(
      `a ${running.task} training job is running already (${running.id}, started ${running.createdAt.toISOString()})`,
    );
  }
}

/** Jobs kept for GET /v1/admin/jobs/:id; older finished ones are forgotten. */
export const MAX_JOBS = 100;

export class TrainingJobs {
  private readonly jobs = new Map<string, TrainingJob>();
  private readonly running = new Map<
    TrainingTask,
    { job: TrainingJob; thread?: TrainingThread<TrainingTask> }
  >();

  constructor(
    private readonly host: TrainingJobHost,
    private readonly promotions: Promotions,
    /** Tolerance of scheduled retraining (registry/retrain-decision.ts). */
    private readonly tolerance: number,
  ) {}

  get(id: string): TrainingJob | undefined {
    return this.jobs.get(id);
  }

  /** Newest first. */
  list(): TrainingJob[] {
    return [...this.jobs.values()].reverse();
  }

  runningJob(task: TrainingTask): TrainingJob | undefined {
    return this.running.get(task)?.job;
  }

  /**
   * Starts a job (throws JobRunningError when one for `task` runs). Resolves once the worker has its
   * connection; the job itself runs on.
   */
  async start<T extends TrainingTask>(
    task: T,
    options: TrainingOptions[T],
    trigger: JobTrigger,
    /** Default: if_not_worse for scheduled jobs, else what options.promote says. */
    promotion?: Promotion,
  ): Promise<TrainingJob> {
    const busy = this.running.get(task);
    if (busy) throw new JobRunningError(busy.job);
    const id = randomUUID();
    const decided: Promotion =
      promotion ?? (trigger === 'schedule' ? 'if_not_worse' : options.promote === false ? 'never' : 'always');
    // A job that compares stores candidates; promotion is decided after comparing.
    const opts = (decided === 'always' ? options : { ...options, promote: false }) as TrainingOptions[T];
    let finish!: () => void;
    const job: TrainingJob = {
      id,
      task,
      trigger,
      options: opts,
      promotion: decided,
      createdAt: new Date(),
      status: 'running',
      steps: [],
      finished: new Promise<void>((resolve) => (finish = resolve)),
    };
    // Reserve the task before the first await, so two requests cannot both start one.
    const slot: { job: TrainingJob; thread?: TrainingThread<TrainingTask> } = { job };
    this.running.set(task, slot);
    let lent: Warehouse;
    try {
      lent = await this.host.db.connect();
    } catch (err) {
      this.running.delete(task);
      throw err;
    }
    this.remember(job);
    const thread = trainInWorker(lent, task, opts, (label, ordinal, total) =>
      job.steps.push({ label, ordinal, total, at: new Date() }),
    ) as TrainingThread<TrainingTask>;
    slot.thread = thread;
    this.host.log.info({ job_id: id, task, trigger }, `${task} training started (${trigger})`);
    void thread.result
      .then((r) => this.afterTraining(job, r.models))
      .then(
        () => {
          job.status = 'succeeded';
          this.host.log.info(
            { job_id: id, task, trigger, models: job.models?.map((m) => `${m.modelId} ${m.status}`) },
            `${task} training finished`,
          );
        },
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          job.status = 'failed';
          job.error = { name: e.name, message: e.message };
          this.host.log.error(
            { job_id: id, task, trigger, err: job.error },
            `${task} training failed: ${e.message}`,
          );
        },
      )
      .finally(() => {
        job.finishedAt = new Date();
        this.running.delete(task);
        finish();
      });
    return job;
  }

  /**
   * Jobs that promoted in the worker: refresh the cache of each promoted task. Jobs that compare
   * (scheduled ones, and `if_not_worse`): decide per version, promote the ones not worse, log every
   * decision, refresh what changed. Scheduled jobs allow the server's tolerance; the others none (a
   * new version must be at least as good).
   */
  private async afterTraining(job: TrainingJob, models: readonly ModelRecord[]): Promise<void> {
    if (job.promotion !== 'if_not_worse') {
      job.models = [...models];
      for (const m of models) if (m.status === 'promoted') await this.promotions.change(m.task);
      return;
    }
    job.retrain = [];
    job.models = [];
    for (const m of models) {
      // Decided and promoted on the write connection, under the task's promotion lock.
      const tolerance = job.trigger === 'schedule' ? this.tolerance : 0;
      const [o] = (await this.promotions.change(m.task, (wh) => promoteIfNotWorse(wh, [m], tolerance)))!;
      job.retrain.push(o!);
      job.models.push(o!.promoted ? { ...m, status: 'promoted' } : m);
      this.host.log.info(
        {
          job_id: job.id,
          task: o!.task,
          candidate: o!.candidate,
          serving: o!.serving,
          promoted: o!.promoted,
          metric: o!.decision.metric,
          candidate_metric: o!.decision.candidate,
          serving_metric: o!.decision.serving,
          tolerance: o!.decision.tolerance,
        },
        o!.decision.reason,
      );
    }
  }

  private remember(job: TrainingJob): void {
    this.jobs.set(job.id, job);
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= MAX_JOBS) break;
      if (j.status !== 'running') this.jobs.delete(id);
    }
  }

  /** Stops every running job (server shutdown): their connections close, nothing half-written stays. */
  async cancelAll(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async ({ job, thread }) => {
        await thread?.cancel();
        await job.finished;
      }),
    );
  }
}
