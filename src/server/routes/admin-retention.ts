/**
 * @module server/routes/admin-retention
 * Retention while the server owns the database (docs/privacy.md#retention):
 * - `serve --retain-every 24h` with a policy starts the schedule (server/retention-schedule.ts): a
 *   run when the server starts listening, then one every interval, counts logged;
 * - `GET /v1/admin/privacy/retention` (admin): the policy, the interval and the last runs' counts;
 * - `POST /v1/admin/privacy/retain` (admin): the same work as `shopsight privacy retain` now, with
 *   the ages given or the server's policy, `dry_run` to count only. Ages outside 1..36,500 days are
 *   refused (400 naming the field).
 */
import { MAX_RETENTION_DAYS, type RetentionPolicy } from '../../ingest/retention-policy.js';
import { applyRetention } from '../../warehouse/personal-data.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { RECENT_RUNS, startRetentionSchedule } from '../retention-schedule.js';
import { eventIngestOf } from './events.js';
import type { RoutePlugin } from './route-plugin.js';

const DAYS = (what: string, example: number) =>
  ({
    type: 'integer',
    minimum: 1,
    maximum: MAX_RETENTION_DAYS,
    description: what,
    examples: [example],
  }) as const;

const POLICY_SCHEMA = {
  type: ['object', 'null'],
  properties: {
    events_days: { type: ['integer', 'null'] },
    quarantine_days: { type: ['integer', 'null'] },
  },
} as const;

const COUNTS_SCHEMA = {
  type: 'object',
  required: ['events', 'quarantine'],
  properties: { events: { type: 'integer' }, quarantine: { type: 'integer' } },
} as const;

const policyJson = (p: RetentionPolicy): Record<string, number | null> => ({
  events_days: p.eventsDays ?? null,
  quarantine_days: p.quarantineDays ?? null,
});

export const adminRetentionRoutes: RoutePlugin = (app, ctx) => {
  const { retainEverySeconds: every, retention } = ctx.config;
  const schedule =
    every !== undefined
      ? startRetentionSchedule(ctx, retention ?? {}, every, {
          flushEvents: async () => {
            await eventIngestOf(ctx)?.flush();
          },
          eventsChanged: async () => {
            await eventIngestOf(ctx)?.eventsChanged();
          },
          ...(ctx.config.clock ? { now: ctx.config.clock } : {}),
        })
      : undefined;
  if (schedule) {
    app.addHook('onListen', async () => {
      void schedule.runNow();
    });
    ctx.onClose(() => schedule.stop());
  }

  app.get(
    '/v1/admin/privacy/retention',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary: "The server's retention policy, its interval and the counts of its last runs",
        response: {
          200: {
            type: 'object',
            required: ['policy', 'every_seconds', 'runs'],
            properties: {
              policy: POLICY_SCHEMA,
              every_seconds: {
                type: ['integer', 'null'],
                description: 'null: no schedule (serve without --retain-every)',
              },
              runs: {
                type: 'array',
                description: `the last ${RECENT_RUNS} scheduled runs, oldest first`,
                items: {
                  type: 'object',
                  properties: {
                    at: {
                      type: 'string',
                      format: 'date-time',
                      description: 'the time the ages were counted back from',
                    },
                    deleted: COUNTS_SCHEMA,
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => ({
      policy: schedule ? policyJson(schedule.policy) : null,
      every_seconds: schedule?.everySeconds ?? null,
      runs: schedule?.recent() ?? [],
    }),
  );

  app.post(
    '/v1/admin/privacy/retain',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary:
          'Apply a retention policy now (as `shopsight privacy retain`), or count what it would delete',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            events_days: DAYS('delete events older than this many days', 400),
            quarantine_days: DAYS('delete quarantined raw rows of imports older than this many days', 90),
            dry_run: { type: 'boolean', description: 'count only; change nothing', examples: [true] },
          },
          examples: [{ events_days: 400, quarantine_days: 90, dry_run: true }],
        },
        response: {
          200: {
            type: 'object',
            required: ['policy', 'dry_run', 'deleted'],
            properties: { policy: POLICY_SCHEMA, dry_run: { type: 'boolean' }, deleted: COUNTS_SCHEMA },
          },
          400: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req) => {
      const body = (req.body ?? {}) as { events_days?: number; quarantine_days?: number; dry_run?: boolean };
      const given: RetentionPolicy = {
        ...(body.events_days !== undefined ? { eventsDays: body.events_days } : {}),
        ...(body.quarantine_days !== undefined ? { quarantineDays: body.quarantine_days } : {}),
      };
      const policy = Object.keys(given).length ? given : (retention ?? {});
      if (policy.eventsDays === undefined && policy.quarantineDays === undefined) {
        throw httpError(
          400,
          'no_policy',
          'body: give events_days and/or quarantine_days (the server was started without a retention policy)',
        );
      }
      const dryRun = body.dry_run === true;
      await eventIngestOf(ctx)?.flush();
      const now = ctx.config.clock?.() ?? new Date();
      const deleted = await ctx.db.write(async (wh) => {
        const counts = await applyRetention(wh, policy, { now, dryRun });
        if (!dryRun) await wh.exec('CHECKPOINT');
        return counts;
      });
      if (!dryRun && deleted.events > 0) await eventIngestOf(ctx)?.eventsChanged();
      ctx.log.info(
        { retention: { policy, dryRun, deleted } },
        `retention (admin call): ${JSON.stringify(deleted)}`,
      );
      return { policy: policyJson(policy), dry_run: dryRun, deleted };
    },
  );
};
