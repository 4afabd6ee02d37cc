import { describe, expect, it } from 'vitest';
import type { BtydSummary } from '../../features/btyd-summary.js';
import { syntheticBgNbd } from '../../ml/clv/test-data.js';
import type { BgNbdParams } from '../../ml/clv/types.js';
import { clvFromArtifact, clvToArtifact, fitClv, predictClv } from './clv.js';

/** A synthetic store in days: BG/NBD customers, spend 20-69 per repeat purchase day. */
function summary(p: BgNbdParams, seed: number): BtydSummary {
  const { frequency, recency, T } = syntheticBgNbd(p, 2000, 365, seed);
  const monetary = Float64Array.from(frequency, (x, i) => (x > 0 ? 20 + ((i * 37) % 50) : 0));
  return { frequency, recency, T, monetary };
}

describe('fitClv: which purchase model is served', () => {
  it('serves BG/NBD and its P(alive) when the data show dropout', () => {
    const s = summary({ r: 0.5, alpha: 40, a: 0.8, b: 3 }, 5);
    const model = fitClv(s);
    expect(model.purchases.model).toBe('bgnbd');
    expect(model.pAliveUnavailable).toBeNull();
    expect(model.fit.bgnbd).toMatchObject({ converged: true, boundary: null });
    expect(model.fit.paretonbd).toBeNull(); // not needed
    const v = predictClv(model, s, 365);
    expect(v.pAlive).not.toBeNull();
    expect(Math.min(...v.pAlive!)).toBeLessThan(0.5); // some customers are judged gone
  });

  it('with no dropout at all (p = 0) flags both models and marks P(alive) unavailable, not 1', () => {
    const s = summary({ r: 0.5, alpha: 40, a: 0, b: 1 }, 5);
    const model = fitClv(s);
    expect(model.fit.bgnbd.boundary).not.toBeNull();
    expect(model.fit.paretonbd?.boundary).not.toBeNull();
    expect(model.purchases.model).toBe('nbd');
    expect(model.pAliveUnavailable).toMatch(/^no dropout found: BG\/NBD .+; Pareto\/NBD .+/);
    const v = predictClv(model, s, 365);
    expect(v.pAlive).toBeNull();
    // Expected purchases are the NBD's: (r + x) / (alpha + T) * 365 for every customer.
    const { r, alpha } = model.fit.nbd.params;
    expect(v.expectedOrders[0]).toBeCloseTo(((r + s.frequency[0]!) / (alpha + s.T[0]!)) * 365, 10);
    // ... and survive the registry format.
    const back = clvFromArtifact(JSON.parse(JSON.stringify(clvToArtifact(model, {}))));
    expect(back.purchases.model).toBe('nbd');
    expect(back.pAliveUnavailable).toBe(model.pAliveUnavailable);
  });

  it('refuses an artifact stored before the boundary checks, saying what to do', () => {
    expect(() => clvFromArtifact({ kind: 'bgnbd-gammagamma', version: 1, meta: {}, arrays: {} })).toThrow(
      /retrain it with `shopsight train customers`/,
    );
  });
});
