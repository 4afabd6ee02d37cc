import { isDeepStrictEqual } from 'node:util';

/**
 * One asserted figure of an evaluation: the expected value, where it comes from, and what we got.
 *
 * Every expected figure is either computed by code in the repository (eval/reference/, or SQL in
 * the suite) or cites its published source (paper, package docs, dataset README). Every threshold
 * (floor, tolerance, bound) says where it comes from; one chosen after looking at the result says
 * so (see afterLooking). A check whose inputs are missing is reported with `missing` and fails: it
 * never silently drops out of the table.
 */
export interface Check {
  readonly suite: string;
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
  readonly pass: boolean;
  /** Where the expected figure (and the threshold, when there is one) comes from. */
  readonly source: string;
  /** Set when the check could not be computed because an input was absent; such a check fails. */
  readonly missing?: string;
}

/**
 * What a suite returns: its asserted checks, and optionally a markdown section (tables of metrics
 * side by side, protocol notes) written under the checks in docs/EVALUATION.md.
 */
export interface SuiteResult {
  readonly checks: Check[];
  readonly report?: string;
}

/** A suite: a name (select it with SHOPSIGHT_EVAL=name,...) and the function that runs it. */
export interface Suite {
  readonly name: string;
  readonly run: () => Promise<Check[] | SuiteResult>;
}

/**
 * The source text of a threshold that was set after the measured result had been seen: the table
 * then says so instead of presenting the threshold as independent of the result.
 */
export function afterLooking(why: string): string {
  return `threshold chosen after looking at the result: ${why}`;
}

/** A check that a measured figure is at least a floor; `source` says where the floor comes from. */
export function atLeast(
  suite: string,
  name: string,
  floor: number,
  actual: number,
  source: string,
  digits = 4,
): Check {
  return {
    suite,
    name,
    expected: `>= ${floor}`,
    actual: actual.toFixed(digits),
    pass: actual >= floor,
    source,
  };
}

/** A relative tolerance as a percentage that does not round a small tolerance to 0.0%. */
function percent(tolerance: number): string {
  const p = tolerance * 100;
  return p >= 0.1 ? `${p.toFixed(1)}%` : `${Number(p.toPrecision(2))}%`;
}

/** |actual - expected| / |expected| <= tolerance (relative). */
export function within(
  suite: string,
  name: string,
  expected: number,
  actual: number,
  tolerance: number,
  source: string,
  digits = 4,
): Check {
  return {
    suite,
    name,
    expected: `${expected} ± ${percent(tolerance)}`,
    actual: actual.toFixed(digits),
    pass: Math.abs(actual - expected) <= tolerance * Math.abs(expected),
    source,
  };
}

export function equals(
  suite: string,
  name: string,
  expected: number | string,
  actual: number | string,
  source: string,
): Check {
  return {
    suite,
    name,
    expected: String(expected),
    actual: String(actual),
    pass: expected === actual,
    source,
  };
}

export function holds(suite: string, name: string, pass: boolean, actual: string, source: string): Check {
  return { suite, name, expected: 'true', actual, pass, source };
}

/**
 * A check that could not be computed because `what` is absent (a model not selected, a dataset
 * file not found, a row a query did not return). It fails, so a narrowed run never passes by
 * leaving a check out.
 */
export function missing(suite: string, name: string, expected: string, what: string, source: string): Check {
  return { suite, name, expected, actual: `missing input: ${what}`, pass: false, source, missing: what };
}

/** Thrown when an input a check needs is absent (eval/datasets.ts throws it for a missing file). */
export class MissingInput extends Error {
  override readonly name = 'MissingInput';
}

/**
 * Runs a suite. A suite that throws becomes one failed check instead of ending the run: a missing
 * input (MissingInput) is reported as such, any other error with its message (stack on stderr).
 */
export async function runSuite(suite: Suite): Promise<SuiteResult> {
  try {
    const result = await suite.run();
    return Array.isArray(result) ? { checks: result } : result;
  } catch (e) {
    const name = 'suite ran to the end';
    if (e instanceof MissingInput) {
      return { checks: [missing(suite.name, name, 'no error', e.message, 'eval/run.ts')] };
    }
    console.error(e);
    const reason = e instanceof Error ? e.message : String(e);
    return { checks: [holds(suite.name, name, false, `error: ${reason}`, 'eval/run.ts')] };
  }
}

/** The result column: a missing input is named as such, and fails like any other failure. */
export function resultText(c: Check): string {
  if (c.pass) return 'pass';
  return c.missing !== undefined ? '**FAIL (missing input)**' : '**FAIL**';
}

/**
 * The first place two answers differ, or null: numbers that are integers must be equal, other
 * numbers within 1e-9 relative (money is compared after rounding to 4 decimals, which both
 * engines' results already are); everything else exactly.
 */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b ? null : `${path}: ${a} vs ${b}`;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) ? null : `${path}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} vs ${b.length} entries`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
    return null;
  }
  return isDeepStrictEqual(a, b) ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}
