import { describe, expect, it } from 'vitest';
import { MAX_TIMER_SECONDS, parseDuration, parseTimerInterval } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('600', '--x')).toBe(600);
    expect(parseDuration('90s', '--x')).toBe(90);
    expect(parseDuration('10m', '--x')).toBe(600);
    expect(parseDuration('6h', '--x')).toBe(21_600);
    expect(parseDuration('1.5h', '--x')).toBe(5400);
    expect(parseDuration('1d', '--x')).toBe(86_400);
    expect(parseDuration(' 2 M ', '--x')).toBe(120);
  });

  it("takes 'none' only where no limit makes sense, and names the option it refuses", () => {
    expect(parseDuration('none', '--budget', { allowNone: true })).toBe(Infinity);
    expect(() => parseDuration('none', '--retrain-every')).toThrow(
      "--retrain-every must be a positive duration such as 600, 90s, 10m or 1.5h (got 'none')",
    );
    for (const bad of ['0', '0h', '-5', '10 minutes', '6w', '']) {
      expect(() => parseDuration(bad, '--retrain-every')).toThrow(
        /^--retrain-every must be a positive duration/,
      );
    }
  });
});

describe('parseTimerInterval', () => {
  it("takes a duration up to setInterval's longest delay, 2^31 - 1 ms", () => {
    expect(MAX_TIMER_SECONDS).toBe(2_147_483);
    expect(parseTimerInterval('24h', '--retain-every')).toBe(86_400);
    expect(parseTimerInterval('2147483', '--retain-every')).toBe(2_147_483);
    expect(() => parseTimerInterval('25d', '--retain-every')).toThrow(
      '--retain-every must be at most 2147483 s (24 days)',
    );
    expect(() => parseTimerInterval('-1h', '--retain-every')).toThrow(/must be a positive duration/);
  });
});
