import { describe, expect, it } from 'vitest';
import { TrainBodyError, trainingOptions } from './training-options.js';

describe('trainingOptions', () => {
  it('passes a review rate inside (0, 1) to risk training', () => {
    expect(trainingOptions('risk', { review_rate: 0.05 })).toEqual({ reviewRate: 0.05 });
  });

  it('refuses a review rate of 0 or 1 naming the field (the schema allows the ends: OpenAPI 3.0)', () => {
    for (const r of [0, 1]) {
      expect(() => trainingOptions('risk', { review_rate: r })).toThrow(TrainBodyError);
      expect(() => trainingOptions('risk', { review_rate: r })).toThrow(
        /body\.review_rate: must be strictly between 0 and 1/,
      );
    }
  });

  it('refuses a field of another task', () => {
    expect(() => trainingOptions('customers', { review_rate: 0.05 })).toThrow(
      /body\.review_rate: applies to risk training, not customers/,
    );
  });
});
