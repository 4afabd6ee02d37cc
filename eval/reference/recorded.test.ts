import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingInput } from '../check.js';
import { recorded, REFERENCE_DIR } from './recorded.js';

const files = readdirSync(REFERENCE_DIR);
const header = (script: string): string =>
  readFileSync(join(REFERENCE_DIR, script), 'utf8').split('"""')[1] ?? '';
/** Modules the scripts import (common.py, fraud_matrix.py) say so in their docstring. */
const scripts = files.filter((f) => f.endsWith('.py') && !header(f).includes('(not a script itself)'));
/** Scripts whose output is recorded beside them (eval reads it); the others are cited by their checks. */
const recording = scripts.filter((s) =>
  header(s).includes(`> eval/reference/${s.replace(/\.py$/, '.json')}`),
);

describe('eval/reference', () => {
  it('every recorded output has its script, and every recording script its output', () => {
    const outputs = files.filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '.py'));
    expect(outputs.sort()).toEqual([...recording].sort());
    expect(recording.length).toBeGreaterThanOrEqual(5);
  });

  it('every script says how to run it and is listed in the README; recording ones say what they print', () => {
    const readme = readFileSync(join(REFERENCE_DIR, 'README.md'), 'utf8');
    for (const script of scripts) {
      expect(header(script), script).toContain(`/usr/bin/python3 eval/reference/${script}`);
      expect(readme, script).toContain(`[${script}](${script})`);
    }
    for (const script of recording) {
      for (const field of ['Run:', 'Needs:', 'Prints:', 'Used by:']) {
        expect(header(script), `${script} ${field}`).toContain(field);
      }
    }
  });

  it('reads a recorded output and names its script; a missing one is a MissingInput', () => {
    const r = recorded<{ cancelledOrders: number }>('online_retail_counts');
    expect(r.figures.cancelledOrders).toBe(3836);
    expect(r.source).toBe('eval/reference/online_retail_counts.py (recorded in online_retail_counts.json)');
    expect(() => recorded('no_such_script')).toThrow(MissingInput);
  });
});
