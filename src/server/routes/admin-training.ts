/**
 * @module server/routes/admin-training
 * Training through the API (admin): `POST /v1/admin/train/:task` starts a job in a worker thread and
 * answers 202 with where to follow it; `GET /v1/admin/jobs/:id` says how far it is, then what it
 * stored (versions and metrics) or why it failed. One job per task at a time (409 otherwise).
 * With `serve --retrain-every`, the scheduled retraining runs through the same jobs.
 */
import { TRAINING_TASKS, type TrainingTask } from '../../registry/training.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { promotionsOf } from '../promotions.js';
import { startRetrainSchedule } from '../retrain-schedule.js';
import { JobRunningError, TrainingJobs, type TrainingJob } from '../training-jobs.js';
import {
  promotionOf,
  TRAIN_BODY_SCHEMA,
  TrainBodyError,
  trainingOptions,
  type TrainBody,
} from '../training-options.js';
import type { RoutePlugin } from './route-plugin.js';
import { MODEL_JSON_SCHEMA, modelJson } from './model-json.js';

const TASKS = Object.keys(TRAINING_TASKS) as TrainingTask[];

const iso = (d: Date | undefined): string | null => d?.toISOString() ?? null;

/** The options a job runs with, as the body names them. */
function optionsJson(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o['cutoff'] instanceof Date) out['cutoff'] = o['cutoff'].toISOString().slice(0, 10);
  if (o['horizonDays'] !== undefined) out['horizon_days'] = o['horizonDays'];
  if (o['seed'] !== undefined) out['seed'] = o['seed'];
  if (o['model'] !== undefined) out['model'] = o['model'];
  if (o['candidates'] !== undefined) out['candidates'] = o['candidates'];
  if (typeof o['budgetSeconds'] === 'number') {
    out['budget_seconds'] = Number.isFinite(o['budgetSeconds']) ? o['budgetSeconds'] : null;
  }
  if (o['reviewRate'] !== undefined) out['review_rate'] = o['reviewRate'];
  if (o['labels'] !== undefined) out['labels'] = o['labels'];
  if (o['promote'] !== undefined) out['promote'] = o['promote'];
  return out;
}

export function jobJson(j: TrainingJob): Record<string, unknown> {
  return {
    job_id: j.id,
    task: j.task,
    trigger: j.trigger,
    promotion: j.promotion,
    status: j.status,
    created_at: j.createdAt.toISOString(),
    finished_at: iso(j.finishedAt),
    options: optionsJson(j.options as Record<string, unknown>),
    steps: j.steps.map((s) => ({
      label: s.label,
      ordinal: s.ordinal,
      total: s.total,
      at: s.at.toISOString(),
    })),
    models: j.models?.map(modelJson) ?? null,
    retrain:
      j.retrain?.map((o) => ({
        task: o.task,
        candidate: o.candidate,
        serving: o.serving,
        promoted: o.promoted,
        reason: o.decision.reason,
        metric: o.decision.metric,
        candidate_metric: o.decision.candidate,
        serving_metric: o.decision.serving,
        tolerance: o.decision.tolerance,
      })) ?? null,
    error: j.error ?? null,
  };
}

const JOB_SCHEMA = {
  type: 'object',
  required: ['job_id', 'task', 'trigger', 'promotion', 'status', 'created_at', 'steps'],
  properties: {
    job_id: { type: 'string' },
    task: { type: 'string', enum: TASKS },
    trigger: { type: 'string', enum: ['admin', 'schedule', 'start'] },
    promotion: { type: 'string', enum: ['always', 'never', 'if_not_worse'] },
    status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
    created_at: { type: 'string', format: 'date-time' },
    finished_at: { type: ['string', 'null'], format: 'date-time' },
    options: { type: 'object', additionalProperties: true },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          label: { type: 'string' },
          ordinal: { type: 'integer' },
          total: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
    models: { type: ['array', 'null'], items: MODEL_JSON_SCHEMA },
    retrain: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          task: { type: 'string' },
          candidate: { type: 'string' },
          serving: { type: ['string', 'null'] },
          promoted: { type: 'boolean' },
          reason: { type: 'string' },
          metric: { type: 'string' },
          candidate_metric: { type: ['number', 'null'] },
          serving_metric: { type: ['number', 'null'] },
          tolerance: { type: 'number' },
        },
      },
    },
    error: {
      type: ['object', 'null'],
      properties: { name: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export const adminTrainingRoutes: RoutePlugin = (app, ctx) => {
  const promotions = promotionsOf(ctx);
  const jobs = new TrainingJobs(ctx, promotions, ctx.config.retrainTolerance);
  const every = ctx.config.retrainEverySeconds;
  const schedule = every ? startRetrainSchedule(ctx, jobs, every) : undefined;
  // `shopsight start`: look for better models than its fast first ones, without holding up the start.
  app.addHook('onListen', async () => {
    for (const task of ctx.config.improveInBackground ?? []) {
      const options = task === 'recommend' ? { model: 'auto' } : {};
      jobs
        .start(task, options, 'start', 'if_not_worse')
        .catch((err: unknown) =>
          ctx.log.warn({ task, err: (err as Error).message }, `${task}: background training not started`),
        );
    }
  });
  ctx.onClose(async () => {
    const stopped = schedule?.stop();
    await jobs.cancelAll();
    await stopped;
  });

  app.post(
    '/v1/admin/train/:task',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Train a task in the background (202 with the job to follow)',
        description:
          'customers: churn, purchase propensity and CLV models (GBDT vs logistic chosen on a selection part); ' +
          'recommend: the recommender `model` names, or `auto` within `budget`; risk: the order risk model (isolation ' +
          'forest, or a GBDT with `labels`); ' +
          'sentiment: the review sentiment model, then every review the promoted model has not scored is scored (the reviews insight reads those scores). The models are stored and, unless ' +
          '`promote` is false, promoted and loaded before they serve. Training runs in a worker thread: requests ' +
          'keep being answered. One job per task at a time: 409 while one runs.',
        params: {
          type: 'object',
          required: ['task'],
          properties: { task: { type: 'string', enum: TASKS, examples: ['recommend'] } },
        },
        body: { ...TRAIN_BODY_SCHEMA, examples: [{ model: 'popularity', promote: false }] },
        response: {
          202: {
            type: 'object',
            required: ['job_id', 'status_url', 'task', 'status'],
            properties: {
              job_id: { type: 'string' },
              status_url: { type: 'string' },
              task: { type: 'string' },
              status: { type: 'string' },
            },
          },
          400: ERROR_BODY_SCHEMA,
          409: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const { task } = req.params as { task: TrainingTask };
      let options;
      try {
        options = trainingOptions(task, (req.body ?? {}) as TrainBody);
      } catch (e) {
        if (e instanceof TrainBodyError) {
          throw httpError(400, 'invalid_request', e.message, [{ path: `/${e.field}`, message: e.message }]);
        }
        throw e;
      }
      let job: TrainingJob;
      try {
        job = await jobs.start(task, options, 'admin', promotionOf((req.body ?? {}) as TrainBody));
      } catch (e) {
        if (e instanceof JobRunningError) {
          throw httpError(409, 'job_running', e.message, {
            job_id: e.running.id,
            status_url: `/v1/admin/jobs/${e.running.id}`,
          });
        }
        throw e;
      }
      req.log.info({ job_id: job.id, task, by: req.apiKey?.keyId }, `${task} training job started`);
      return reply.code(202).send({
        job_id: job.id,
        status_url: `/v1/admin/jobs/${job.id}`,
        task,
        status: job.status,
      });
    },
  );

  app.get(
    '/v1/admin/jobs/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'A training job: status, steps, then the stored versions with their metrics, or the error',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', examples: ['2f1c9a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b'] } },
        },
        response: { 200: JOB_SCHEMA, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const job = jobs.get(id);
      if (!job) {
        throw httpError(
          404,
          'unknown_job',
          `no training job ${id} (jobs are kept in memory: the last 100, since the server started)`,
        );
      }
      return jobJson(job);
    },
  );

  app.get(
    '/v1/models/jobs',
    {
      config: { role: 'read' },
      schema: {
        tags: ['models'],
        summary:
          'Training jobs since the server started, newest first: progress, then what was stored and promoted',
        description:
          'The same jobs as GET /v1/admin/jobs, readable with a read key, so a dashboard shows models ' +
          'training in the background (steps done of total), then the versions stored and, for jobs that ' +
          'compare, each decision with the two validation metrics and its reason.',
        response: {
          200: {
            type: 'object',
            required: ['jobs'],
            properties: { jobs: { type: 'array', items: JOB_SCHEMA } },
          },
        },
      },
    },
    async () => ({ jobs: jobs.list().map(jobJson) }),
  );

  app.get(
    '/v1/admin/jobs',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Training jobs since the server started, newest first (scheduled retraining included)',
        response: {
          200: {
            type: 'object',
            required: ['jobs'],
            properties: { jobs: { type: 'array', items: JOB_SCHEMA } },
          },
        },
      },
    },
    async () => ({ jobs: jobs.list().map(jobJson) }),
  );
};
