/**
 * @module tasks/recommend/ab-split
 * Two or more model versions serving side by side, each to a share of the visitors. A visitor's
 * variant comes from a hash of their id (customer id, else anonymous id), not from a random draw,
 * so it is sticky: the same id gets the same variant on every request, after a restart, and on
 * every server replica, with no assignment table to keep. The hash is SHA-256 of the task and the
 * id, read as a number in [0, 1); variants own consecutive intervals of it in the order given.
 * Changing the shares moves only the ids near a boundary; variants keep their order.
 *
 * @example
 *   const split = checkSplit({ variants: [{ version: 3, share: 0.5 }, { version: 4, share: 0.5 }] });
 *   assignVariant('recommend', split, '12347'); // { name: 'B', version: 4, share: 0.5 } (always)
 */
import { createHash } from 'node:crypto';

export interface SplitVariant {
  /** Label reported in responses and impressions: A, B, C, ... in the order given. */
  readonly name: string;
  readonly version: number;
  /** Fraction of visitors, in (0, 1]; a split's shares add up to 1. */
  readonly share: number;
}

export interface Split {
  readonly variants: readonly SplitVariant[];
}

/** A field-level problem in a split as given by a person (the API names the field). */
export class SplitError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'SplitError';
  }
}

export const MAX_VARIANTS = 10;
/** How far the shares may add up from 1 (so 1/3 + 1/3 + 1/3 written as 0.3333 passes). */
const SHARE_TOLERANCE = 1e-3;

/** Checks versions and shares and names the variants; throws SplitError naming the field. */
export function checkSplit(input: { variants: readonly { version: number; share: number }[] }): Split {
  const v = input.variants;
  if (v.length < 2 || v.length > MAX_VARIANTS) {
    throw new SplitError('variants', `give 2 to ${MAX_VARIANTS} variants, got ${v.length}`);
  }
  const seen = new Set<number>();
  let sum = 0;
  v.forEach((x, i) => {
    if (!Number.isInteger(x.version) || x.version <= 0) {
      throw new SplitError(`variants[${i}].version`, `must be a positive integer, got ${x.version}`);
    }
    if (seen.has(x.version)) {
      throw new SplitError(`variants[${i}].version`, `version ${x.version} is listed twice`);
    }
    seen.add(x.version);
    if (!(x.share > 0 && x.share <= 1)) {
      throw new SplitError(`variants[${i}].share`, `must be in (0, 1], got ${x.share}`);
    }
    sum += x.share;
  });
  if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
    throw new SplitError('variants', `shares must add up to 1, they add up to ${Number(sum.toFixed(6))}`);
  }
  return {
    variants: v.map((x, i) => ({
      name: String.fromCharCode(65 + i),
      version: x.version,
      // Normalised, so the intervals cover [0, 1) exactly.
      share: x.share / sum,
    })),
  };
}

/** The id's fixed position in [0, 1) for this task: the first 48 bits of SHA-256("task\0id"). */
export function splitPosition(task: string, id: string): number {
  const digest = createHash('sha256').update(task).update('\0').update(id).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** The variant serving this id: the one whose interval holds the id's position. */
export function assignVariant(task: string, split: Split, id: string): SplitVariant {
  const x = splitPosition(task, id);
  let upper = 0;
  for (const v of split.variants) {
    upper += v.share;
    if (x < upper) return v;
  }
  // Rounding can leave the sum a hair under 1: the last variant owns the remainder.
  return split.variants[split.variants.length - 1]!;
}
