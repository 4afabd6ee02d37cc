/**
 * @module server/routes/decisions
 * Offers chosen by a bandit that learns from feedback (issue 11, tasks/marketing/decisions.ts):
 * `PUT /v1/admin/bandits/:policy` creates a policy over named arms, `POST /v1/decide` chooses an arm
 * for a customer and logs the decision with its propensity, `POST /v1/decisions/:id/reward` sends
 * the outcome back and updates the policy, `GET /v1/bandits/:policy` reads what it has learnt,
 * `GET /v1/decisions/:id` one decision and its reward. A policy created with `reward_from_events`
 * also learns from the feedback events: the job in server/decision-rewards.ts, started here.
 *
 * Decisions and rewards go through the write connection, one at a time: each reads the stored state,
 * and a reward rewrites it in the same transaction that marks the decision, so the state survives a
 * restart and no two rewards overwrite each other. The work per call is small (at most 2,000 posterior
 * draws), so it runs on the main thread.
 */
import { BANDIT_KINDS } from '../../ml/bandit/types.js';
import { EVENT_TYPES } from '../../schema/tables.js';
import {
  createPolicy,
  decide,
  decisionDetail,
  DecisionError,
  DEFAULT_REWARD_RULE,
  MAX_REWARD_WINDOW_HOURS,
  policySummary,
  rewardDecision,
  type PolicySummary,
} from '../../tasks/marketing/decisions.js';
import type { DecisionRow } from '../../warehouse/bandit-store.js';
import { DEFAULT_DECISION_REWARDS, startDecisionRewards } from '../decision-rewards.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { int, num, numOrNull, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const STATUS: Record<DecisionError['code'], number> = {
  invalid_request: 400,
  unknown_policy: 404,
  unknown_decision: 404,
  policy_exists: 409,
  duplicate_decision: 409,
  already_rewarded: 409,
};

async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DecisionError) throw httpError(STATUS[err.code], err.code, err.message);
    throw err;
  }
}

const POLICY_PARAM = {
  type: 'object',
  required: ['policy'],
  properties: {
    policy: { type: 'string', minLength: 1, maxLength: 64, examples: ['offers'] },
  },
} as const;

const REWARD_RULE = {
  type: 'object',
  required: ['events', 'window_hours'],
  properties: {
    events: { type: 'array', items: str },
    window_hours: num,
  },
} as const;

const SUMMARY = {
  type: 'object',
  required: [
    'policy',
    'kind',
    'params',
    'context_features',
    'reward_from_events',
    'arms',
    'rewards_by_source',
    'awaiting_reward',
    'created_at',
    'updated_at',
  ],
  properties: {
    policy: str,
    kind: str,
    params: { type: 'object', additionalProperties: num },
    context_features: { type: 'array', items: str },
    reward_from_events: { ...REWARD_RULE, type: ['object', 'null'] },
    rewards_by_source: {
      type: 'object',
      required: ['api', 'event', 'window'],
      description: 'rewarded decisions: through the reward route, by an event, at 0 when the window closed',
      properties: { api: int, event: int, window: int },
    },
    awaiting_reward: { ...int, description: 'decisions with no reward yet' },
    arms: {
      type: 'array',
      items: {
        type: 'object',
        required: ['arm', 'plays', 'mean_reward', 'decisions'],
        properties: {
          arm: str,
          plays: { ...num, description: 'rewards the policy has learnt from' },
          mean_reward: numOrNull,
          decisions: int,
        },
      },
    },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const summaryBody = (s: PolicySummary) => ({
  policy: s.policyId,
  kind: s.kind,
  params: s.params,
  context_features: s.contextFeatures,
  reward_from_events: s.rewardFromEvents
    ? { events: s.rewardFromEvents.events, window_hours: s.rewardFromEvents.windowHours }
    : null,
  arms: s.arms.map((a) => ({
    arm: a.arm,
    plays: a.plays,
    mean_reward: a.meanReward,
    decisions: a.decisions,
  })),
  rewards_by_source: s.rewardsBySource,
  awaiting_reward: s.awaitingReward,
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
});

const dateOrNull = { type: ['string', 'null'], format: 'date-time' } as const;

const DECISION = {
  type: 'object',
  required: [
    'decision_id',
    'policy',
    'customer_id',
    'arm',
    'propensity',
    'decided_at',
    'reward_closes_at',
    'reward',
    'reward_source',
    'reward_event_id',
    'rewarded_at',
  ],
  properties: {
    decision_id: str,
    policy: str,
    customer_id: strOrNull,
    arm: str,
    propensity: num,
    decided_at: { type: 'string', format: 'date-time' },
    reward_closes_at: {
      ...dateOrNull,
      description: 'end of the reward window (null: the policy has no reward_from_events)',
    },
    reward: numOrNull,
    reward_source: {
      type: ['string', 'null'],
      enum: ['api', 'event', 'window', null],
      description: 'the reward route, an event (reward_event_id), or 0 at the end of the window',
    },
    reward_event_id: strOrNull,
    rewarded_at: dateOrNull,
  },
} as const;

const decisionBody = (d: DecisionRow) => ({
  decision_id: d.decisionId,
  policy: d.policyId,
  customer_id: d.customerId,
  arm: d.arm,
  propensity: d.propensity,
  decided_at: d.decidedAt.toISOString(),
  reward_closes_at: d.rewardClosesAt?.toISOString() ?? null,
  reward: d.reward,
  reward_source: d.rewardSource,
  reward_event_id: d.rewardEventId,
  rewarded_at: d.rewardedAt?.toISOString() ?? null,
});

const errors = { 400: ERROR_BODY_SCHEMA, 404: ERROR_BODY_SCHEMA, 409: ERROR_BODY_SCHEMA };

const DECISION_ID_PARAM = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, examples: ['req_example_decision'] },
  },
} as const;

export const decisionRoutes: RoutePlugin = (app, ctx) => {
  const tags = ['decisions'];
  const rewards = startDecisionRewards(
    ctx.db,
    ctx.log,
    ctx.config.decisionRewards ?? DEFAULT_DECISION_REWARDS,
  );
  ctx.onClose(() => rewards.stop());

  app.put<{
    Params: { policy: string };
    Body: {
      policy: string;
      arms: string[];
      context_features?: string[];
      params?: Record<string, number>;
      reward_from_events?: { events?: string[]; window_hours?: number };
    };
  }>(
    '/v1/admin/bandits/:policy',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin', ...tags],
        summary: 'Create a bandit policy over named arms',
        description:
          'Thompson sampling (Beta-Bernoulli), epsilon-greedy and UCB1 choose without context; LinUCB and ' +
          'linear Thompson sampling choose by the named context numbers (a constant 1 is added). Rewards are ' +
          'in [0, 1], sent to /v1/decisions/{id}/reward or, with `reward_from_events`, taken from the events ' +
          'posted to /v1/events. An existing policy is never replaced (its learnt state would be lost): 409.',
        params: {
          ...POLICY_PARAM,
          properties: { policy: { ...POLICY_PARAM.properties.policy, examples: ['subject-lines'] } },
        },
        body: {
          type: 'object',
          required: ['policy', 'arms'],
          additionalProperties: false,
          properties: {
            policy: { type: 'string', enum: [...BANDIT_KINDS], examples: ['thompson'] },
            arms: {
              type: 'array',
              minItems: 2,
              maxItems: 100,
              items: { type: 'string', minLength: 1, maxLength: 200 },
              examples: [['Spring sale', 'New arrivals']],
            },
            context_features: {
              type: 'array',
              maxItems: 100,
              items: { type: 'string', minLength: 1, maxLength: 100 },
              description:
                'linucb and linear-thompson only: the names of the numbers /v1/decide sends as context',
              examples: [[]],
            },
            params: {
              type: 'object',
              additionalProperties: { type: 'number' },
              description:
                'thompson: prior_alpha, prior_beta (1, 1); epsilon-greedy: epsilon (0.1); linucb: alpha (1), ridge (1); ' +
                'linear-thompson: v (1), ridge (1)',
              examples: [{ prior_alpha: 1, prior_beta: 1 }],
            },
            reward_from_events: {
              type: 'object',
              additionalProperties: false,
              description:
                'learn from the events: an event of one of `events` that names the decision (`decision_id`, top level ' +
                "or in properties), or else by the decision's customer within `window_hours` of it when the decision " +
                "is the policy's latest for that customer, rewards it 1; a window that ends with no such event " +
                `rewards it 0. Defaults: ${JSON.stringify(DEFAULT_REWARD_RULE.events)}, ${DEFAULT_REWARD_RULE.windowHours} hours.`,
              properties: {
                events: {
                  type: 'array',
                  minItems: 1,
                  maxItems: EVENT_TYPES.length,
                  items: { type: 'string', enum: [...EVENT_TYPES] },
                  examples: [['purchase']],
                },
                window_hours: {
                  type: 'number',
                  minimum: 0,
                  description: 'more than 0 (checked in code: OpenAPI 3.0 has no numeric exclusiveMinimum)',
                  maximum: MAX_REWARD_WINDOW_HOURS,
                  examples: [168],
                },
              },
              examples: [{ events: ['purchase'], window_hours: 168 }],
            },
          },
          examples: [
            {
              policy: 'thompson',
              arms: ['Spring sale', 'New arrivals'],
              params: { prior_alpha: 1, prior_beta: 1 },
              reward_from_events: { events: ['purchase'], window_hours: 168 },
            },
          ],
        },
        response: { 201: SUMMARY, ...errors },
      },
    },
    async (req, reply) => {
      const s = await mapped(() =>
        ctx.db.write(
          (wh) =>
            createPolicy(wh, {
              policyId: req.params.policy,
              kind: req.body.policy,
              arms: req.body.arms,
              ...(req.body.context_features ? { contextFeatures: req.body.context_features } : {}),
              ...(req.body.params ? { params: req.body.params } : {}),
              ...(req.body.reward_from_events
                ? {
                    rewardFromEvents: {
                      ...(req.body.reward_from_events.events
                        ? { events: req.body.reward_from_events.events }
                        : {}),
                      ...(req.body.reward_from_events.window_hours !== undefined
                        ? { windowHours: req.body.reward_from_events.window_hours }
                        : {}),
                    },
                  }
                : {}),
            }),
          'serving',
        ),
      );
      return reply.code(201).send(summaryBody(s));
    },
  );

  app.get<{ Params: { policy: string } }>(
    '/v1/bandits/:policy',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'What a bandit policy has learnt: plays, mean reward and decisions per arm',
        params: POLICY_PARAM,
        response: { 200: SUMMARY, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => summaryBody(await mapped(() => ctx.db.read((wh) => policySummary(wh, req.params.policy)))),
  );

  app.post<{ Body: { policy: string; customer_id?: string; context?: Record<string, unknown> } }>(
    '/v1/decide',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary:
          'Which arm (offer, variant, strategy) for this customer: the policy chooses and the decision is logged',
        description:
          '`decision_id` is the request id (the `x-request-id` sent, else a generated one): send the outcome back ' +
          'to /v1/decisions/{decision_id}/reward. `propensity` is the chance with which the arm was drawn ' +
          "(`probabilities` gives every arm's), kept with the decision for off-policy evaluation.",
        body: {
          type: 'object',
          required: ['policy'],
          additionalProperties: false,
          properties: {
            policy: { type: 'string', minLength: 1, maxLength: 64, examples: ['offers'] },
            customer_id: { type: 'string', minLength: 1, maxLength: 200, examples: ['12347'] },
            context: {
              type: 'object',
              additionalProperties: true,
              description: 'the numbers a contextual policy was created with, by name',
              examples: [{}],
            },
          },
          examples: [{ policy: 'offers', customer_id: '12347' }],
        },
        response: {
          200: {
            type: 'object',
            required: ['decision_id', 'policy', 'arm', 'propensity', 'probabilities', 'decided_at'],
            properties: {
              decision_id: str,
              policy: str,
              arm: str,
              propensity: num,
              probabilities: { type: 'object', additionalProperties: num },
              decided_at: { type: 'string', format: 'date-time' },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const d = await mapped(() =>
        ctx.db.write(
          (wh) =>
            decide(wh, {
              policyId: req.body.policy,
              customerId: req.body.customer_id ?? null,
              ...(req.body.context ? { context: req.body.context } : {}),
              decisionId: req.id,
            }),
          'serving',
        ),
      );
      return {
        decision_id: d.decisionId,
        policy: d.policyId,
        arm: d.arm,
        propensity: d.propensity,
        probabilities: d.probabilities,
        decided_at: d.decidedAt.toISOString(),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/decisions/:id',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary:
          'One decision as logged: the arm, its propensity, and its reward once it came (and from where)',
        params: DECISION_ID_PARAM,
        response: { 200: DECISION, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => decisionBody(await mapped(() => ctx.db.read((wh) => decisionDetail(wh, req.params.id)))),
  );

  app.post<{ Params: { id: string }; Body: { reward: number } }>(
    '/v1/decisions/:id/reward',
    {
      config: { role: 'ingest' },
      schema: {
        tags,
        summary: 'The outcome of a decision (a reward in [0, 1]): the policy learns from it',
        description:
          'A reward counts once: the same reward sent again answers `duplicate: true` and changes nothing; ' +
          'another value for a rewarded decision is a 409 (also when an event or the end of its window rewarded it).',
        params: DECISION_ID_PARAM,
        body: {
          type: 'object',
          required: ['reward'],
          additionalProperties: false,
          properties: { reward: { type: 'number', minimum: 0, maximum: 1, examples: [1] } },
          examples: [{ reward: 1 }],
        },
        response: {
          200: {
            type: 'object',
            required: ['decision_id', 'policy', 'arm', 'reward', 'duplicate', 'rewarded_at'],
            properties: {
              decision_id: str,
              policy: str,
              arm: str,
              reward: num,
              duplicate: { type: 'boolean' },
              rewarded_at: { type: 'string', format: 'date-time' },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await mapped(() =>
        ctx.db.write((wh) => rewardDecision(wh, req.params.id, req.body.reward), 'serving'),
      );
      return {
        decision_id: r.decisionId,
        policy: r.policyId,
        arm: r.arm,
        reward: r.reward,
        duplicate: r.duplicate,
        rewarded_at: r.rewardedAt.toISOString(),
      };
    },
  );
};
