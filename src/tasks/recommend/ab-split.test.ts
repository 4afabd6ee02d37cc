import { describe, expect, it } from 'vitest';
import { assignVariant, checkSplit, splitPosition } from './ab-split.js';

const ids = (n: number, prefix = ''): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${12346 + i}`);

describe('A/B split of model versions', () => {
  it('places an id by SHA-256 of task and id (recorded with Python hashlib)', () => {
    // int.from_bytes(hashlib.sha256(b'recommend\x00' + id).digest()[:6], 'big') / 2**48
    expect(splitPosition('recommend', '12347')).toBe(0.39307953494535397);
    expect(splitPosition('recommend', 'c1')).toBe(0.2593619773324036);
    expect(splitPosition('recommend', 'c2')).toBe(0.7003497797494092);
    // Another task draws its own positions.
    expect(splitPosition('churn', '12347')).not.toBe(splitPosition('recommend', '12347'));
  });

  it('assigns by interval in the order given: sticky for an id, names A, B, ...', () => {
    const split = checkSplit({
      variants: [
        { version: 3, share: 0.5 },
        { version: 4, share: 0.5 },
      ],
    });
    expect(assignVariant('recommend', split, '12347')).toEqual({ name: 'A', version: 3, share: 0.5 });
    expect(assignVariant('recommend', split, 'c2')).toEqual({ name: 'B', version: 4, share: 0.5 });
    for (let r = 0; r < 5; r++) expect(assignVariant('recommend', split, 'c2').version).toBe(4);
  });

  it('respects the shares within sampling error (10,000 ids: 4 standard deviations)', () => {
    const split = checkSplit({
      variants: [
        { version: 1, share: 0.3 },
        { version: 2, share: 0.5 },
        { version: 5, share: 0.2 },
      ],
    });
    const n = 10_000;
    const counts = new Map<number, number>();
    for (const id of ids(n)) {
      const v = assignVariant('recommend', split, id).version;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    for (const { version, share } of split.variants) {
      const sd = Math.sqrt(n * share * (1 - share));
      expect(Math.abs(counts.get(version)! - n * share)).toBeLessThan(4 * sd);
    }
  });

  it('moves only the ids near the boundary when the shares change', () => {
    const half = checkSplit({
      variants: [
        { version: 3, share: 0.5 },
        { version: 4, share: 0.5 },
      ],
    });
    const more = checkSplit({
      variants: [
        { version: 3, share: 0.6 },
        { version: 4, share: 0.4 },
      ],
    });
    let moved = 0;
    for (const id of ids(10_000)) {
      const a = assignVariant('recommend', half, id).version;
      const b = assignVariant('recommend', more, id).version;
      if (a !== b) {
        moved++;
        expect([a, b]).toEqual([4, 3]); // only from B to the grown A
      }
    }
    // About 10% move: 1,000 +- 4 sd (sd = 30).
    expect(Math.abs(moved - 1000)).toBeLessThan(120);
  });

  it('refuses a bad split naming the field', () => {
    expect(() => checkSplit({ variants: [{ version: 3, share: 1 }] })).toThrow(
      /^variants: give 2 to 10 variants, got 1$/,
    );
    expect(() =>
      checkSplit({
        variants: [
          { version: 3, share: 0.5 },
          { version: 3, share: 0.5 },
        ],
      }),
    ).toThrow(/^variants\[1\]\.version: version 3 is listed twice$/);
    expect(() =>
      checkSplit({
        variants: [
          { version: 3, share: 0.5 },
          { version: 4, share: 0.6 },
        ],
      }),
    ).toThrow(/^variants: shares must add up to 1, they add up to 1.1$/);
    expect(() =>
      checkSplit({
        variants: [
          { version: 3, share: 0 },
          { version: 4, share: 1 },
        ],
      }),
    ).toThrow(/^variants\[0\]\.share: must be in \(0, 1\], got 0$/);
    expect(() =>
      checkSplit({
        variants: [
          { version: 1.5, share: 0.5 },
          { version: 4, share: 0.5 },
        ],
      }),
    ).toThrow(/^variants\[0\]\.version: must be a positive integer, got 1.5$/);
  });
});
