import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-copy-'));
const db = join(dir, 'shop.duckdb');
const cli = (...args: string[]) =>
  run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db],
    {
      env: { ...process.env, SHOPSIGHT_LLM_BASE_URL: '' },
    },
  );

beforeAll(async () => {
  // One customer, one order 30 days before the store's last order (the other customer's).
  writeFileSync(
    join(dir, 'retail.csv'),
    [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-11-01 08:26:00,2.55,17850,United Kingdom',
      '536366,22633,HAND WARMER UNION JACK,12,2010-12-01 08:28:00,1.85,12583,France',
    ].join('\n'),
  );
  await cli('import', join(dir, 'retail.csv'), '--preset', 'online-retail');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shopsight copy', () => {
  it('writes the template for a segment of the store, with its figures, in English and Chinese', async () => {
    const rfm = JSON.parse(
      (await cli('analyze', '--json', '--section', 'rfm', '--rfm-customers')).stdout,
    ) as {
      rfm: { customers: { customer_id: string; segment: string }[] };
    };
    const segment = rfm.rfm.customers.find((c) => c.customer_id === '17850')?.segment;
    expect(segment).toBeDefined();
    const en = JSON.parse((await cli('copy', '--segment', segment!, '--json')).stdout) as {
      subject: string;
      body: string;
      figures: { customers: number; topProducts: { product_id: string }[] };
      notes: string[];
    };
    expect(en.figures.topProducts.map((p) => p.product_id)).toContain('85123A');
    expect(en.body).toContain('White Hanging Heart T-Light Holder');
    expect(en.notes[0]).toMatch(/no language model is set/);
    const zh = (await cli('copy', '--segment', segment!, '--lang', 'zh-CN')).stdout;
    expect(zh).toMatch(/White Hanging Heart T-Light Holder/);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a segment name that is not an RFM segment', async () => {
    const err = (await cli('copy', '--segment', 'vip').catch((e: unknown) => e)) as { stderr: string };
    expect(err.stderr).toMatch(/vip/);
  });

  it('takes churn tiers and uplift segments: refused with the reason when nothing backs them', async () => {
    const churn = (await cli('copy', '--segment', 'churn_high').catch((e: unknown) => e)) as {
      stderr: string;
    };
    expect(churn.stderr).toMatch(
      /churn_high needs stored churn predictions.*shopsight predict customers first/,
    );
    const uplift = (await cli('copy', '--segment', 'uplift:spring').catch((e: unknown) => e)) as {
      stderr: string;
    };
    expect(uplift.stderr).toMatch(/uplift:spring: no promoted uplift:spring model/);
    const budget = (await cli('copy', '--segment', 'at_risk', '--budget', '20%').catch(
      (e: unknown) => e,
    )) as {
      stderr: string;
    };
    expect(budget.stderr).toMatch(/--budget is for uplift:<campaign> segments only/);
  });
});
