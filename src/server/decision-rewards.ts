/**
 * @module server/decision-rewards
 * The periodic job that rewards bandit decisions from the feedback events (tasks/marketing/
 * event-rewards.ts): every `sweepMs` it looks for open decisions that stored events reward or whose
 * window has closed, on a read connection, and records them on the write connection only when there
 * is something to record. Started by routes/decisions.ts, stopped at shutdown.
 *
 * Off the events' path on purpose: `POST /v1/events` and its flush are unchanged (issue 8's speed
 * target), and a sweep costs one small count while no policy has an open decision. An event reaches
 * the warehouse within the ingest's flush (about a second), so a reward is learnt within about
 * `sweepMs` plus a second.
 *
 * @example
 *   const job = startDecisionRewards(ctx.db, ctx.log, { sweepMs: 30_000, graceMs: 600_000 });
 *   ctx.onClose(() => job.stop());
 */
import type { FastifyBaseLogger } from 'fastify';
import {
  applyEventRewards,
  findEventRewards,
  type EventRewardOutcome,
} from '../tasks/marketing/event-rewards.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { WriteScope } from './db-pool.js';

export interface DecisionRewardSettings {
  /** How often the job looks (ms). */
  readonly sweepMs: number;
  /** How long after a window closes the job waits for late events before it records a 0 (ms). */
  readonly graceMs: number;
}

export const DEFAULT_DECISION_REWARDS: DecisionRewardSettings = { sweepMs: 30_000, graceMs: 600_000 };

export interface DecisionRewardStore {
  read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T>;
  write<T>(fn: (wh: Warehouse) => Promise<T>, scope?: WriteScope): Promise<T>;
}

export interface DecisionRewardJob {
  /** One sweep now (a tick during a sweep waits for it and returns nothing new). */
  sweep(): Promise<EventRewardOutcome>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

export function startDecisionRewards(
  store: DecisionRewardStore,
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
  settings: DecisionRewardSettings = DEFAULT_DECISION_REWARDS,
): DecisionRewardJob {
  if (!(settings.sweepMs > 0) || !(settings.graceMs >= 0)) {
    throw new RangeError(`decision rewards: sweepMs > 0 and graceMs >= 0 (got ${JSON.stringify(settings)})`);
  }
  let running: Promise<EventRewardOutcome> | null = null;

  const once = async (): Promise<EventRewardOutcome> => {
    const now = new Date();
    const found = await store.read((wh) => findEventRewards(wh, { now, graceMs: settings.graceMs }));
    if (found.length === 0) return { rewarded: 0, closed: 0 };
    const outcome = await store.write((wh) => applyEventRewards(wh, found, now), 'serving');
    log.info(
      outcome,
      `bandit rewards from events: ${outcome.rewarded} rewarded, ${outcome.closed} closed at 0`,
    );
    return outcome;
  };

  const sweep = async (): Promise<EventRewardOutcome> => {
    if (running) {
      await running.catch(() => undefined);
      return { rewarded: 0, closed: 0 };
    }
    running = once();
    try {
      return await running;
    } finally {
      running = null;
    }
  };

  const timer = setInterval(() => {
    sweep().catch((err: unknown) =>
      log.error({ err }, 'bandit rewards from events failed; the next sweep tries again (nothing is lost)'),
    );
  }, settings.sweepMs);
  timer.unref();

  return {
    sweep,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
