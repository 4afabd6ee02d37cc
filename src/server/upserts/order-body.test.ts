import { describe, expect, it } from 'vitest';
import { orderFieldOf, orderRequest } from './order-body.js';

describe('orderRequest', () => {
  it('repeats the order fields on every line and numbers the lines', () => {
    const r = orderRequest({
      order_id: 'O1',
      ordered_at: '2024-05-01T10:00:00Z',
      customer_id: '12347',
      lines: [
        { product_id: 'P1', quantity: 2, unit_price: 3.5 },
        { product_id: 'P2', quantity: 1, unit_price: 10, line_no: 7 },
      ],
    });
    expect(r).toEqual({
      kind: 'order',
      orderId: 'O1',
      rows: [
        {
          order_id: 'O1',
          ordered_at: '2024-05-01T10:00:00Z',
          customer_id: '12347',
          line_no: 1,
          product_id: 'P1',
          quantity: 2,
          unit_price: 3.5,
        },
        {
          order_id: 'O1',
          ordered_at: '2024-05-01T10:00:00Z',
          customer_id: '12347',
          line_no: 7,
          product_id: 'P2',
          quantity: 1,
          unit_price: 10,
        },
      ],
    });
  });

  it('reads a body without lines as a status change', () => {
    expect(orderRequest({ order_id: 'O1', status: 'returned' })).toEqual({
      kind: 'status',
      orderId: 'O1',
      status: 'returned',
      changedAt: undefined,
    });
  });

  it('names the field of a malformed order', () => {
    expect(orderRequest({ ordered_at: 'x', lines: [] })).toMatchObject({ field: 'order_id' });
    expect(orderRequest({ order_id: 'O1', lines: [] })).toMatchObject({ field: 'lines' });
    expect(orderRequest({ order_id: 'O1' })).toMatchObject({ field: 'lines' });
    expect(orderRequest({ order_id: 'O1', colour: 'red', lines: [{}] })).toMatchObject({
      field: 'colour',
      reason: expect.stringMatching(/^unknown field 'colour'; an order has order_id, ordered_at/) as unknown,
    });
    expect(orderRequest({ order_id: 'O1', lines: [{ product_id: 'P1' }, { sku: 'x' }] })).toMatchObject({
      field: 'lines[1].sku',
    });
    expect(orderRequest({ order_id: 'O1', status: 'paid', channel: 'web' })).toMatchObject({
      field: 'channel',
    });
  });

  it('maps a quarantined column back to the request field', () => {
    expect(orderFieldOf(2, 'unit_price')).toBe('lines[1].unit_price');
    expect(orderFieldOf(1, 'ordered_at')).toBe('ordered_at');
    expect(orderFieldOf(3, null)).toBe('lines[2]');
  });
});
