import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from '../../assistant/llm/test-llm-server.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-ask-'));
const db = join(dir, 'shop.duckdb');
const cli = (env: Record<string, string>, ...args: string[]) =>
  run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db],
    {
      env: { ...process.env, SHOPSIGHT_LLM_BASE_URL: '', ...env },
    },
  );
let llm: ScriptedLlm;

beforeAll(async () => {
  const file = join(dir, 'retail.csv');
  writeFileSync(
    file,
    [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '536365,85123A,HEART HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
      '536366,22633,HAND WARMER,12,2010-12-02 08:28:00,1.85,12583,France',
      'C536379,22633,HAND WARMER,2,2010-12-03 09:41:00,1.85,12583,France',
    ].join('\n'),
  );
  await cli({}, 'import', file, '--preset', 'online-retail');
  llm = await startScriptedLlm([
    {
      reply: JSON.stringify({
        sql: 'SELECT country, count(*) AS n FROM ask_orders GROUP BY country ORDER BY country',
      }),
    },
  ]);
});
afterAll(async () => {
  await llm.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shopsight ask', () => {
  it('answers offline from a template with the summary, the table, the SQL and why no model was used', async () => {
    const { stdout } = await cli({}, 'ask', 'What was our revenue in 2010?');
    // 6 x 2.55 + 12 x 1.85 = 15.30 + 22.20 = 37.50; the cancellation is left out.
    expect(stdout.split('\n')[0]).toBe(
      'Revenue in 2010: 37.50 from 2 sales orders (cancellations and returns left out).',
    );
    expect(stdout).toMatch(
      /SQL \(template revenue, checked, run read-only\):\nSELECT round\(sum\(amount\), 2\)/,
    );
    expect(stdout).toMatch(/note: no language model is set/);
  });

  it('uses the model named by the environment, and --confirm stores the example (--json)', async () => {
    const { stdout } = await cli(
      { SHOPSIGHT_LLM_BASE_URL: llm.baseUrl, SHOPSIGHT_LLM_MODEL: 'm' },
      'ask',
      'Orders per country?',
      '--confirm',
      '--json',
    );
    const a = JSON.parse(stdout) as { mode: string; rows: unknown[]; confirmed: boolean };
    expect(a.mode).toBe('model');
    expect(a.rows).toEqual([
      { country: 'France', n: 2 },
      { country: 'United Kingdom', n: 1 },
    ]);
    expect(a.confirmed).toBe(true);
  });

  it('refuses an empty question with the reason and exit code 1', async () => {
    const err = (await cli({}, 'ask', ' ').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toBe('shopsight: question: the question is empty\n');
  });
});
