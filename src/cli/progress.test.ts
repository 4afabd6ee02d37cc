import { describe, expect, it } from 'vitest';
import { lineProgress } from './progress.js';

describe('progress where stderr is not a terminal', () => {
  it('writes one line per step with its position and the time since the start, then the end', () => {
    const lines: string[] = [];
    const p = lineProgress('import', (l) => lines.push(l));
    p.step('read', 0, 2, 0, 6);
    p.step('read', 1, 2, 1, 6);
    p.step('read', 1, 2, 1, 6); // the same step reported twice is one line
    p.step('write', 0, 1, 5, 6);
    p.stop();
    expect(lines.map((l) => l.replace(/\d+\.\d s$/, 'T s'))).toEqual([
      'import [1/6] read (file 1/2), T s',
      'import [2/6] read (file 2/2), T s',
      'import [6/6] write, T s',
      'import: ended after T s',
    ]);
  });
});
