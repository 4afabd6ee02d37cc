import { describe, expect, it } from 'vitest';
import { checkEventBody, checkEvents, elementOf, jsonArrayOf, type CheckedEvents } from './checked-events.js';
import { checkEvent, type LiveEvent } from './live-event.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const ev = (id: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event: 'view',
  event_id: id,
  customer_id: 'C1',
  timestamp: '2026-11-30T10:00:00Z',
  product_id: 'P1',
  ...over,
});
const body = (json: unknown): Buffer => Buffer.from(JSON.stringify(json));
const checked = (r: ReturnType<typeof checkEventBody>): CheckedEvents => {
  if ('error' in r) throw new Error(r.error.reason);
  return r;
};

describe('checkEventBody', () => {
  it('keeps the passing events with their ids, positions, times and products, and lists the others', () => {
    const sent = [
      ev('a'),
      ev('b', { timestamp: '1989-12-31T00:00:00Z' }),
      ev('c', { product_id: 'P2', timestamp: '2026-11-30T10:00:01.500Z' }),
      ev('d', { product_id: undefined, event: 'search', query: 'mug' }),
      ev('e', { product_id: 'P1' }),
    ];
    const c = checked(checkEventBody(body({ batch: sent }), NOW));
    expect(c.received).toBe(5);
    expect(c.rejected.map((r) => [r.index, r.event_id, r.field])).toEqual([[1, 'b', 'timestamp']]);
    expect(c.ids).toEqual(['a', 'c', 'd', 'e']);
    expect([...c.positions]).toEqual([0, 2, 3, 4]);
    expect([...c.times]).toEqual([
      Date.UTC(2026, 10, 30, 10),
      Date.UTC(2026, 10, 30, 10, 0, 1, 500),
      Date.UTC(2026, 10, 30, 10),
      Date.UTC(2026, 10, 30, 10),
    ]);
    expect(c.products).toEqual(['P1', 'P2']);
    expect([...c.productOf]).toEqual([0, 1, -1, 0]);
    // The JSON is the checked rows, exactly as checkEvent makes them, element by element.
    const rows = JSON.parse(Buffer.from(c.json).toString()) as LiveEvent[];
    // Null fields are left out: a reader takes a missing field as null.
    const withoutNulls = (e: object) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null));
    expect(rows).toEqual([0, 2, 3, 4].map((i) => withoutNulls(checkEvent(sent[i], i, NOW))));
    expect(Object.keys(rows[2]!).sort()).toEqual(['customer_id', 'event_id', 'occurred_at', 'query', 'type']);
    expect(rows[1]).toMatchObject({ event_id: 'c', occurred_at: '2026-11-30T10:00:01.500Z' });
    expect(rows.map((_, i) => JSON.parse(Buffer.from(elementOf(c, i)).toString()) as unknown)).toEqual(rows);
  });

  it('cuts elements at byte offsets when the text is not ASCII', () => {
    const c = checked(
      checkEventBody(
        body({ batch: [ev('x', { properties: { name: 'Zoë ☕' } }), ev('y', { query: 'café' }), ev('z')] }),
        NOW,
      ),
    );
    const ids = [0, 1, 2].map(
      (i) => (JSON.parse(Buffer.from(elementOf(c, i)).toString()) as LiveEvent).event_id,
    );
    expect(ids).toEqual(['x', 'y', 'z']);
    expect((JSON.parse(Buffer.from(elementOf(c, 0)).toString()) as LiveEvent).properties).toEqual({
      name: 'Zoë ☕',
    });
    // Elements rejoined: the array of the ones kept, as the log writes it.
    const kept = jsonArrayOf([elementOf(c, 2), elementOf(c, 0)]);
    expect((JSON.parse(kept.toString()) as LiveEvent[]).map((e) => e.event_id)).toEqual(['z', 'x']);
    expect(jsonArrayOf([]).toString()).toBe('[]');
  });

  it('takes one event without a batch', () => {
    const c = checked(checkEventBody(body(ev('solo')), NOW));
    expect([c.received, c.ids, c.rejected]).toEqual([1, ['solo'], []]);
  });

  it('refuses a body that is not one: bad JSON, a prototype key, no object, an empty or too large batch', () => {
    const error = (b: Uint8Array) => {
      const r = checkEventBody(b, NOW);
      return 'error' in r ? [r.error.code, r.error.field] : null;
    };
    expect(error(Buffer.from('{"event": "view",'))).toEqual(['invalid_json', '']);
    expect(error(Buffer.from(''))).toEqual(['invalid_json', '']);
    expect(error(Buffer.from('{"batch": [{"event": "view", "__proto__": {"x": 1}}]}'))).toEqual([
      'invalid_json',
      '',
    ]);
    expect(error(Buffer.from('{"batch": [{"event": "view", "\\u005f_proto__": {"x": 1}}]}'))).toEqual([
      'invalid_json',
      '',
    ]);
    expect(error(Buffer.from('[1, 2]'))).toEqual(['invalid_request', '']);
    expect(error(body({ batch: [] }))).toEqual(['invalid_request', 'batch']);
    expect(error(body({ batch: Array.from({ length: 10_001 }, (_, i) => ev(`t${i}`)) }))).toEqual([
      'batch_too_large',
      'batch',
    ]);
    // A product called "prototype" is only a reason to look closer, not a refusal.
    expect(error(body(ev('p', { product_id: 'prototype' })))).toBeNull();
  });
});

describe('checkEvents', () => {
  it('gives the same answer for parsed events as for the body', () => {
    const events = [ev('a'), ev('b', { event: 'wishlist' }), ev('c')];
    expect(checkEvents(events, NOW)).toEqual(checked(checkEventBody(body({ batch: events }), NOW)));
  });
});
