/**
 * @module server/training-options
 * The body of `POST /v1/admin/train/:task`, checked and turned into trainAndRegister's options, with
 * the same checks as the CLI's `train customers` / `train recommend` / `train risk` flags (cutoff day, horizon,
 * seed, model names with a did-you-mean, budget durations). A bad field is refused with its name.
 */
import { parseDuration } from '../core/duration.js';
import { parseCutoff } from '../features/cutoff.js';
import type { TrainingOptions, TrainingTask } from '../registry/training.js';
import { checkRecommenderNames } from '../tasks/recommend/models.js';

/** The body as JSON (snake_case). */
export interface TrainBody {
  readonly cutoff?: string;
  readonly horizon_days?: number;
  readonly seed?: number;
  readonly model?: string;
  readonly candidates?: string[];
  readonly budget?: string;
  readonly review_rate?: number;
  readonly labels?: string;
  readonly promote?: boolean | 'if_not_worse';
}

/**
 * What a job does with the versions it stored: `always` serve them (the default), `never` (keep them
 * as candidates), `if_not_worse` serve each one only when its validation metric is at least the
 * serving version's (registry/retrain-decision.ts), the decision kept in the job with its reason.
 */
export type Promotion = 'always' | 'never' | 'if_not_worse';

export function promotionOf(body: TrainBody): Promotion {
  if (body.promote === 'if_not_worse') return 'if_not_worse';
  return body.promote === false ? 'never' : 'always';
}

/** Which task each field belongs to. */
const FIELDS: Readonly<Record<keyof TrainBody, readonly TrainingTask[]>> = {
  cutoff: ['customers'],
  horizon_days: ['customers'],
  seed: ['customers', 'recommend', 'risk', 'sentiment'],
  model: ['recommend'],
  candidates: ['recommend'],
  budget: ['recommend'],
  review_rate: ['risk'],
  labels: ['risk'],
  promote: ['customers', 'recommend', 'risk', 'sentiment'],
};

/** A field of the body is wrong: `field` names it, the message says why. */
export class TrainBodyError extends Error {
  override readonly name = 'TrainBodyError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`body.${field}: ${reason}`);
  }
}

const checked = <T>(field: string, parse: () => T): T => {
  try {
    return parse();
  } catch (e) {
    throw new TrainBodyError(field, (e as Error).message);
  }
};

/** JSON schema of the body (Fastify validates types; trainingOptions checks meanings). */
export const TRAIN_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cutoff: {
      type: 'string',
      description:
        'customers: learn from data before this day (default: the latest day with a whole horizon after it)',
      examples: ['2011-06-01'],
    },
    horizon_days: {
      type: 'integer',
      minimum: 1,
      description: 'customers: churn horizon in days (90)',
      examples: [90],
    },
    seed: {
      type: 'integer',
      description:
        'customers: seed of the customer split (42); recommend, risk: seed (1); sentiment: seed of the 80/20 split of distinct texts (12)',
      examples: [42],
    },
    model: {
      type: 'string',
      description: 'recommend: a registered recommender, or auto (best validation NDCG@10 within the budget)',
      examples: ['auto'],
    },
    candidates: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      description: 'recommend: the models auto compares',
      examples: [['popularity', 'item-knn']],
    },
    budget: {
      type: 'string',
      description: 'recommend: wall time auto may spend: 600, 90s, 10m, 1.5h or none (10m)',
      examples: ['2m'],
    },
    review_rate: {
      // (0, 1) is checked below: OpenAPI 3.0 has only boolean exclusiveMinimum/Maximum.
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'risk: share of orders to hold for review, strictly between 0 and 1 (0.02)',
      examples: [0.02],
    },
    labels: {
      type: 'string',
      description:
        "risk: known fraud, a GBDT instead of the isolation forest: a CSV on the server's machine (order_id and a 0/1 label, is_fraud, fraud or class column), or 'column' for the store's orders.fraud_label",
      examples: ['chargebacks.csv'],
    },
    promote: {
      anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['if_not_worse'] }],
      description:
        'true (default): serve the new versions once stored; false: keep them as candidates; ' +
        '"if_not_worse": serve each only when its validation metric is at least the serving version\'s',
      examples: [true],
    },
  },
  examples: [{ budget: '2m', model: 'auto' }],
} as const;

export function trainingOptions<T extends TrainingTask>(task: T, body: TrainBody): TrainingOptions[T] {
  for (const key of Object.keys(body) as (keyof TrainBody)[]) {
    const tasks = FIELDS[key];
    if (tasks && !tasks.includes(task)) {
      throw new TrainBodyError(key, `applies to ${tasks.join(' and ')} training, not ${task}`);
    }
  }
  // if_not_worse stores candidates; the job promotes after comparing (promotionOf).
  const promote = body.promote === 'if_not_worse' ? false : body.promote;
  const common = {
    ...(body.seed !== undefined ? { seed: body.seed } : {}),
    ...(promote !== undefined ? { promote } : {}),
  };
  if (task === 'risk') {
    return {
      ...common,
      ...(body.review_rate !== undefined
        ? {
            reviewRate: checked('review_rate', () => {
              const r = body.review_rate!;
              if (!(r > 0 && r < 1)) throw new RangeError(`must be strictly between 0 and 1 (got ${r})`);
              return r;
            }),
          }
        : {}),
      ...(body.labels !== undefined ? { labels: body.labels } : {}),
    } as TrainingOptions[T];
  }
  if (task === 'customers') {
    return {
      ...common,
      ...(body.cutoff !== undefined ? { cutoff: checked('cutoff', () => parseCutoff(body.cutoff!)) } : {}),
      ...(body.horizon_days !== undefined ? { horizonDays: body.horizon_days } : {}),
    } as TrainingOptions[T];
  }
  if (task === 'sentiment') return common as TrainingOptions[T];
  if (body.model !== undefined && body.model !== 'auto')
    checked('model', () => checkRecommenderNames([body.model!]));
  if (body.candidates) checked('candidates', () => checkRecommenderNames(body.candidates!));
  return {
    ...common,
    ...(body.model !== undefined ? { model: body.model } : {}),
    ...(body.candidates ? { candidates: body.candidates } : {}),
    ...(body.budget !== undefined
      ? { budgetSeconds: checked('budget', () => parseDuration(body.budget!, 'budget', { allowNone: true })) }
      : {}),
  } as TrainingOptions[T];
}
