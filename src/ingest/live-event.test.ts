import { describe, expect, it } from 'vitest';
import { eventTypeOf, normaliseEventName } from './event-names.js';
import {
  checkEvent,
  eventsOfBody,
  MAX_BATCH_EVENTS,
  parseIsoTimestamp,
  type EventRejection,
  type LiveEvent,
} from './live-event.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const base = {
  event: 'view',
  event_id: 'e1',
  customer_id: '12347',
  timestamp: '2026-11-30T10:00:00Z',
  product_id: '85123A',
};
const ok = (raw: unknown): LiveEvent => {
  const r = checkEvent(raw, 0, NOW);
  if ('reason' in r) throw new Error(`rejected: ${r.field}: ${r.reason}`);
  return r;
};
const rejected = (raw: unknown, index = 3): EventRejection => {
  const r = checkEvent(raw, index, NOW);
  if (!('reason' in r)) throw new Error(`accepted: ${JSON.stringify(r)}`);
  return r;
};

describe('event names', () => {
  it('maps the names capture APIs use onto our event types', () => {
    const ctx = { hasProduct: true, hasRequestId: false };
    expect(eventTypeOf('Product Viewed', ctx)).toEqual({ type: 'view' });
    expect(eventTypeOf('product_viewed', ctx)).toEqual({ type: 'view' });
    expect(eventTypeOf('$pageview', ctx)).toEqual({ type: 'view' });
    expect(eventTypeOf('Product Added', ctx)).toEqual({ type: 'add_to_cart' });
    expect(eventTypeOf('addtocart', ctx)).toEqual({ type: 'add_to_cart' });
    expect(eventTypeOf('Order Completed', ctx)).toEqual({ type: 'purchase' });
    expect(eventTypeOf('begin_checkout', ctx)).toEqual({ type: 'checkout' });
    expect(eventTypeOf('Products Searched', ctx)).toEqual({ type: 'search' });
    expect(eventTypeOf('recommendation_click', ctx)).toEqual({ type: 'recommendation_click' });
    expect(normaliseEventName('  $Page-View ')).toBe('page_view');
  });

  it('needs a product for a page view and a request id for a product click', () => {
    const none = { hasProduct: false, hasRequestId: false };
    expect(eventTypeOf('$pageview', none)).toHaveProperty('reason');
    expect(eventTypeOf('Product Clicked', none)).toHaveProperty('reason');
    expect(eventTypeOf('Product Clicked', { hasProduct: true, hasRequestId: true })).toEqual({
      type: 'recommendation_click',
    });
  });

  it('names the known ones when a name is unknown', () => {
    const r = eventTypeOf('wishlist_added', { hasProduct: true, hasRequestId: false });
    expect('reason' in r && r.reason).toMatch(
      /unknown event name 'wishlist_added'; known: view, search, add_to_cart/,
    );
  });
});

describe('checkEvent', () => {
  it('turns a valid event into the stored row', () => {
    expect(ok({ ...base, session_id: 's1', request_id: 'r9', value: '12.50', properties: { a: 1 } })).toEqual(
      {
        event_id: 'e1',
        type: 'view',
        customer_id: '12347',
        anonymous_id: null,
        session_id: 's1',
        product_id: '85123A',
        request_id: 'r9',
        query: null,
        value: 12.5,
        occurred_at: '2026-11-30T10:00:00.000Z',
        properties: { a: 1 },
      },
    );
  });

  it('reads product, query and value from properties and keeps other top-level fields', () => {
    const e = ok({
      event: 'Order Completed',
      event_id: 'e2',
      anonymous_id: 'anon-1',
      timestamp: '2026-11-30T10:00:00+02:00',
      properties: { product_id: 'P1', revenue: 30 },
      context: { ip: 'x' },
    });
    expect(e.type).toBe('purchase');
    expect(e.product_id).toBe('P1');
    expect(e.value).toBe(30);
    expect(e.occurred_at).toBe('2026-11-30T08:00:00.000Z');
    expect(e.properties).toEqual({ product_id: 'P1', revenue: 30, context: { ip: 'x' } });
  });

  it('takes numeric ids as their decimal text', () => {
    expect(ok({ ...base, customer_id: 12347 }).customer_id).toBe('12347');
  });

  it('rejects each fault with its index, field and reason', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...base, event_id: undefined }, 'event_id', /event_id is required/],
      [{ ...base, event_id: 7 }, 'event_id', /must be a string/],
      [{ ...base, event: 'wishlist_added' }, 'event', /unknown event name 'wishlist_added'; known: view/],
      [{ ...base, customer_id: undefined }, 'customer_id', /customer_id or anonymous_id is required/],
      [{ ...base, timestamp: undefined }, 'timestamp', /timestamp is required/],
      [{ ...base, timestamp: '30/11/2026' }, 'timestamp', /not an ISO 8601/],
      [{ ...base, timestamp: '2026-02-30T10:00:00Z' }, 'timestamp', /not a real date/],
      [{ ...base, timestamp: '1989-12-31T23:59:59Z' }, 'timestamp', /before 1990/],
      // 12:06 is six minutes ahead of NOW: beyond the five-minute allowance.
      [{ ...base, timestamp: '2026-12-01T12:06:00Z' }, 'timestamp', /in the future/],
      [
        { ...base, event: 'add_to_cart', product_id: undefined },
        'product_id',
        /add_to_cart event needs product_id/,
      ],
      [{ ...base, value: 'ten' }, 'value', /not a number/],
      [{ ...base, properties: [1] }, 'properties', /must be a JSON object/],
      [{ ...base, query: 5 }, 'query', /must be a string/],
      [{ ...base, customer_id: 'x'.repeat(300) }, 'customer_id', /longer than 256/],
      ['view', '', /must be a JSON object/],
    ];
    for (const [raw, field, reason] of cases) {
      const r = rejected(raw);
      expect(r.index).toBe(3);
      expect(r.field, JSON.stringify(raw)).toBe(field);
      expect(r.reason).toMatch(reason);
    }
    expect(rejected({ ...base, value: 'ten' }).event_id).toBe('e1');
  });

  it('accepts a timestamp within the clock-skew allowance', () => {
    expect(ok({ ...base, timestamp: '2026-12-01T12:04:00Z' }).occurred_at).toBe('2026-12-01T12:04:00.000Z');
  });
});

describe('parseIsoTimestamp', () => {
  it('reads dates, times, fractions and offsets as UTC', () => {
    expect(parseIsoTimestamp('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    expect(parseIsoTimestamp('2024-05-01 10:30')).toBe(Date.UTC(2024, 4, 1, 10, 30));
    expect(parseIsoTimestamp('2024-05-01T10:30:15.1234Z')).toBe(Date.UTC(2024, 4, 1, 10, 30, 15, 123));
    expect(parseIsoTimestamp('2024-05-01T10:30:00-0530')).toBe(Date.UTC(2024, 4, 1, 16, 0));
    expect(parseIsoTimestamp('2024-05-01T24:00:00Z')).toMatch(/not a real/);
    expect(parseIsoTimestamp(1714557600)).toMatch(/must be an ISO 8601 string/);
  });
});

describe('the fast path for the usual timestamp form', () => {
  it('agrees with Date on the form trackers send, and refuses what is not a real date', () => {
    for (const t of [
      '2024-02-29T23:59:59.999Z',
      '2024-05-01T10:30:15Z',
      '1999-12-31T00:00:00.000Z',
      '2026-11-30T10:00:00.5Z',
    ])
      expect(parseIsoTimestamp(t), t).toBe(Date.parse(t));
    expect(parseIsoTimestamp('2023-02-29T10:00:00.000Z')).toMatch(/not a real/);
    expect(parseIsoTimestamp('2024-04-31T10:00:00Z')).toMatch(/not a real/);
    expect(parseIsoTimestamp('2024-05-01T10:60:00Z')).toMatch(/not a real/);
    expect(parseIsoTimestamp('2024-13-01T10:00:00.000Z')).toMatch(/not a real/);
    expect(parseIsoTimestamp('0050-05-01T10:00:00.000Z')).toMatch(/not a real/);
    expect(parseIsoTimestamp('2024-05-01T1a:00:00.000Z')).toMatch(/not an ISO 8601/);
  });

  it('keeps a canonical UTC time as given and writes any other in that form', () => {
    expect(ok({ ...base, timestamp: '2026-11-30T10:00:00.250Z' }).occurred_at).toBe(
      '2026-11-30T10:00:00.250Z',
    );
    expect(ok({ ...base, timestamp: '2026-11-30 10:00:00.250z' }).occurred_at).toBe(
      '2026-11-30T10:00:00.250Z',
    );
  });
});

describe('the size of properties', () => {
  it('refuses properties over 32 KB as JSON, escapes and multi-byte characters counted', () => {
    // 5,000 characters of 3 UTF-8 bytes each: 15,000 bytes, under the limit.
    expect(ok({ ...base, properties: { note: '中'.repeat(5000) } }).properties).toHaveProperty('note');
    // 11,000 of them: 33,000 bytes plus the key, over it.
    expect(rejected({ ...base, properties: { note: '中'.repeat(11_000) } }).field).toBe('properties');
    // Extra top-level fields count as properties too.
    expect(rejected({ ...base, context: { blob: 'x'.repeat(33_000) } }).field).toBe('properties');
    // A quote is 2 bytes once escaped: 17,000 of them are 34,000 bytes.
    expect(rejected({ ...base, properties: { q: '"'.repeat(17_000) } }).field).toBe('properties');
    expect(ok({ ...base, properties: { q: '"'.repeat(16_000) } }).properties).toHaveProperty('q');
  });
});

describe('eventsOfBody', () => {
  it('reads one event or a batch', () => {
    expect(eventsOfBody(base)).toEqual({ events: [base] });
    expect(eventsOfBody({ batch: [base, base] })).toEqual({ events: [base, base] });
  });

  it('refuses a batch over the limit, an empty one, and a non-object body', () => {
    const big = eventsOfBody({ batch: new Array(MAX_BATCH_EVENTS + 1).fill(base) });
    expect(big).toEqual({
      error: { field: 'batch', reason: expect.stringMatching(/10,001 events; at most 10,000/) as unknown },
    });
    expect(eventsOfBody({ batch: new Array(MAX_BATCH_EVENTS).fill(base) })).toHaveProperty('events');
    expect(eventsOfBody({ batch: [] })).toHaveProperty('error.reason', 'batch is empty');
    expect(eventsOfBody({ batch: {} })).toHaveProperty('error.field', 'batch');
    expect(eventsOfBody([base])).toHaveProperty('error.field', '');
  });
});
