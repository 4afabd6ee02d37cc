import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingInput } from '../check.js';
import { recorded, REFERENCE_DIR } from './recorded.js';

const files = readdirSync(REFERENCE_DIR);
const scripts = files.filter((f) => f.endsWith('.py') && f !== 'common.py');

describe('eval/reference', () => {
  it('every recorded output has its script, and every script its recorded output', () => {
    const outputs = files.filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '.py'));
    expect(outputs.sort()).toEqual([...scripts].sort());
    expect(scripts.length).toBeGreaterThanOrEqual(4);
  });

  it('every script says how to run it, what it needs and prints, and is listed in the README', () => {
    const readme = readFileSync(join(REFERENCE_DIR, 'README.md'), 'utf8');
    for (const script of scripts) {
      const header = readFileSync(join(REFERENCE_DIR, script), 'utf8').split('"""')[1] ?? '';
      expect(header, script).toContain(`Run:    /usr/bin/python3 eval/reference/${script} > eval/reference/`);
      for (const field of ['Needs:', 'Prints:', 'Used by:'])
        expect(header, `${script} ${field}`).toContain(field);
      expect(readme, script).toContain(`[${script}](${script})`);
    }
  });

  it('reads a recorded output and names its script; a missing one is a MissingInput', () => {
    const r = recorded<{ cancelledOrders: number }>('online_retail_counts');
    expect(r.figures.cancelledOrders).toBe(3836);
    expect(r.source).toBe('eval/reference/online_retail_counts.py (recorded in online_retail_counts.json)');
    expect(() => recorded('no_such_script')).toThrow(MissingInput);
  });
});
