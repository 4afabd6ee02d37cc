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
