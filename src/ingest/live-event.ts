/**
 * @module ingest/live-event
 * Checks one event sent to `POST /v1/events` and turns it into the row the events table stores.
 * Pure: the caller gives the time now; references to stored data (unknown products, event ids
 * already stored) are checked by the caller against the warehouse.
 *
 * The shape is the one product-analytics capture APIs use: `event` (a name, mapped by
 * event-names.ts), `event_id` (the client's id: idempotency), `customer_id` or `anonymous_id`,
 * `timestamp` (ISO 8601), optional `product_id`, `session_id`, `request_id` (the recommendation the
 * event came back from), `value`, `query`, `properties`. Trackers put product_id, query and value
 * inside `properties`; they are read from there when the top level lacks them. Other top-level
 * fields are kept in `properties`, never dropped.
 *
 * @example
 *   const r = checkEvent({ event: 'Product Viewed', event_id: 'e1', customer_id: '12347',
 *     timestamp: '2024-05-01T10:00:00Z', product_id: '85123A' }, 0, Date.now());
 *   'reason' in r ? r.reason : r.type; // 'view'
 */
import type { EventType } from '../schema/tables.js';
import { eventTypeOf, PRODUCT_EVENT_TYPES } from './event-names.js';

/** A batch holds at most this many events. */
export const MAX_BATCH_EVENTS = 10_000;
/** How far ahead of the server's clock an event may be dated (client clocks drift). */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Nothing a shop tracked happened before this (the importer uses the same bound). */
export const EARLIEST_EVENT_MS = Date.UTC(1990, 0, 1);
/** Longest id accepted (event, customer, product, session, request ids). */
export const MAX_ID_CHARS = 256;
/** Largest `properties` object, as JSON text. */
export const MAX_PROPERTIES_BYTES = 32 * 1024;
/** The events table stores value as DECIMAL(18,4). */
const MAX_VALUE = 1e14;

/** The row an accepted event becomes (events table columns, snake_case as stored). */
export interface LiveEvent {
  readonly event_id: string;
  readonly type: EventType;
  readonly customer_id: string | null;
  readonly anonymous_id: string | null;
  readonly session_id: string | null;
  readonly product_id: string | null;
  readonly request_id: string | null;
  readonly query: string | null;
  readonly value: number | null;
  /** ISO 8601 in UTC with milliseconds. */
  readonly occurred_at: string;
  readonly properties: Readonly<Record<string, unknown>> | null;
}

/** Why one event of a batch was not accepted. */
export interface EventRejection {
  readonly index: number;
  readonly event_id: string | null;
  /** The field at fault ('' when the event as a whole is). */
  readonly field: string;
  readonly reason: string;
}

/** What a whole request body is wrong about (nothing of it is written). */
export interface BodyError {
  readonly field: string;
  readonly reason: string;
}

const KNOWN_FIELDS = new Set([
  'event',
  'event_id',
  'customer_id',
  'anonymous_id',
  'timestamp',
  'product_id',
  'session_id',
  'request_id',
  'value',
  'query',
  'properties',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One event (`{event, ...}`) or a batch (`{batch: [...]}`) -> the list of raw events. */
export function eventsOfBody(body: unknown): { events: readonly unknown[] } | { error: BodyError } {
  if (!isObject(body))
    return { error: { field: '', reason: 'the body must be a JSON object: one event or {"batch": [...]}' } };
  if (!('batch' in body)) return { events: [body] };
  const batch = body['batch'];
  if (!Array.isArray(batch)) return { error: { field: 'batch', reason: 'batch must be an array of events' } };
  if (batch.length === 0) return { error: { field: 'batch', reason: 'batch is empty' } };
  if (batch.length > MAX_BATCH_EVENTS) {
    return {
      error: {
        field: 'batch',
        reason: `batch holds ${batch.length.toLocaleString('en-US')} events; at most ${MAX_BATCH_EVENTS.toLocaleString('en-US')} are accepted per request (split it)`,
      },
    };
  }
  return { events: batch };
}

/** Checks event number `index` of a batch; `now` is the server's time in epoch milliseconds. */
export function checkEvent(raw: unknown, index: number, now: number): LiveEvent | EventRejection {
  if (!isObject(raw)) return { index, event_id: null, field: '', reason: 'an event must be a JSON object' };
  const eventId = typeof raw['event_id'] === 'string' ? raw['event_id'] : null;
  const reject = (field: string, reason: string): EventRejection => ({
    index,
    event_id: eventId,
    field,
    reason,
  });

  const idOf = (field: string, value: unknown): string | null | EventRejection => {
    if (value === undefined || value === null) return null;
    // Numeric ids are common (customer 12347): taken as their decimal text.
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string') return reject(field, `${field} must be a string`);
    const trimmed = text.trim();
    if (trimmed === '') return reject(field, `${field} is empty`);
    if (trimmed.length > MAX_ID_CHARS)
      return reject(field, `${field} is longer than ${MAX_ID_CHARS} characters`);
    return trimmed;
  };

  if (raw['event_id'] === undefined || raw['event_id'] === null)
    return reject('event_id', 'event_id is required (the client id that makes a retry idempotent)');
  if (typeof raw['event_id'] !== 'string') return reject('event_id', 'event_id must be a string');
  const event_id = idOf('event_id', raw['event_id']);
  if (typeof event_id !== 'string') return event_id ?? reject('event_id', 'event_id is empty');

  if (typeof raw['event'] !== 'string' || raw['event'].trim() === '')
    return reject('event', 'event (the event name, e.g. view, add_to_cart, purchase) is required');

  const props = raw['properties'];
  if (props !== undefined && props !== null && !isObject(props))
    return reject('properties', 'properties must be a JSON object');
  const given: Record<string, unknown> = isObject(props) ? props : {};

  const ids: Record<string, string | null> = {};
  for (const field of ['customer_id', 'anonymous_id', 'session_id', 'product_id', 'request_id']) {
    // Trackers put the product inside properties (Segment's e-commerce spec does).
    const value = raw[field] ?? (field === 'product_id' ? given['product_id'] : undefined);
    const id = idOf(field, value);
    if (id !== null && typeof id !== 'string') return id;
    ids[field] = id;
  }
  if (ids['customer_id'] === null && ids['anonymous_id'] === null)
    return reject('customer_id', 'customer_id or anonymous_id is required (who did it)');

  const match = eventTypeOf(raw['event'], {
    hasProduct: ids['product_id'] !== null,
    hasRequestId: ids['request_id'] !== null,
  });
  if ('reason' in match) return reject('event', match.reason);
  if (PRODUCT_EVENT_TYPES.has(match.type) && ids['product_id'] === null)
    return reject('product_id', `a ${match.type} event needs product_id`);

  const time = parseIsoTimestamp(raw['timestamp']);
  if (typeof time === 'string') return reject('timestamp', time);
  if (time < EARLIEST_EVENT_MS)
    return reject('timestamp', `${String(raw['timestamp'])} is before 1990-01-01`);
  if (time > now + CLOCK_SKEW_MS) {
    return reject(
      'timestamp',
      `${String(raw['timestamp'])} is in the future (more than ${CLOCK_SKEW_MS / 60_000} minutes ahead of the server clock, ${new Date(now).toISOString()})`,
    );
  }

  const value = raw['value'] ?? given['value'] ?? given['revenue'];
  let amount: number | null = null;
  if (value !== undefined && value !== null) {
    amount = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    if (typeof value === 'string' && value.trim() === '') amount = NaN;
    if (!Number.isFinite(amount)) return reject('value', `value ${JSON.stringify(value)} is not a number`);
    if (Math.abs(amount) >= MAX_VALUE) return reject('value', `value ${amount} is out of range`);
  }

  const queryValue = raw['query'] ?? given['query'];
  if (queryValue !== undefined && queryValue !== null && typeof queryValue !== 'string')
    return reject('query', 'query must be a string');
  const query = typeof queryValue === 'string' && queryValue.trim() !== '' ? queryValue : null;

  // Fields beyond ours (a tracker's context, messageId, ...) are kept in properties.
  const extra = Object.entries(raw).filter(([k]) => !KNOWN_FIELDS.has(k));
  const properties = extra.length
    ? { ...given, ...Object.fromEntries(extra) }
    : isObject(props)
      ? props
      : null;
  if (properties && Buffer.byteLength(JSON.stringify(properties)) > MAX_PROPERTIES_BYTES)
    return reject('properties', `properties are larger than ${MAX_PROPERTIES_BYTES / 1024} KB as JSON`);

  return {
    event_id,
    type: match.type,
    customer_id: ids['customer_id'] ?? null,
    anonymous_id: ids['anonymous_id'] ?? null,
    session_id: ids['session_id'] ?? null,
    product_id: ids['product_id'] ?? null,
    request_id: ids['request_id'] ?? null,
    query,
    value: amount,
    occurred_at: new Date(time).toISOString(),
    properties,
  };
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 (`2024-05-01`, `2024-05-01T10:00:00Z`, `2024-05-01 10:00:00.123+02:00`) to epoch
 * milliseconds in UTC; without an offset the time is UTC. A string that says why otherwise.
 * Impossible dates (February 30, hour 25) are refused, not rolled over.
 */
export function parseIsoTimestamp(value: unknown): number | string {
  if (value === undefined || value === null)
    return 'timestamp is required (ISO 8601, e.g. 2024-05-01T10:00:00Z)';
  if (typeof value !== 'string')
    return `timestamp must be an ISO 8601 string (e.g. 2024-05-01T10:00:00Z), got ${typeof value}`;
  const m = ISO.exec(value.trim());
  if (!m) return `'${value}' is not an ISO 8601 date/time (e.g. 2024-05-01T10:00:00Z)`;
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m.slice(1) as string[];
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const ms = Number((frac + '000').slice(0, 3));
  const t = Date.UTC(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], ms);
  const back = new Date(t);
  if (
    back.getUTCFullYear() !== parts[0] ||
    back.getUTCMonth() !== parts[1] ||
    back.getUTCDate() !== parts[2] ||
    back.getUTCHours() !== parts[3] ||
    back.getUTCMinutes() !== parts[4] ||
    back.getUTCSeconds() !== parts[5]
  )
    return `'${value}' is not a real date/time`;
  if (!zone || zone.toUpperCase() === 'Z') return t;
  const digits = zone.slice(1).replace(':', '');
  const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  if (offset > 18 * 60) return `'${value}' has an impossible UTC offset`;
  return t - (zone[0] === '+' ? 1 : -1) * offset * 60_000;
}
