import { describe, expect, it } from 'vitest';
import { csrFromCoo, hstack, selectRows } from './csr.js';

// a = [[1, 0], [0, 2], [0, 0]], b = [[0, 0, 3], [4, 0, 0], [0, 5, 0]]
const a = csrFromCoo(3, 2, Int32Array.of(0, 1), Int32Array.of(0, 1), Float32Array.of(1, 2));
const b = csrFromCoo(3, 3, Int32Array.of(0, 1, 2), Int32Array.of(2, 0, 1), Float32Array.of(3, 4, 5));

describe('hstack', () => {
  it('[a | b] shifts b by a.cols, row by row', () => {
    const m = hstack(a, b);
    expect(m.cols).toBe(5);
    expect(Array.from(m.indptr)).toEqual([0, 2, 4, 5]);
    expect(Array.from(m.indices)).toEqual([0, 4, 1, 2, 3]);
    expect(Array.from(m.values)).toEqual([1, 3, 2, 4, 5]);
  });
  it('refuses different row counts', () => {
    expect(() => hstack(a, selectRows(b, [0]))).toThrow(/3 rows beside 1 rows/);
  });
});

describe('selectRows', () => {
  it('rows in the order asked, repeats allowed', () => {
    const m = selectRows(b, Int32Array.of(2, 0, 2));
    expect(Array.from(m.indptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(m.indices)).toEqual([1, 2, 1]);
    expect(Array.from(m.values)).toEqual([5, 3, 5]);
  });
  it('refuses a row outside the matrix', () => {
    expect(() => selectRows(b, [3])).toThrow(/row 3 outside 0..2/);
  });
});
