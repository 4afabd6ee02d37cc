import { describe, expect, it } from 'vitest';
import { parseStatLine, processCpu } from './thread-cpu.js';

describe('process CPU from /proc', () => {
  it('reads utime + stime of a stat line whose name holds spaces and parentheses', () => {
    const line =
      '4242 (DuckDB (worker) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 12 0 1000 1 1 18446744073709551615';
    expect(parseStatLine(line)).toEqual(['DuckDB (worker) 1', 3.25]);
    expect(() => parseStatLine('garbage')).toThrow(/not a \/proc stat line/);
  });

  it.runIf(process.platform === 'linux')('sees this process spend CPU on its main thread', () => {
    const before = processCpu(process.pid)!;
    const until = process.cpuUsage().user + 300_000;
    while (process.cpuUsage().user < until);
    const after = processCpu(process.pid)!;
    expect(after.main - before.main).toBeGreaterThanOrEqual(0.25);
    expect(after.total).toBeGreaterThanOrEqual(after.main);
    // Two readings are two moments: a tick (10 ms) may fall between the thread's and the process's.
    expect(after.total - before.total).toBeGreaterThanOrEqual(after.main - before.main - 0.02);
  });

  it('answers null for a process that does not exist', () => {
    expect(processCpu(2 ** 30)).toBeNull();
  });
});
