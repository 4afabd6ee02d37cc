/**
 * @module server/routes/decisions
 * Offers chosen by a bandit that learns from feedback (issue 11, tasks/marketing/decisions.ts):
 * `PUT /v1/admin/bandits/:policy` creates a policy over named arms, `POST /v1/decide` chooses an arm
 * for a customer and logs the decision with its propensity, `POST /v1/decisions/:id/reward` sends
 * the outcome back and updates the policy, `GET /v1/bandits/:policy` reads what it has learnt.
 *
 * Decisions and rewards go through the write connection, one at a time: each reads the stored state,
 * and a reward rewrites it in the same transaction that marks the decision, so the state survives a
 * restart and no two rewards overwrite each other. The work per call is small (at most 2,000 posterior
 * draws), so it runs on the main thread.
 */
import { BANDIT_KINDS } from '../../ml/bandit/types.js';
import {
  createPolicy,
  decide,
  DecisionError,
  policySummary,
  rewardDecision,
  type PolicySummary,
} from '../../tasks/marketing/decisions.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { int, num, numOrNull, str } from './analytics-schemas.js';
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

const SUMMARY = {
  type: 'object',
  required: ['policy', 'kind', 'params', 'context_features', 'arms', 'created_at', 'updated_at'],
  properties: {
    policy: str,
    kind: str,
    params: { type: 'object', additionalProperties: num },
    context_features: { type: 'array', items: str },
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
  arms: s.arms.map((a) => ({
    arm: a.arm,
    plays: a.plays,
    mean_reward: a.meanReward,
    decisions: a.decisions,
  })),
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
});

const errors = { 400: ERROR_BODY_SCHEMA, 404: ERROR_BODY_SCHEMA, 409: ERROR_BODY_SCHEMA };

export const decisionRoutes: RoutePlugin = (app, ctx) => {
  const tags = ['decisions'];

  app.put<{
    Params: { policy: string };
    Body: { policy: string; arms: string[]; context_features?: string[]; params?: Record<string, number> };
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
          'in [0, 1]. An existing policy is never replaced (its learnt state would be lost): 409.',
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
          },
          examples: [
            {
              policy: 'thompson',
              arms: ['Spring sale', 'New arrivals'],
              params: { prior_alpha: 1, prior_beta: 1 },
            },
          ],
        },
        response: { 201: SUMMARY, ...errors },
      },
    },
    async (req, reply) => {
      const s = await mapped(() =>
        ctx.db.write((wh) =>
          createPolicy(wh, {
            policyId: req.params.policy,
            kind: req.body.policy,
            arms: req.body.arms,
            ...(req.body.context_features ? { contextFeatures: req.body.context_features } : {}),
            ...(req.body.params ? { params: req.body.params } : {}),
          }),
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
        ctx.db.write((wh) =>
          decide(wh, {
            policyId: req.body.policy,
            customerId: req.body.customer_id ?? null,
            ...(req.body.context ? { context: req.body.context } : {}),
            decisionId: req.id,
          }),
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

  app.post<{ Params: { id: string }; Body: { reward: number } }>(
    '/v1/decisions/:id/reward',
    {
      config: { role: 'ingest' },
      schema: {
        tags,
        summary: 'The outcome of a decision (a reward in [0, 1]): the policy learns from it',
        description:
          'A reward counts once: the same reward sent again answers `duplicate: true` and changes nothing; ' +
          'another value for a rewarded decision is a 409.',
        params: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 64, examples: ['req_example_decision'] },
          },
        },
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
      const r = await mapped(() => ctx.db.write((wh) => rewardDecision(wh, req.params.id, req.body.reward)));
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
