import { describe, expect, it } from 'vitest';
import { childrenCpuSeconds, timeProcess } from './process-time.js';

describe('whole-process times', () => {
  it("reads the children's line of bash's times", () => {
    expect(childrenCpuSeconds('0m0.003s 0m0.001s\n1m2.500s 0m0.250s\n')).toBeCloseTo(62.75, 9);
    expect(() => childrenCpuSeconds('nothing')).toThrow(/cannot read the CPU times/);
  });

  it('keeps the command output and counts the CPU a busy child used', () => {
    // The child spins until it has used 300 ms of CPU itself (not of the clock: the machine may be busy).
    const spin = 'while (process.cpuUsage().user < 300000); console.log("done")';
    const t = timeProcess('node', ['-e', spin]);
    expect(t.stdout.trim()).toBe('done');
    expect(t.cpuSeconds).toBeGreaterThanOrEqual(0.3);
  });

  it('names a failing command', () => {
    expect(() => timeProcess('node', ['-e', 'process.exit(3)'])).toThrow(/exited with 3/);
  });
});
