/** One asserted figure of an evaluation: what the dataset README (or a paper) says, and what we got. */
export interface Check {
  readonly suite: string;
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
  readonly pass: boolean;
  /** Where the expected figure comes from. */
  readonly source: string;
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

/** A check that a measured figure is at least (or at most) a floor taken from a paper or an issue. */
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
    expected: `${expected} ± ${(tolerance * 100).toFixed(1)}%`,
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
