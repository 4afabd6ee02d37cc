import { describe, expect, it } from 'vitest';
import { TimeHeap } from './heap.js';
import { Seasonality, yearlyFactor } from './seasonality.js';

describe('Seasonality', () => {
  const season = new Seasonality(Date.UTC(2024, 0, 1), 366);
  const dayIntensity = (day: number): number =>
    season.cumulative[(day + 1) * 24]! - season.cumulative[day * 24]!;

  it('averages about 1 per hour over a year and peaks before Christmas', () => {
    expect(season.total / season.hours).toBeGreaterThan(0.95);
    expect(season.total / season.hours).toBeLessThan(1.05);
    expect(yearlyFactor(11, 10)).toBeGreaterThan(1.4 * yearlyFactor(1, 10));
    // 2024-12-09 (a Monday) vs 2024-02-12 (a Monday)
    expect(dayIntensity(343)).toBeGreaterThan(1.4 * dayIntensity(42));
  });

  it('has a weekly rhythm: Sundays busier than Saturdays', () => {
    // 2024-03-03 is a Sunday, 2024-03-02 a Saturday
    expect(dayIntensity(62)).toBeGreaterThan(1.1 * dayIntensity(61));
  });

  it('inverts its intensity clock', () => {
    for (const t of [0, 1, 3599.5, 86_400 * 100 + 1234, 366 * 86_400 - 1]) {
      expect(season.timeAt(season.intensityAt(t))).toBeCloseTo(t, 3);
    }
    expect(season.timeAt(season.total + 1)).toBe(Infinity);
  });
});

describe('TimeHeap', () => {
  it('pops in time order, ties by smaller id', () => {
    const heap = new TimeHeap(100);
    const times = [5, 3, 9, 3, 1, 7, 7, 0, 2, 8];
    times.forEach((t, id) => heap.push(t, id));
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop());
    expect(popped).toEqual([7, 4, 8, 1, 3, 0, 5, 6, 9, 2]);
    expect(heap.pop()).toBe(-1);
  });
});
