/**
 * @module server/routes/events
 * `POST /v1/events` (role ingest): one event or `{"batch": [...]}` of up to 10,000, in the shape of
 * product-analytics capture APIs. Each event is checked on its own: the valid ones are kept, the
 * invalid ones come back with their index, field and reason (200 when all are accepted, 207 when
 * some are not, 400 when none is). An event is acknowledged only once it is in the fsync'd event
 * log; events/event-ingest.ts moves it into the warehouse (docs/server.md, "Live events").
 *
 * The JSON schema documents the body; the checks are ingest/live-event.ts's, per event, so one bad
 * event never fails its whole batch the way a schema validator would.
 */
import { MAX_BATCH_EVENTS } from '../../ingest/live-event.js';
import { KNOWN_EVENT_NAMES } from '../../ingest/event-names.js';
import { HttpError, httpError } from '../errors.js';
import { EventIngest, IngestBacklogError } from '../events/event-ingest.js';
import { ClickHouseEventIngest } from '../events/clickhouse-ingest.js';
import { EventBacklogError } from '../../warehouse/clickhouse/event-batcher.js';
import type { RoutePlugin } from './route-plugin.js';
import { documentationOnly } from './documentation-only.js';
import type { ServerContext } from '../context.js';

const EXAMPLE_EVENT = {
  event: 'product_viewed',
  event_id: 'evt_2026_11_30_0001',
  customer_id: '12347',
  session_id: 'sess_81f2',
  timestamp: '2026-11-30T10:15:00Z',
  product_id: '85123A',
  properties: { page: '/products/85123A' },
};

const EVENT_SCHEMA = {
  type: 'object',
  required: ['event', 'event_id', 'timestamp'],
  properties: {
    event: { type: 'string', description: `event name: ${KNOWN_EVENT_NAMES}` },
    event_id: {
      type: 'string',
      description: 'the client id of the event: a retry with the same id is not counted twice',
    },
    customer_id: { type: 'string', description: 'known customer (customer_id or anonymous_id is required)' },
    anonymous_id: { type: 'string', description: 'cookie or device id of a visitor not logged in' },
    timestamp: {
      type: 'string',
      format: 'date-time',
      description:
        'ISO 8601; without an offset it is UTC; not before 1990, at most 5 minutes ahead of the server',
    },
    product_id: { type: 'string', description: 'must be in the catalogue (PUT /v1/products/:id)' },
    session_id: { type: 'string' },
    request_id: { type: 'string', description: 'the recommendation response this event came back from' },
    value: { type: 'number', description: 'money value (a purchase total)' },
    query: { type: 'string', description: 'search text' },
    properties: { type: 'object', description: 'anything else; other top-level fields are kept here too' },
  },
} as const;

const OUTCOME_SCHEMA = {
  type: 'object',
  required: ['accepted', 'duplicates', 'rejected', 'request_id'],
  properties: {
    accepted: { type: 'integer', description: 'events written to the log (durable) in this request' },
    duplicates: { type: 'integer', description: 'events whose event_id was already received' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'event_id', 'field', 'reason'],
        properties: {
          index: { type: 'integer', description: 'position in the batch (0 for a single event)' },
          event_id: { type: ['string', 'null'] },
          field: { type: 'string' },
          reason: { type: 'string' },
        },
      },
    },
    request_id: { type: 'string' },
  },
} as const;

const ingests = new WeakMap<ServerContext, EventIngest>();

/** The server's event ingest (privacy forget commits its log before erasing), once the route started it. */
export function eventIngestOf(ctx: ServerContext): EventIngest | undefined {
  return ingests.get(ctx);
}

export const eventsRoutes: RoutePlugin = async (app, ctx) => {
  // On a ClickHouse cluster the events go through this process's batcher (no event log: several
  // processes share the cluster); on DuckDB through the fsync'd log (event-ingest.ts).
  const ingest = ctx.clickhouse
    ? new ClickHouseEventIngest(ctx.clickhouse, {
        onError: (err, n) =>
          ctx.log.warn({ err }, `writing ${n} events to ClickHouse failed; kept, retrying`),
      })
    : await EventIngest.start({
        store: ctx.db,
        logPath: `${ctx.config.dbPath}.events.wal`,
        log: ctx.log,
      });
  if (ingest instanceof EventIngest) ingests.set(ctx, ingest);
  ctx.onClose(() => ingest.close());

  // The route's own scope: its JSON body arrives as bytes (within the body limit) and is parsed
  // once, by the event checks, on a worker thread for a batch (events/check-thread.ts): parsing it
  // here first would cost the main thread, which answers every request, as much as the checks.
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      '/v1/events',
      {
        config: { role: 'ingest', clickhouse: true },
        validatorCompiler: documentationOnly,
        schema: {
          tags: ['events'],
          summary: 'Send behavioural events (one, or a batch of up to 10,000)',
          description:
            'Each event is checked on its own: valid ones are kept, invalid ones are listed with their index, field and reason ' +
            '(200: all accepted; 207: some rejected; 400: none accepted). An accepted event is on disk (fsync) before the answer. ' +
            'Event names from capture APIs are understood (Product Viewed, $pageview with a product_id, Order Completed, ...).',
          body: {
            oneOf: [
              EVENT_SCHEMA,
              {
                type: 'object',
                required: ['batch'],
                properties: { batch: { type: 'array', maxItems: MAX_BATCH_EVENTS, items: EVENT_SCHEMA } },
              },
            ],
            examples: [
              EXAMPLE_EVENT,
              {
                batch: [
                  EXAMPLE_EVENT,
                  {
                    event: 'add_to_cart',
                    event_id: 'evt_2026_11_30_0002',
                    customer_id: '12347',
                    timestamp: '2026-11-30T10:16:30Z',
                    product_id: '85123A',
                    value: 2.55,
                  },
                ],
              },
            ],
          },
          response: { 200: OUTCOME_SCHEMA, 207: OUTCOME_SCHEMA },
        },
      },
      async (req, reply) => {
        let outcome;
        try {
          outcome = await ingest.submitBody(req.body as Buffer);
        } catch (err) {
          if (err instanceof IngestBacklogError || err instanceof EventBacklogError)
            throw new HttpError(503, 'ingest_backlog', err.message, undefined, { 'Retry-After': '2' });
          throw err;
        }
        if ('error' in outcome) {
          const { code, field, reason } = outcome.error;
          throw httpError(400, code, `${field ? field + ': ' : ''}${reason}`);
        }
        const result = { ...outcome, request_id: req.id };
        const received = outcome.accepted + outcome.duplicates + outcome.rejected.length;
        if (outcome.rejected.length === received) {
          const first = outcome.rejected[0]!;
          throw httpError(
            400,
            'invalid_events',
            `no event accepted; ${received === 1 ? '' : `event ${first.index}: `}${first.field ? first.field + ': ' : ''}${first.reason}`,
            result,
          );
        }
        return reply.code(outcome.rejected.length ? 207 : 200).send(result);
      },
    );
  });
};
