/** The generator's customer names (first_name, last_name): the names each e-mail is made of, capitalised. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateStore } from './index.js';

const out = mkdtempSync(join(tmpdir(), 'shopsight-names-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** One CSV line's fields (RFC 4180 quoting: attributes is quoted JSON with commas). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

describe('generated customer names', () => {
  it('match the e-mail they were drawn for, and are empty where the e-mail is', async () => {
    await generateStore({ customers: 300, days: 20, seed: 7, out });
    const [header, ...rows] = readFileSync(join(out, 'customers.csv'), 'utf8').trim().split('\n');
    const cols = header!.split(',');
    expect(cols.slice(-2)).toEqual(['first_name', 'last_name']);
    const at = (row: string[], c: string): string => row[cols.indexOf(c)]!;
    const parsed = rows.map(fields);
    let named = 0;
    for (const row of parsed) {
      const email = at(row, 'email');
      const first = at(row, 'first_name');
      const last = at(row, 'last_name');
      if (!email) {
        expect([first, last]).toEqual(['', '']);
        continue;
      }
      named++;
      expect(first).toMatch(/^[A-Z][a-z]+$/);
      expect(email.startsWith(`${first.toLowerCase()}.${last.toLowerCase()}`)).toBe(true);
    }
    expect(named).toBeGreaterThan(280); // 98% have an e-mail
  });
});
