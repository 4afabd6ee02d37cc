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

/** Fields read as ids, in the order they are checked (the first fault found is the one reported). */
const ID_FIELDS = ['customer_id', 'anonymous_id', 'session_id', 'product_id', 'request_id'] as const;

const rejection = (index: number, eventId: string | null, field: string, reason: string): EventRejection => ({
  index,
  event_id: eventId,
  field,
  reason,
});

/** An id field's text: null when absent, the trimmed text, or why not (a rejection). */
function readId(
  value: unknown,
  field: string,
  index: number,
  eventId: string | null,
): string | null | EventRejection {
  if (value === undefined || value === null) return null;
  // Numeric ids are common (customer 12347): taken as their decimal text.
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string') return rejection(index, eventId, field, `${field} must be a string`);
  const trimmed = text.trim();
  if (trimmed === '') return rejection(index, eventId, field, `${field} is empty`);
  if (trimmed.length > MAX_ID_CHARS)
    return rejection(index, eventId, field, `${field} is longer than ${MAX_ID_CHARS} characters`);
  return trimmed;
}

/**
 * Whether `value` as JSON text is surely at most `limit` bytes, by an upper bound (a UTF-16 unit is
 * at most 6 bytes of JSON, as an escape): most events carry a few short properties, so the exact
 * size (a JSON.stringify per event, the costliest step of a check) is taken only near the limit.
 */
function surelyFits(value: unknown, limit: number): boolean {
  let budget = limit;
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > 32) return false;
    if (typeof v === 'string') budget -= v.length * 6 + 2;
    else if (typeof v !== 'object' || v === null) budget -= 24;
    else if (Array.isArray(v)) {
      budget -= 2;
      for (const x of v) if (!walk(x, depth + 1) || (budget -= 1) < 0) return false;
    } else {
      budget -= 2;
      for (const k in v) {
        budget -= k.length * 6 + 4;
        if (!walk((v as Record<string, unknown>)[k], depth + 1) || budget < 0) return false;
      }
    }
    return budget >= 0;
  };
  return walk(value, 0);
}

/**
 * Checks event number `index` of a batch; `now` is the server's time in epoch milliseconds.
 * This runs for every event the API takes (tens of thousands a second): no closures or temporary
 * arrays per event, and the costly steps (exact JSON size, date formatting) only when needed.
 */
export function checkEvent(raw: unknown, index: number, now: number): LiveEvent | EventRejection {
  if (!isObject(raw)) return rejection(index, null, '', 'an event must be a JSON object');
  const rawId = raw['event_id'];
  const eventId = typeof rawId === 'string' ? rawId : null;

  if (rawId === undefined || rawId === null)
    return rejection(
      index,
      eventId,
      'event_id',
      'event_id is required (the client id that makes a retry idempotent)',
    );
  if (typeof rawId !== 'string') return rejection(index, eventId, 'event_id', 'event_id must be a string');
  const event_id = readId(rawId, 'event_id', index, eventId);
  if (typeof event_id !== 'string')
    return event_id ?? rejection(index, eventId, 'event_id', 'event_id is empty');

  const name = raw['event'];
  if (typeof name !== 'string' || name.trim() === '')
    return rejection(
      index,
      eventId,
      'event',
      'event (the event name, e.g. view, add_to_cart, purchase) is required',
    );

  const props = raw['properties'];
  if (props !== undefined && props !== null && !isObject(props))
    return rejection(index, eventId, 'properties', 'properties must be a JSON object');
  const given: Record<string, unknown> | undefined = isObject(props) ? props : undefined;

  let customer_id: string | null = null;
  let anonymous_id: string | null = null;
  let session_id: string | null = null;
  let product_id: string | null = null;
  let request_id: string | null = null;
  for (const field of ID_FIELDS) {
    // Trackers put the product inside properties (Segment's e-commerce spec does).
    const value = raw[field] ?? (field === 'product_id' ? given?.['product_id'] : undefined);
    const id = readId(value, field, index, eventId);
    if (id !== null && typeof id !== 'string') return id;
    if (field === 'customer_id') customer_id = id;
    else if (field === 'anonymous_id') anonymous_id = id;
    else if (field === 'session_id') session_id = id;
    else if (field === 'product_id') product_id = id;
    else request_id = id;
  }
  if (customer_id === null && anonymous_id === null)
    return rejection(index, eventId, 'customer_id', 'customer_id or anonymous_id is required (who did it)');

  const match = eventTypeOf(name, { hasProduct: product_id !== null, hasRequestId: request_id !== null });
  if ('reason' in match) return rejection(index, eventId, 'event', match.reason);
  if (PRODUCT_EVENT_TYPES.has(match.type) && product_id === null)
    return rejection(index, eventId, 'product_id', `a ${match.type} event needs product_id`);

  const stamp = raw['timestamp'];
  const time = parseIsoTimestamp(stamp);
  if (typeof time === 'string') return rejection(index, eventId, 'timestamp', time);
  if (time < EARLIEST_EVENT_MS)
    return rejection(index, eventId, 'timestamp', `${String(stamp)} is before 1990-01-01`);
  if (time > now + CLOCK_SKEW_MS) {
    return rejection(
      index,
      eventId,
      'timestamp',
      `${String(stamp)} is in the future (more than ${CLOCK_SKEW_MS / 60_000} minutes ahead of the server clock, ${new Date(now).toISOString()})`,
    );
  }

  const value = raw['value'] ?? given?.['value'] ?? given?.['revenue'];
  let amount: number | null = null;
  if (value !== undefined && value !== null) {
    amount = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    if (typeof value === 'string' && value.trim() === '') amount = NaN;
    if (!Number.isFinite(amount))
      return rejection(index, eventId, 'value', `value ${JSON.stringify(value)} is not a number`);
    if (Math.abs(amount) >= MAX_VALUE)
      return rejection(index, eventId, 'value', `value ${amount} is out of range`);
  }

  const queryValue = raw['query'] ?? given?.['query'];
  if (queryValue !== undefined && queryValue !== null && typeof queryValue !== 'string')
    return rejection(index, eventId, 'query', 'query must be a string');
  const query = typeof queryValue === 'string' && queryValue.trim() !== '' ? queryValue : null;

  // Fields beyond ours (a tracker's context, messageId, ...) are kept in properties.
  let properties: Record<string, unknown> | null = given ?? null;
  for (const k in raw) {
    if (KNOWN_FIELDS.has(k)) continue;
    if (properties === given || properties === null) properties = { ...given };
    properties[k] = raw[k];
  }
  if (
    properties &&
    !surelyFits(properties, MAX_PROPERTIES_BYTES) &&
    Buffer.byteLength(JSON.stringify(properties)) > MAX_PROPERTIES_BYTES
  )
    return rejection(
      index,
      eventId,
      'properties',
      `properties are larger than ${MAX_PROPERTIES_BYTES / 1024} KB as JSON`,
    );

  return {
    event_id,
    type: match.type,
    customer_id,
    anonymous_id,
    session_id,
    product_id,
    request_id,
    query,
    value: amount,
    occurred_at: isCanonicalUtc(stamp) ? stamp : new Date(time).toISOString(),
    properties,
  };
}

/** `2024-05-01T10:00:00.000Z`: what toISOString writes, so it can be kept as given. */
const isCanonicalUtc = (v: unknown): v is string =>
  typeof v === 'string' && v.length === 24 && v.charCodeAt(23) === 90 /* Z */ && v.charCodeAt(19) === 46;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Digits at [from, from + n) of `s` as a number, or -1 when any is not a digit. */
function digitsAt(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The form trackers send (`YYYY-MM-DDTHH:MM:SS[.fff]Z`, what toISOString writes) read by char
 * codes, without the general regular expression; -1 for anything else (the general path decides).
 */
function fastUtc(s: string): number {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s.charCodeAt(n - 1) !== 90 /* Z */) return -1;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return -1;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return -1;
  if (n === 24 && s.charCodeAt(19) !== 46) return -1;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  const ms = n === 24 ? digitsAt(s, 20, 3) : 0;
  // Years before 1000 go the general way (Date.UTC reads 0-99 as 1900-1999).
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return -1;
  if (sec < 0 || sec > 59 || ms < 0) return -1;
  if (d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!)) return -1;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
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
  const fast = fastUtc(value);
  if (fast >= 0) return fast;
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
