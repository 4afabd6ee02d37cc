import { describe, expect, it } from 'vitest';
import { decideWrite, MAX_LOAD, parseLoadAverage } from './load.js';

describe('bench load hygiene', () => {
  it('reads the three averages of a /proc/loadavg line', () => {
    expect(parseLoadAverage('3.29 1.79 1.57 3/121 11185\n')).toEqual({
      one: 3.29,
      five: 1.79,
      fifteen: 1.57,
    });
    expect(() => parseLoadAverage('')).toThrow(/cannot read a load average/);
  });

  it('writes figures measured at or below the limit', () => {
    const d = decideWrite({ one: MAX_LOAD, five: 9, fifteen: 9 }, false);
    expect(d).toEqual({ write: true, draft: false, message: '' });
  });

  it('refuses figures measured above the limit, and says why', () => {
    const d = decideWrite({ one: 1.51, five: 0.2, fifteen: 0.2 }, false);
    expect(d.write).toBe(false);
    expect(d.message).toContain('1.51');
    expect(d.message).toContain('BENCH_ALLOW_LOAD=1');
  });

  it('writes them as a marked draft when BENCH_ALLOW_LOAD=1', () => {
    const d = decideWrite({ one: 4, five: 4, fifteen: 4 }, true);
    expect(d).toMatchObject({ write: true, draft: true });
    expect(d.message).toMatch(/^\*\*Draft\*\*: .*4\.00.*Not a final figure\.$/);
  });
});
