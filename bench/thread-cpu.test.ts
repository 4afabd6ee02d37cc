import { describe, expect, it } from 'vitest';
import { cpuBetween, parseStatLine, threadCpu } from './thread-cpu.js';

describe('per-thread CPU from /proc', () => {
  it('reads utime + stime of a stat line whose name holds spaces and parentheses', () => {
    const line =
      '4242 (DuckDB (worker) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 12 0 1000 1 1 18446744073709551615';
    expect(parseStatLine(line)).toEqual(['DuckDB (worker) 1', 3.25]);
    expect(() => parseStatLine('garbage')).toThrow(/not a \/proc stat line/);
  });

  it('subtracts two readings per thread', () => {
    expect(cpuBetween({ main: 1, pool: 0.5 }, { main: 3.5, pool: 0.75, new: 0.25 })).toEqual({
      main: 2.5,
      pool: 0.25,
      new: 0.25,
    });
  });

  it.runIf(process.platform === 'linux')('sees this process spend CPU on its main thread', () => {
    const before = threadCpu(process.pid)!;
    const until = process.cpuUsage().user + 300_000;
    while (process.cpuUsage().user < until);
    const used = cpuBetween(before, threadCpu(process.pid)!);
    expect(used['main']).toBeGreaterThanOrEqual(0.25);
  });
});
