/**
 * @module ml/clv/validate
 * Input checks for the CLV models, with errors that say which customer (0-based index), which
 * column and why, so a caller that read a file can turn the index into a line number.
 *
 * @example
 *   validateSummary(Float64Array.of(2), Float64Array.of(40), Float64Array.of(38));
 *   // throws ClvInputError: customer 0: recency: recency (40) is greater than T (38)
 */

export type SummaryColumn = 'frequency' | 'recency' | 'T' | 'monetary_value';

export class ClvInputError extends Error {
  override readonly name = 'ClvInputError';
  constructor(
    /** 0-based customer index, or -1 for an error about the whole input. */
    readonly index: number,
    readonly column: SummaryColumn | undefined,
    readonly reason: string,
  ) {
    super(index >= 0 ? `customer ${index}: ${column}: ${reason}` : reason);
  }
}

/** Recency above T by less than this is rounding in the source file (CDNOW's weeks carry 2 decimals). */
const TIME_SLACK = 1e-9;

/**
 * Checks the RFM summary: equal lengths; frequency a finite integer >= 0; recency finite, >= 0 and
 * <= T; T finite and > 0; recency 0 when frequency is 0 (a recency given as "time since the last
 * purchase", the usual RFM meaning, is a different quantity and would silently bias every model).
 */
export function validateSummary(frequency: Float64Array, recency: Float64Array, T: Float64Array): void {
  if (frequency.length !== recency.length || frequency.length !== T.length) {
    throw new ClvInputError(
      -1,
      undefined,
      `frequency, recency and T must have the same length (got ${frequency.length}, ${recency.length}, ${T.length})`,
    );
  }
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i]!;
    const tx = recency[i]!;
    const t = T[i]!;
    if (!Number.isFinite(x)) throw new ClvInputError(i, 'frequency', `frequency must be a number (got ${x})`);
    if (x < 0) throw new ClvInputError(i, 'frequency', `frequency must be >= 0 (got ${x})`);
    if (!Number.isInteger(x)) {
      throw new ClvInputError(
        i,
        'frequency',
        `frequency counts repeat purchases and must be an integer (got ${x})`,
      );
    }
    if (!Number.isFinite(t) || t <= 0) throw new ClvInputError(i, 'T', `T must be a number > 0 (got ${t})`);
    if (!Number.isFinite(tx) || tx < 0) {
      throw new ClvInputError(i, 'recency', `recency must be a number >= 0 (got ${tx})`);
    }
    if (tx > t + TIME_SLACK) {
      throw new ClvInputError(i, 'recency', `recency (${tx}) is greater than T (${t})`);
    }
    if (x === 0 && tx !== 0) {
      throw new ClvInputError(
        i,
        'recency',
        `recency must be 0 when frequency is 0 (got ${tx}); recency is the time from the first to the last purchase`,
      );
    }
  }
}

/** Monetary values: same length as frequency; finite and > 0 where frequency > 0 (others are ignored). */
export function validateMonetary(frequency: Float64Array, monetary: Float64Array): void {
  if (frequency.length !== monetary.length) {
    throw new ClvInputError(
      -1,
      undefined,
      `frequency and monetary_value must have the same length (got ${frequency.length}, ${monetary.length})`,
    );
  }
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i]!;
    if (!Number.isFinite(x) || x < 0 || !Number.isInteger(x)) {
      throw new ClvInputError(i, 'frequency', `frequency must be an integer >= 0 (got ${x})`);
    }
    const m = monetary[i]!;
    if (x > 0 && !(Number.isFinite(m) && m > 0)) {
      throw new ClvInputError(
        i,
        'monetary_value',
        `monetary_value must be a number > 0 for a customer with repeat purchases (got ${m})`,
      );
    }
  }
}

/** The smallest number of customers with a repeat purchase any model here is fitted on. */
export const MIN_REPEAT_CUSTOMERS = 10;

/** Throws a clear error when fewer than MIN_REPEAT_CUSTOMERS customers have frequency > 0. */
export function requireRepeatCustomers(model: string, frequency: Float64Array): number {
  let repeat = 0;
  for (let i = 0; i < frequency.length; i++) if (frequency[i]! > 0) repeat++;
  if (repeat < MIN_REPEAT_CUSTOMERS) {
    throw new ClvInputError(
      -1,
      undefined,
      `${model} needs at least ${MIN_REPEAT_CUSTOMERS} customers with a repeat purchase (frequency > 0) ` +
        `to be fitted; got ${repeat} of ${frequency.length}`,
    );
  }
  return repeat;
}
