/**
 * @module server/events/test-events
 * For tests: an event as a client sends it (a view of P1 by C1 on 2026-11-30), with fields to change.
 */
export const testEvent = (id: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event: 'view',
  event_id: id,
  customer_id: 'C1',
  timestamp: '2026-11-30T10:00:00Z',
  product_id: 'P1',
  ...over,
});
