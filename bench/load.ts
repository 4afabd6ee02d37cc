/**
 * Benchmark hygiene: the machine's load average before and after each suite, and whether a suite's
 * figures may go into docs/BENCHMARKS.md. Figures measured while other work shares the cores are
 * not the program's own, so a suite that starts above MAX_LOAD is printed but not written, unless
 * BENCH_ALLOW_LOAD=1 asks for a draft (which the page then marks as such).
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The highest 1-minute load average at a suite's start for its figures to be written. */
export const MAX_LOAD = 1.5;

export interface LoadAverage {
  /** Over the last 1, 5 and 15 minutes. */
  readonly one: number;
  readonly five: number;
  readonly fifteen: number;
}

/** /proc/loadavg where there is one (Linux), else what the OS reports through Node. */
export function readLoadAverage(): LoadAverage {
  if (existsSync('/proc/loadavg')) return parseLoadAverage(readFileSync('/proc/loadavg', 'utf8'));
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return { one, five, fifteen };
}

/** "0.52 0.58 0.59 1/467 12345": the first three fields. */
export function parseLoadAverage(line: string): LoadAverage {
  const [one, five, fifteen] = line.trim().split(/\s+/).slice(0, 3).map(Number);
  if ([one, five, fifteen].some((v) => v === undefined || !Number.isFinite(v))) {
    throw new Error(`cannot read a load average from '${line.trim()}'`);
  }
  return { one: one!, five: five!, fifteen: fifteen! };
}

export function formatLoad(l: LoadAverage): string {
  return `${l.one.toFixed(2)} / ${l.five.toFixed(2)} / ${l.fifteen.toFixed(2)}`;
}

export interface WriteDecision {
  /** Write the suite's section of docs/BENCHMARKS.md. */
  readonly write: boolean;
  /** Written although measured above MAX_LOAD (BENCH_ALLOW_LOAD=1): the page says it is a draft. */
  readonly draft: boolean;
  /** What to print (and, for a draft, to put on the page). */
  readonly message: string;
}

export function decideWrite(atStart: LoadAverage, allowLoad: boolean): WriteDecision {
  if (atStart.one <= MAX_LOAD) return { write: true, draft: false, message: '' };
  const measured = `the 1-minute load average was ${atStart.one.toFixed(2)} at the start, above ${MAX_LOAD}`;
  return allowLoad
    ? {
        write: true,
        draft: true,
        message: `**Draft**: ${measured}; written because BENCH_ALLOW_LOAD=1. Not a final figure.`,
      }
    : {
        write: false,
        draft: false,
        message: `not written to docs/BENCHMARKS.md: ${measured} (BENCH_ALLOW_LOAD=1 writes it as a draft)`,
      };
}
