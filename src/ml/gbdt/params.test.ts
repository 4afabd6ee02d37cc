import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { AUTO_MIN_ROWS, quantizeGradients, resolveParams, workerThreads } from './params.js';

describe('threads', () => {
  it("defaults to 'auto': workers for one core less than the machine has, from AUTO_MIN_ROWS rows", () => {
    expect(resolveParams().threads).toBe('auto');
    expect(AUTO_MIN_ROWS).toBe(100_000);
    expect(workerThreads('auto', AUTO_MIN_ROWS - 1)).toBe(0);
    expect(workerThreads('auto', AUTO_MIN_ROWS)).toBe(Math.min(availableParallelism() - 1, 7));
  });

  it('takes a count as given and rejects anything else', () => {
    expect(workerThreads(0, 1_000_000)).toBe(0);
    expect(workerThreads(3, 10)).toBe(3);
    expect(() => resolveParams({ threads: -1 })).toThrow(/threads must be 'auto' or an integer >= 0/);
    expect(() => resolveParams({ threads: 1.5 })).toThrow(/got 1.5/);
  });
});

describe('quantizedGradients', () => {
  it("defaults to 'auto': quantized from AUTO_MIN_ROWS rows, exact below", () => {
    expect(resolveParams().quantizedGradients).toBe('auto');
    expect(quantizeGradients('auto', AUTO_MIN_ROWS - 1)).toBe(false);
    expect(quantizeGradients('auto', AUTO_MIN_ROWS)).toBe(true);
    expect(quantizeGradients(true, 10)).toBe(true);
    expect(quantizeGradients(false, 1_000_000)).toBe(false);
  });

  it("takes 'auto', true or false and rejects anything else", () => {
    expect(resolveParams({ quantizedGradients: true }).quantizedGradients).toBe(true);
    expect(() => resolveParams({ quantizedGradients: 1 as unknown as boolean })).toThrow(
      /quantizedGradients must be 'auto', true or false \(got 1\)/,
    );
  });
});
