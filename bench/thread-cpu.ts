/**
 * CPU time of a running process from Linux's /proc: the whole process (every thread: the main
 * JavaScript thread, libuv's pool with the fsyncs and DuckDB's statements, DuckDB's own workers,
 * V8's GC helpers, and threads that have ended, which process.cpuUsage() of another process cannot
 * see) and its main thread alone. Ticks are converted at USER_HZ = 100, the value Linux reports to
 * user space on every architecture it supports.
 */
import { readFileSync } from 'node:fs';

const USER_HZ = 100;

/** One stat line -> [thread or process name, CPU seconds]. The name sits in parentheses and may hold spaces. */
export function parseStatLine(line: string): [string, number] {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: '${line.slice(0, 80)}'`);
  // After ") " come the fields from the 3rd on: utime and stime are the 14th and 15th.
  const fields = line.slice(close + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`no CPU times in '${line.slice(0, 80)}'`);
  return [line.slice(open + 1, close), ticks / USER_HZ];
}

/**
 * CPU seconds of the whole process `pid` and of its main thread so far; null off Linux or once it
 * exited. The process figure keeps the time of threads that have ended (DuckDB's, at close), which
 * the per-thread files lose with their thread.
 */
export function processCpu(pid: number): { total: number; main: number } | null {
  try {
    // The main thread first: the process figure, read after it, then covers at least as much.
    const [, main] = parseStatLine(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    const [, total] = parseStatLine(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return { total, main };
  } catch {
    return null;
  }
}
