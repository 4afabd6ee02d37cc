import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../warehouse/open.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-campaign-'));
const db = join(dir, 'c.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args]);

beforeAll(async () => {
  // control: 4 contacts, 1 visit; mail: 4 contacts, 2 visits (the task test's hand-computed campaign)
  const wh = await openWarehouse(db);
  await wh.exec(`INSERT INTO campaign_contacts (campaign_id, customer_id, variant, is_control, visited, converted, revenue) VALUES
    ('c', 'a', 'ctl', true, true, false, 0), ('c', 'b', 'ctl', true, false, false, 0),
    ('c', 'c', 'ctl', true, false, false, 0), ('c', 'd', 'ctl', true, false, false, 0),
    ('c', 'e', 'mail', false, true, true, 10), ('c', 'f', 'mail', false, true, false, 0),
    ('c', 'g', 'mail', false, false, false, 0), ('c', 'h', 'mail', false, false, false, 0)`);
  await wh.exec(
    `INSERT INTO campaigns (campaign_id, variants, control_variant) VALUES ('c', '["ctl","mail"]', 'ctl')`,
  );
  await wh.close();
}, 60_000);

describe('shopsight campaign report --sequential obrien-fleming', () => {
  it('look 2 of 5: boundary 3.357, repeated confidence intervals, the method named', async () => {
    const out = JSON.parse(
      (
        await cli(
          'campaign',
          'report',
          'c',
          '--looks',
          '5',
          '--look',
          '2',
          '--sequential',
          'obrien-fleming',
          '--db',
          db,
          '--json',
        )
      ).stdout,
    ) as { boundary: number; look: number; sequential: string; method: string };
    expect(out.sequential).toBe('obrien-fleming');
    expect(out.look).toBe(2);
    expect(Math.abs(out.boundary - 3.357)).toBeLessThan(0.0015);
    const text = (
      await cli(
        'campaign',
        'report',
        'c',
        '--looks',
        '5',
        '--look',
        '2',
        '--sequential',
        'obrien-fleming',
        '--db',
        db,
      )
    ).stdout;
    expect(text).toMatch(/99\.9\d% RCI/);
    expect(text).toMatch(/O'Brien-Fleming-type alpha spending .* look 2 of 5/);
    await expect(
      cli(
        'campaign',
        'report',
        'c',
        '--looks',
        '2',
        '--look',
        '3',
        '--sequential',
        'obrien-fleming',
        '--db',
        db,
      ),
    ).rejects.toThrow(/--look 3: must be a whole number from 1 to --looks 2/);
  }, 120_000);
});
