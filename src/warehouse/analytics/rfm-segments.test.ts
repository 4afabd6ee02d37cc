import { describe, expect, it } from 'vitest';
import { RFM_SEGMENTS, SEGMENT_LABELS, SEGMENT_RULES, segmentFor } from './rfm-segments.js';

describe('RFM segment rules', () => {
  it('put every (R, F, M) combination in exactly one segment', () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          const hits = SEGMENT_RULES.filter(
            (x) => r >= x.r[0] && r <= x.r[1] && f + m >= x.fm[0] && f + m <= x.fm[1],
          ).map((x) => x.segment);
          expect(hits, `R=${r} F=${f} M=${m}`).toHaveLength(1);
          expect(segmentFor(r, f, m)).toBe(hits[0]);
        }
      }
    }
  });

  it('name the ten scored segments and prospects, each with a label', () => {
    expect(new Set(SEGMENT_RULES.map((x) => x.segment)).size).toBe(10);
    expect(RFM_SEGMENTS).toHaveLength(11);
    for (const s of RFM_SEGMENTS) expect(SEGMENT_LABELS[s]).toMatch(/^[A-Z]/);
  });

  it('follow the Shopify descriptions at the corners of the grid', () => {
    expect(segmentFor(5, 5, 5)).toBe('champions');
    expect(segmentFor(5, 1, 1)).toBe('new');
    expect(segmentFor(1, 5, 5)).toBe('previously_loyal');
    expect(segmentFor(1, 1, 1)).toBe('dormant');
    expect(segmentFor(2, 1, 2)).toBe('almost_lost');
    expect(segmentFor(2, 3, 4)).toBe('at_risk');
    expect(segmentFor(3, 3, 3)).toBe('needs_attention');
    expect(segmentFor(4, 3, 3)).toBe('active');
    expect(segmentFor(4, 1, 2)).toBe('promising');
    expect(segmentFor(3, 4, 5)).toBe('loyal');
  });
});
