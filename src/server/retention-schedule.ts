/**
 * @module server/retention-schedule
 * `serve --retain-every 24h`: the retention policy (`privacy.retention`: events older than N days,
 * quarantined raw rows N days after their import) applied by the server itself, once when it starts
 * listening and then every interval, the same work as `shopsight privacy retain`
 * (warehouse/personal-data.ts: applyRetention), with the counts logged.
 *
 * Off the request path: a timer, not a request, starts each run; the deletes take the write turn
 * of the pool like any other write and run on DuckDB's own threads. Before deleting, the event log
 * is committed to the warehouse, so no event older than the policy waits in `<db>.events.wal`
 * (the log's sealed segments are deleted at each flush: after a run no server file holds an event
 * the policy removed). The server writes no log files of its own (pino writes to stdout; where the
 * operator sends it is outside the store). The database is checkpointed, not rewritten (the server
 * cannot swap the file it holds; `shopsight privacy compact` with the server stopped does).
 *
 * A run that comes while one is in progress is skipped; a failed run is logged and the next one
 * tries again.
 */
import { MAX_TIMER_SECONDS } from '../core/duration.js';
import type { RetentionPolicy } from '../ingest/retention-policy.js';
import { applyRetention, type RetentionCounts } from '../warehouse/personal-data.js';
import type { ServerContext } from './context.js';

/** Runs remembered for GET /v1/admin/privacy/retention. */
export const RECENT_RUNS = 10;

export interface RetentionRun {
  /** The time the policy's ages were counted back from. */
  readonly at: string;
  readonly deleted: RetentionCounts;
}

export interface RetentionSchedule {
  readonly policy: RetentionPolicy;
  readonly everySeconds: number;
  /** The last RECENT_RUNS runs that finished, oldest first. */
  recent(): readonly RetentionRun[];
  /** Runs the policy now (the timer calls this); a run in progress is joined, not doubled. */
  runNow(): Promise<RetentionRun | undefined>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export interface RetentionHooks {
  /** Commits the event log to the warehouse (before the deletes). */
  readonly flushEvents?: () => Promise<void>;
  /** Told after events were deleted (live ingest's memory of stored event ids). */
  readonly eventsChanged?: () => Promise<void>;
  /** The clock (tests inject one). */
  readonly now?: () => Date;
}

export function startRetentionSchedule(
  ctx: Pick<ServerContext, 'db' | 'log'>,
  policy: RetentionPolicy,
  everySeconds: number,
  hooks: RetentionHooks = {},
): RetentionSchedule {
  if (!(everySeconds > 0) || everySeconds > MAX_TIMER_SECONDS) {
    throw new RangeError(
      `--retain-every must be more than 0 s and at most ${MAX_TIMER_SECONDS} s, got ${everySeconds} s`,
    );
  }
  if (policy.eventsDays === undefined && policy.quarantineDays === undefined) {
    throw new Error(
      '--retain-every needs a retention policy: --events-days, --quarantine-days or --retention <file>',
    );
  }
  const now = hooks.now ?? (() => new Date());
  const recent: RetentionRun[] = [];
  let current: Promise<RetentionRun | undefined> | undefined;

  const run = async (): Promise<RetentionRun> => {
    await hooks.flushEvents?.();
    const at = now();
    const deleted = await ctx.db.write(async (wh) => {
      const counts = await applyRetention(wh, policy, { now: at, dryRun: false });
      await wh.exec('CHECKPOINT');
      return counts;
    });
    if (deleted.events > 0) await hooks.eventsChanged?.();
    const done = { at: at.toISOString(), deleted };
    recent.push(done);
    if (recent.length > RECENT_RUNS) recent.shift();
    ctx.log.info(
      { retention: { policy, at: done.at, deleted } },
      `retention: deleted ${deleted.events} events` +
        (policy.eventsDays === undefined
          ? ' (events kept: no events_days)'
          : ` older than ${policy.eventsDays} days`) +
        `, ${deleted.quarantine} quarantined rows` +
        (policy.quarantineDays === undefined
          ? ' (kept: no quarantine_days)'
          : ` of imports older than ${policy.quarantineDays} days`),
    );
    return done;
  };

  const runNow = (): Promise<RetentionRun | undefined> => {
    current ??= run()
      .catch((err: unknown) => {
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'retention run failed');
        return undefined;
      })
      .finally(() => (current = undefined));
    return current;
  };

  const timer = setInterval(() => void runNow(), everySeconds * 1000);
  timer.unref();
  return {
    policy,
    everySeconds,
    recent: () => recent,
    runNow,
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
