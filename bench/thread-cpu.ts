/**
 * CPU time of a running process per thread, from Linux's /proc/<pid>/task/<tid>/stat: what a
 * server spent on its main (JavaScript) thread and on the others (DuckDB's workers, libuv's pool
 * doing the fsyncs, V8's GC helpers), every thread included, which process.cpuUsage() of the bench
 * process cannot see. Ticks are converted at USER_HZ = 100, the value Linux reports to user space
 * on every architecture it supports.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const USER_HZ = 100;

/** Seconds of user + system CPU per thread, keyed `main` for the process's first thread, else the thread's name. */
export type ThreadCpu = Record<string, number>;

/** One stat line -> [thread name, CPU seconds]. The name sits in parentheses and may hold spaces. */
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

/** CPU seconds per thread of `pid` so far (threads of one name summed, a trailing number dropped); null off Linux or once it exited. */
export function threadCpu(pid: number): ThreadCpu | null {
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return null;
  const out: ThreadCpu = {};
  try {
    for (const tid of readdirSync(dir)) {
      const [name, seconds] = parseStatLine(readFileSync(`${dir}/${tid}/stat`, 'utf8'));
      const key = tid === String(pid) ? 'main' : name.replace(/[\d-]+$/, '') || name;
      out[key] = (out[key] ?? 0) + seconds;
    }
  } catch {
    return null; // exited while being read
  }
  return out;
}

/** after - before per thread name (a thread that ended in between is missing from `after`). */
export function cpuBetween(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  const out: ThreadCpu = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k] ?? 0);
  return out;
}
