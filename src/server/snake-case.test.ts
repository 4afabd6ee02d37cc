import { describe, expect, it } from 'vitest';
import { snakeKeys, snakeName } from './snake-case.js';

describe('snakeKeys', () => {
  it('renames keys deeply and leaves values, arrays, nulls and dates alone', () => {
    expect(snakeName('avgRecencyDays')).toBe('avg_recency_days');
    expect(snakeName('customer_id')).toBe('customer_id');
    const at = new Date('2024-01-01T00:00:00Z');
    expect(
      snakeKeys({
        grossRevenue: 1,
        period: { from: null, lastMonth: '2024-03-01' },
        points: [{ netRevenue: 2, labelText: 'keepThisValue' }],
        at,
      }),
    ).toEqual({
      gross_revenue: 1,
      period: { from: null, last_month: '2024-03-01' },
      points: [{ net_revenue: 2, label_text: 'keepThisValue' }],
      at,
    });
  });
});
