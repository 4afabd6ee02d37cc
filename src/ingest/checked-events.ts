/**
 * @module ingest/checked-events
 * A request's events checked (live-event.ts) and serialised in one pass, in the compact form the
 * server's ingest needs: the ids, times and products of the events that passed as arrays, and those
 * events as one JSON array of UTF-8 bytes (null fields left out), the record the event log writes and
 * the warehouse reads.
 *
 * Pure and self-contained (no I/O, no shared state) so that the pass, the costliest part of taking
 * a batch (JSON.parse of the body, the checks, JSON.stringify of the rows), can run on a worker
 * thread: every field is a string list, a typed array or a byte buffer, cheap to send between
 * threads. `checkEventBody` takes the raw body; `checkEvents` a list already parsed.
 *
 * @example
 *   const c = checkEventBody(Buffer.from('{"batch": [...]}'), Date.now());
 *   if ('error' in c) throw ...;           // { code: 'invalid_json', field: '', reason: '...' }
 *   c.ids[0]; c.times[0]; elementOf(c, 0); // the first passing event: id, epoch ms, its JSON bytes
 */
import { checkEvent, eventsOfBody, type EventRejection, type LiveEvent } from './live-event.js';

/** The events of a request that passed their checks, and the rejections of the others. */
export interface CheckedEvents {
  /** Events in the request, checked or not. */
  readonly received: number;
  /** Events refused by the checks, in request order. */
  readonly rejected: EventRejection[];
  /** Per passing event, in request order: its event_id. */
  readonly ids: string[];
  /** Its position in the request. */
  readonly positions: Int32Array;
  /** Its time, epoch milliseconds. */
  readonly times: Float64Array;
  /** The distinct product ids the passing events name. */
  readonly products: string[];
  /** Per passing event, the index of its product in `products`; -1 for none. */
  readonly productOf: Int32Array;
  /** The passing events (LiveEvent rows) as one JSON array, UTF-8. */
  readonly json: Uint8Array;
  /** Per passing event, the byte offset in `json` where its element ends (exclusive). */
  readonly ends: Int32Array;
}

/** What is wrong with a body as a whole (nothing of it is taken). */
export interface EventBodyError {
  readonly code: 'invalid_json' | 'invalid_request' | 'batch_too_large';
  readonly field: string;
  readonly reason: string;
}

/** The bytes of element `i` of `c.json` (no copy). */
export function elementOf(c: CheckedEvents, i: number): Uint8Array {
  const start = i === 0 ? 1 : c.ends[i - 1]! + 1; // after `[` or after the comma
  return c.json.subarray(start, c.ends[i]);
}

/** Elements (UTF-8 JSON bytes each, e.g. from elementOf) as one JSON array. */
export function jsonArrayOf(elements: readonly Uint8Array[]): Buffer {
  const parts: Uint8Array[] = [OPEN];
  for (let i = 0; i < elements.length; i++) {
    if (i) parts.push(COMMA);
    parts.push(elements[i]!);
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** A request body (UTF-8 JSON: one event or `{"batch": [...]}`) parsed and checked; `now` in epoch ms. */
export function checkEventBody(body: Uint8Array, now: number): CheckedEvents | { error: EventBodyError } {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return {
      error: {
        code: 'invalid_json',
        field: '',
        reason: `the body is not valid JSON: ${(err as Error).message}`,
      },
    };
  }
  if (mayHoldProtoKey(text) && holdsProtoKey(parsed)) {
    return {
      error: {
        code: 'invalid_json',
        field: '',
        reason: 'the body holds a "__proto__" key, refused (prototype poisoning)',
      },
    };
  }
  const events = eventsOfBody(parsed);
  if ('error' in events) {
    const tooLarge = events.error.field === 'batch' && /at most/.test(events.error.reason);
    return { error: { code: tooLarge ? 'batch_too_large' : 'invalid_request', ...events.error } };
  }
  return checkEvents(events.events, now);
}

/** Parsed events (index = position in the request) checked and serialised; `now` in epoch ms. */
export function checkEvents(raw: readonly unknown[], now: number): CheckedEvents {
  const n = raw.length;
  const rejected: EventRejection[] = [];
  const ids: string[] = [];
  const positions = new Int32Array(n);
  const times = new Float64Array(n);
  const productOf = new Int32Array(n);
  const products: string[] = [];
  const productIndex = new Map<string, number>();
  const parts: string[] = [];
  for (let index = 0; index < raw.length; index++) {
    const c = checkEvent(raw[index], index, now);
    if ('reason' in c) {
      rejected.push(c);
      continue;
    }
    const k = ids.length;
    ids.push(c.event_id);
    positions[k] = index;
    // occurred_at is the canonical toISOString form: Date.parse reads it exactly.
    times[k] = Date.parse(c.occurred_at);
    if (c.product_id === null) productOf[k] = -1;
    else {
      let p = productIndex.get(c.product_id);
      if (p === undefined) {
        p = products.length;
        products.push(c.product_id);
        productIndex.set(c.product_id, p);
      }
      productOf[k] = p;
    }
    parts.push(rowJson(c));
  }
  const k = ids.length;
  const { json, ends } = joinElements(parts);
  return {
    received: raw.length,
    rejected,
    ids,
    positions: positions.slice(0, k),
    times: times.slice(0, k),
    products,
    productOf: productOf.slice(0, k),
    json,
    ends,
  };
}

/**
 * An event's row as JSON without its null fields (a reader takes a missing field as null, as
 * DuckDB's from_json does): the common event has four, and leaving them out makes the record a
 * quarter smaller to write, fsync and parse, and the serialisation faster than JSON.stringify of
 * the whole row (measured 1.8 against 2.9 microseconds an event).
 */
function rowJson(e: LiveEvent): string {
  const row: Partial<Record<keyof LiveEvent, unknown>> = {
    event_id: e.event_id,
    type: e.type,
    occurred_at: e.occurred_at,
  };
  if (e.customer_id !== null) row.customer_id = e.customer_id;
  if (e.anonymous_id !== null) row.anonymous_id = e.anonymous_id;
  if (e.session_id !== null) row.session_id = e.session_id;
  if (e.product_id !== null) row.product_id = e.product_id;
  if (e.request_id !== null) row.request_id = e.request_id;
  if (e.query !== null) row.query = e.query;
  if (e.value !== null) row.value = e.value;
  if (e.properties !== null) row.properties = e.properties;
  return JSON.stringify(row);
}

/**
 * `[p0,p1,...]` as UTF-8 bytes and where each element ends. One native write of the joined text;
 * for ASCII (the usual case: ids, ISO times, names) byte offsets are character offsets, otherwise
 * each element's byte length is measured.
 */
function joinElements(parts: readonly string[]): { json: Uint8Array; ends: Int32Array } {
  const text = `[${parts.join(',')}]`;
  const json = Buffer.from(text, 'utf8');
  const ends = new Int32Array(parts.length);
  const ascii = json.length === text.length;
  let at = 1;
  for (let i = 0; i < parts.length; i++) {
    at += ascii ? parts[i]!.length : Buffer.byteLength(parts[i]!, 'utf8');
    ends[i] = at;
    at += 1; // the comma
  }
  return { json, ends };
}

/**
 * Whether the text may name a `__proto__` key (as is, or with a character escaped): a cheap scan,
 * so that the tree is walked only then. JSON.parse makes such a key an own property, harmless in
 * itself, but an assignment of it elsewhere would replace an object's prototype; the body is
 * refused, as Fastify's own JSON parser refuses it.
 */
const mayHoldProtoKey = (text: string): boolean => text.includes('proto') || text.includes('\\u');

function holdsProtoKey(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => holdsProtoKey(v, depth + 1));
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
  for (const k in value) if (holdsProtoKey((value as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}
