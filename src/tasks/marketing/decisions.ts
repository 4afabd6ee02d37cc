/**
 * @module tasks/marketing/decisions
 * Online offer choice with a bandit that learns from feedback: create a policy over named arms
 * (offers, e-mail variants, recommendation strategies), decide for a customer, and learn from the
 * reward of a decision. The glue the HTTP routes call (`POST /v1/decide`, the reward route); SQL in
 * warehouse/bandit-store.ts, the policies in ml/bandit.
 *
 * A decision draws the arm from the policy's probabilities for this context (exact for
 * epsilon-greedy, UCB1 and LinUCB; for the Thompson policies the share of 2,000 posterior draws each
 * arm wins), so the propensity logged with it is the exact chance with which that arm was drawn:
 * what inverse propensity scoring of another policy on this log needs later.
 *
 * Linear policies read the context as named numbers; a constant 1 is put first (the intercept), so
 * a policy over features [f1, f2] learns 3 coefficients per arm.
 *
 * A reward comes once per decision, from the reward route or, for a policy created with a reward
 * rule, from the feedback events (event-rewards.ts): whichever is recorded first counts, the other
 * is a duplicate (same value) or refused (another value).
 *
 * @example
 *   await createPolicy(wh, { policyId: 'offers', kind: 'thompson', arms: ['10% off', 'free shipping'] });
 *   const d = await decide(wh, { policyId: 'offers', customerId: 'c1', decisionId: 'req_1' });
 *   await rewardDecision(wh, d.decisionId, 1); // the customer came back
 */
import { randomInt } from 'node:crypto';
import { Rng } from '../../core/random.js';
import { decodeArtifact, encodeArtifact } from '../../ml/artifact.js';
import {
  armProbabilities,
  banditFromArtifact,
  banditToArtifact,
  BANDIT_ARTIFACT_KIND,
  createBandit,
  isLinear,
  updateBandit,
} from '../../ml/bandit/policy.js';
import {
  BANDIT_KINDS,
  BanditError,
  type BanditKind,
  type BanditSpec,
  type BanditState,
} from '../../ml/bandit/types.js';
import { EVENT_TYPES, type EventType } from '../../schema/tables.js';
import {
  decisionCounts,
  decisionExists,
  insertDecision,
  insertPolicy,
  policyIds,
  readDecision,
  readPolicy,
  rewardDecision as storeReward,
  type DecisionRow,
  type PolicyRow,
  type RewardSource,
} from '../../warehouse/bandit-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export type DecisionErrorCode =
  | 'invalid_request'
  | 'unknown_policy'
  | 'policy_exists'
  | 'unknown_decision'
  | 'duplicate_decision'
  | 'already_rewarded';

/** A refusal with the field it concerns (`body/context/recency`) and a code the API maps to a status. */
export class DecisionError extends Error {
  override readonly name = 'DecisionError';
  constructor(
    readonly code: DecisionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Hyper-parameters each policy accepts, by their API names (ml/bandit/policy.ts: meaning and defaults). */
export const POLICY_PARAMS: Readonly<Record<BanditKind, readonly string[]>> = {
  thompson: ['prior_alpha', 'prior_beta'],
  'epsilon-greedy': ['epsilon'],
  ucb1: [],
  linucb: ['alpha', 'ridge'],
  'linear-thompson': ['v', 'ridge'],
};

/** API name -> the ml/bandit spec's name. */
const SPEC_NAME: Readonly<Record<string, string>> = { prior_alpha: 'priorAlpha', prior_beta: 'priorBeta' };
const apiName = (specName: string): string =>
  Object.entries(SPEC_NAME).find(([, v]) => v === specName)?.[0] ?? specName;

const ID = /^[\w.:-]{1,64}$/;

/**
 * Rewards from the feedback events (tasks/marketing/event-rewards.ts): an event of one of `events`
 * naming a decision, or by its customer within `windowHours` of it, rewards it 1; a window that
 * ends without one gives 0.
 */
export interface RewardRule {
  readonly events: readonly EventType[];
  readonly windowHours: number;
}

export const DEFAULT_REWARD_RULE: RewardRule = { events: ['purchase'], windowHours: 168 };
/** The longest reward window: a year. */
export const MAX_REWARD_WINDOW_HOURS = 8760;

export interface CreatePolicyInput {
  readonly policyId: string;
  readonly kind: string;
  readonly arms: readonly string[];
  /** Names of the context numbers (linear policies only). */
  readonly contextFeatures?: readonly string[];
  /** Hyper-parameters by API name (POLICY_PARAMS). */
  readonly params?: Readonly<Record<string, number>>;
  /** Rewards from the events (defaults: DEFAULT_REWARD_RULE's); absent: only the reward route rewards. */
  readonly rewardFromEvents?: { readonly events?: readonly string[]; readonly windowHours?: number };
}

export interface ArmSummary {
  readonly arm: string;
  /** Rewards the policy has learnt from for this arm. */
  readonly plays: number;
  readonly meanReward: number | null;
  readonly decisions: number;
}

export interface PolicySummary {
  readonly policyId: string;
  readonly kind: BanditKind;
  readonly params: Readonly<Record<string, number>>;
  readonly contextFeatures: readonly string[];
  readonly rewardFromEvents: RewardRule | null;
  readonly arms: readonly ArmSummary[];
  /** Rewarded decisions by where the reward came from. */
  readonly rewardsBySource: Readonly<Record<RewardSource, number>>;
  /** Decisions with no reward yet. */
  readonly awaitingReward: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

function invalid(field: string, reason: string): DecisionError {
  return new DecisionError('invalid_request', `${field}: ${reason}`);
}

/** The rule with defaults filled in, or the field and reason it is refused for. */
export function checkRewardRule(input: NonNullable<CreatePolicyInput['rewardFromEvents']>): RewardRule {
  const field = 'body/reward_from_events';
  const events = [...(input.events ?? DEFAULT_REWARD_RULE.events)];
  if (events.length === 0) throw invalid(`${field}/events`, 'name at least one event type');
  events.forEach((e, i) => {
    if (!EVENT_TYPES.includes(e as EventType)) {
      throw invalid(`${field}/events/${i}`, `'${e}' is not an event type (known: ${EVENT_TYPES.join(', ')})`);
    }
    if (events.indexOf(e) !== i) throw invalid(`${field}/events/${i}`, `'${e}' is named twice`);
  });
  const windowHours = input.windowHours ?? DEFAULT_REWARD_RULE.windowHours;
  if (!(Number.isFinite(windowHours) && windowHours > 0 && windowHours <= MAX_REWARD_WINDOW_HOURS)) {
    throw invalid(
      `${field}/window_hours`,
      `must be more than 0 and at most ${MAX_REWARD_WINDOW_HOURS} (a year); got ${String(windowHours)}`,
    );
  }
  return { events: events as EventType[], windowHours };
}

export async function createPolicy(wh: Warehouse, input: CreatePolicyInput): Promise<PolicySummary> {
  if (!ID.test(input.policyId)) {
    throw invalid('params/policy', `'${input.policyId}' must be 1-64 letters, digits or . _ : -`);
  }
  if (!BANDIT_KINDS.includes(input.kind as BanditKind)) {
    throw invalid('body/policy', `unknown policy '${input.kind}' (known: ${BANDIT_KINDS.join(', ')})`);
  }
  const kind = input.kind as BanditKind;
  const arms = input.arms.map((a) => a.trim());
  if (arms.length < 2) throw invalid('body/arms', `at least 2 arms are needed (got ${arms.length})`);
  arms.forEach((a, i) => {
    if (!a) throw invalid(`body/arms/${i}`, 'an arm name is empty');
    if (arms.indexOf(a) !== i) throw invalid(`body/arms/${i}`, `'${a}' is named twice`);
  });
  const features = [...(input.contextFeatures ?? [])];
  const linear = kind === 'linucb' || kind === 'linear-thompson';
  if (linear && features.length === 0) {
    throw invalid('body/context_features', `${kind} chooses by context: name at least one context number`);
  }
  if (!linear && features.length > 0) {
    throw invalid(
      'body/context_features',
      `${kind} does not look at context; use linucb or linear-thompson for a contextual policy`,
    );
  }
  features.forEach((f, i) => {
    if (!f.trim()) throw invalid(`body/context_features/${i}`, 'a feature name is empty');
    if (features.indexOf(f) !== i) throw invalid(`body/context_features/${i}`, `'${f}' is named twice`);
  });
  const rule = input.rewardFromEvents ? checkRewardRule(input.rewardFromEvents) : null;
  const params = input.params ?? {};
  for (const name of Object.keys(params)) {
    if (!POLICY_PARAMS[kind].includes(name)) {
      throw invalid(
        `body/params/${name}`,
        `not a parameter of ${kind} (its parameters: ${POLICY_PARAMS[kind].join(', ') || 'none'})`,
      );
    }
  }
  let state;
  try {
    const spec = Object.fromEntries(Object.entries(params).map(([k, v]) => [SPEC_NAME[k] ?? k, v]));
    state = createBandit({ kind, ...spec } as BanditSpec, arms.length, linear ? features.length + 1 : 0);
  } catch (err) {
    if (err instanceof BanditError) throw invalid('body/params', err.message);
    throw err;
  }
  if (await readPolicy(wh, input.policyId)) {
    throw new DecisionError(
      'policy_exists',
      `policy '${input.policyId}' exists already (its learnt state is kept; choose another id)`,
    );
  }
  const row = await insertPolicy(wh, {
    policyId: input.policyId,
    kind,
    arms,
    contextFeatures: features,
    state: encodeState(state),
    rewardRule: rule,
  });
  return summarise(row, []);
}

async function loadPolicy(wh: Warehouse, policyId: string): Promise<PolicyRow> {
  const row = await readPolicy(wh, policyId);
  if (!row) {
    const known = await policyIds(wh);
    throw new DecisionError(
      'unknown_policy',
      `no bandit policy '${policyId}' (known: ${known.join(', ') || 'none; create one with PUT /v1/admin/bandits/{policy}'})`,
    );
  }
  return row;
}

/** The policy's learnt state, decoded from its stored artifact. */
export function stateOf(row: PolicyRow): BanditState {
  return banditFromArtifact(decodeArtifact(row.state, BANDIT_ARTIFACT_KIND));
}

/** The state as the artifact bytes bandit_policies stores. */
export const encodeState = (s: BanditState): Uint8Array => encodeArtifact(banditToArtifact(s));

const ruleOf = (row: PolicyRow): RewardRule | null =>
  row.rewardRule
    ? { events: row.rewardRule.events as EventType[], windowHours: row.rewardRule.windowHours }
    : null;

function summarise(row: PolicyRow, logs: Awaited<ReturnType<typeof decisionCounts>>): PolicySummary {
  const s = stateOf(row);
  return {
    policyId: row.policyId,
    kind: s.kind,
    params: Object.fromEntries(Object.entries(s.params).map(([k, v]) => [apiName(k), v])),
    contextFeatures: row.contextFeatures,
    rewardFromEvents: ruleOf(row),
    rewardsBySource: {
      api: logs.reduce((n, l) => n + l.bySource.api, 0),
      event: logs.reduce((n, l) => n + l.bySource.event, 0),
      window: logs.reduce((n, l) => n + l.bySource.window, 0),
    },
    awaitingReward: logs.reduce((n, l) => n + l.decisions - l.rewarded, 0),
    arms: row.arms.map((arm, k) => {
      const plays = s.pulls[k]!;
      const sum = isLinear(s) ? null : s.rewardSums[k]!;
      const log = logs.find((l) => l.arm === arm);
      return {
        arm,
        plays,
        meanReward: plays > 0 ? (sum ?? log?.rewardSum ?? 0) / plays : null,
        decisions: log?.decisions ?? 0,
      };
    }),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function policySummary(wh: Warehouse, policyId: string): Promise<PolicySummary> {
  const row = await loadPolicy(wh, policyId);
  return summarise(row, await decisionCounts(wh, policyId));
}

/** The context vector (1 first) from named numbers, refusing missing, extra or non-finite ones. */
function contextVector(
  row: PolicyRow,
  context: Readonly<Record<string, unknown>> | undefined,
): number[] | null {
  if (row.contextFeatures.length === 0) return null;
  if (!context) {
    throw invalid('body/context', `policy '${row.policyId}' needs ${row.contextFeatures.join(', ')}`);
  }
  for (const name of Object.keys(context)) {
    if (!row.contextFeatures.includes(name)) {
      throw invalid(
        `body/context/${name}`,
        `not a context feature of policy '${row.policyId}' (its features: ${row.contextFeatures.join(', ')})`,
      );
    }
  }
  return [
    1,
    ...row.contextFeatures.map((name) => {
      const v = context[name];
      if (v === undefined || v === null) throw invalid(`body/context/${name}`, 'is missing');
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw invalid(`body/context/${name}`, `${JSON.stringify(v)} is not a finite number`);
      }
      return v;
    }),
  ];
}

/** The arm whose cumulative probability first exceeds u (an arm of probability 0 is never drawn). */
export function drawArm(p: Float64Array, u: number): number {
  let acc = 0;
  let last = -1;
  for (let k = 0; k < p.length; k++) {
    if (!(p[k]! > 0)) continue;
    last = k;
    acc += p[k]!;
    if (u < acc) return k;
  }
  return last; // u at or above a sum just under 1 (rounding): the last possible arm
}

export interface DecideInput {
  readonly policyId: string;
  readonly customerId?: string | null;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly decisionId: string;
  /** The generator of this decision (tests pass a seeded one; else a fresh random seed). */
  readonly rng?: Rng;
  readonly at?: Date;
}

export interface Decision {
  readonly decisionId: string;
  readonly policyId: string;
  readonly arm: string;
  /** The chance with which this arm was drawn. */
  readonly propensity: number;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly decidedAt: Date;
}

export async function decide(wh: Warehouse, input: DecideInput): Promise<Decision> {
  const row = await loadPolicy(wh, input.policyId);
  const x = contextVector(row, input.context);
  if (await decisionExists(wh, input.decisionId)) {
    throw new DecisionError(
      'duplicate_decision',
      `decision '${input.decisionId}' exists already: send a new x-request-id (or none) for each decision`,
    );
  }
  const rng = input.rng ?? new Rng(randomInt(0, 2 ** 47));
  const p = armProbabilities(stateOf(row), x, rng);
  // Draw from the probabilities themselves, so the logged propensity is exactly the draw's chance.
  const arm = drawArm(p, rng.float());
  const decidedAt = input.at ?? new Date();
  const rule = ruleOf(row);
  await insertDecision(wh, {
    decisionId: input.decisionId,
    policyId: row.policyId,
    customerId: input.customerId ?? null,
    arm: row.arms[arm]!,
    propensity: p[arm]!,
    context: x,
    decidedAt,
    rewardClosesAt: rule ? new Date(decidedAt.getTime() + rule.windowHours * 3_600_000) : null,
  });
  return {
    decisionId: input.decisionId,
    policyId: row.policyId,
    arm: row.arms[arm]!,
    propensity: p[arm]!,
    probabilities: Object.fromEntries(row.arms.map((a, k) => [a, p[k]!])),
    decidedAt,
  };
}

export interface RewardResult {
  readonly decisionId: string;
  readonly policyId: string;
  readonly arm: string;
  readonly reward: number;
  /** True when this reward had been recorded already (a retry): nothing changed. */
  readonly duplicate: boolean;
  readonly rewardedAt: Date;
}

/** Records the reward of a decision and updates its policy's state (both stored in one transaction). */
export async function rewardDecision(
  wh: Warehouse,
  decisionId: string,
  reward: number,
  at = new Date(),
): Promise<RewardResult> {
  if (!(typeof reward === 'number' && reward >= 0 && reward <= 1)) {
    throw invalid('body/reward', `must be a number in [0, 1] (got ${String(reward)})`);
  }
  const d = await readDecision(wh, decisionId);
  if (!d) throw new DecisionError('unknown_decision', `no decision '${decisionId}'`);
  const base = { decisionId, policyId: d.policyId, arm: d.arm };
  if (d.reward !== null) {
    if (d.reward === reward) return { ...base, reward, duplicate: true, rewardedAt: d.rewardedAt ?? at };
    throw new DecisionError(
      'already_rewarded',
      `decision '${decisionId}' was rewarded ${d.reward} ${rewardOrigin(d)} at ${d.rewardedAt?.toISOString()}; a reward counts once`,
    );
  }
  const row = await loadPolicy(wh, d.policyId);
  const state = stateOf(row);
  updateBandit(state, row.arms.indexOf(d.arm), reward, d.context);
  await storeReward(wh, d, reward, encodeState(state), at);
  return { ...base, reward, duplicate: false, rewardedAt: at };
}

/** Where a recorded reward came from, in words. */
function rewardOrigin(d: DecisionRow): string {
  if (d.rewardSource === 'event') return `from event '${d.rewardEventId}'`;
  if (d.rewardSource === 'window') return 'when its reward window closed with no event';
  return 'through the reward route';
}

/** One decision as logged, with its reward once it came. */
export async function decisionDetail(wh: Warehouse, decisionId: string): Promise<DecisionRow> {
  const d = await readDecision(wh, decisionId);
  if (!d) throw new DecisionError('unknown_decision', `no decision '${decisionId}'`);
  return d;
}
