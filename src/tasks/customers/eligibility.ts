/**
 * @module tasks/customers/eligibility
 * Refuses to fit when the data cannot support a model, with the rule and the count that failed,
 * instead of training on a handful of customers and reporting NaN or noise.
 *
 * @example
 *   requireCustomers(42); // throws: "42 customers ordered before the cutoff; at least 100 are needed ..."
 */
import { MIN_REPEAT_CUSTOMERS } from '../../ml/clv/validate.js';
import { MIN_CUSTOMERS, MIN_PER_CLASS } from './params.js';

export class NotEnoughDataError extends Error {
  override readonly name = 'NotEnoughDataError';
}

export function requireCustomers(customers: number): void {
  if (customers < MIN_CUSTOMERS) {
    throw new NotEnoughDataError(
      `${customers} customer${customers === 1 ? '' : 's'} ordered before the cutoff; at least ${MIN_CUSTOMERS} are needed ` +
        `to fit customer models (rule: >= ${MIN_CUSTOMERS} customers with an order, >= ${MIN_PER_CLASS} on each side of ` +
        `every label, >= ${MIN_REPEAT_CUSTOMERS} repeat customers). Import more history or use an earlier cutoff.`,
    );
  }
}

/** `labels` of the training rows: both classes need MIN_PER_CLASS rows. */
export function requireBothClasses(task: string, what: [string, string], labels: Float32Array): void {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i]!;
  const neg = labels.length - pos;
  if (pos < MIN_PER_CLASS || neg < MIN_PER_CLASS) {
    throw new NotEnoughDataError(
      `${task}: the training customers hold ${neg} who ${what[0]} and ${pos} who ${what[1]}; ` +
        `at least ${MIN_PER_CLASS} of each are needed. Use a longer history or a different cutoff/horizon.`,
    );
  }
}

export function requireRepeatBuyers(repeat: number): void {
  if (repeat < MIN_REPEAT_CUSTOMERS) {
    throw new NotEnoughDataError(
      `${repeat} customers bought on more than one day before the cutoff; the lifetime-value models need at least ` +
        `${MIN_REPEAT_CUSTOMERS} (with a spend above zero).`,
    );
  }
}
