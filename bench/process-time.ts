/**
 * Whole-process wall and CPU time of a command, for comparing two programs that each start, work
 * and exit (shopsight import against the DuckDB reference). CPU comes from bash's `times` builtin:
 * the user and system time of the shell's finished children, every thread included, which Node
 * cannot report for a child process itself.
 */
import { spawnSync } from 'node:child_process';

export interface ProcessTime {
  /** Seconds from spawn to exit (the shell's start-up, a few milliseconds, included). */
  readonly wallSeconds: number;
  /** User + system seconds of the command, all its threads. */
  readonly cpuSeconds: number;
  readonly stdout: string;
}

export function timeProcess(command: string, args: readonly string[], cwd?: string): ProcessTime {
  const started = performance.now();
  const run = spawnSync('bash', ['-c', '"$@"; s=$?; times >&2; exit $s', 'bash', command, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${run.status}: ${run.stderr.slice(-2000)}`);
  }
  return { wallSeconds, cpuSeconds: childrenCpuSeconds(run.stderr), stdout: run.stdout };
}

/** The children's line of `times` (the last one): "0m1.234s 0m0.056s" is user, then system. */
export function childrenCpuSeconds(timesOutput: string): number {
  const last = timesOutput.trim().split('\n').at(-1) ?? '';
  const parts = [...last.matchAll(/(\d+)m([\d.]+)s/g)];
  if (parts.length !== 2) throw new Error(`cannot read the CPU times in '${last}'`);
  return parts.reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
}
