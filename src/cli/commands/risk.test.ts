import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRiskStore, RISK_STORE_ORDERS } from '../../warehouse/test-risk-store.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-risk-cli-'));
const db = join(dir, 'r.duckdb');
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args]);

beforeAll(async () => {
  await (await openRiskStore(db)).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shopsight train risk | risk score', () => {
  it('trains, then writes order_id,score,reasons for every order with --csv', async () => {
    const trained = await cli('train', 'risk', '--db', db);
    expect(trained.stdout).toMatch(/^stored risk@1 \(iforest, promoted\)/);
    expect(trained.stdout).toMatch(/review the top 2\.0%: hold orders scoring >= 0\.\d{4} \(no labels/);
    const csv = (await cli('risk', 'score', '--db', db, '--csv')).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe('order_id,score,reasons');
    expect(csv.length).toBe(RISK_STORE_ORDERS + 1);
    const big = csv.find((l) => l.startsWith('big1,'))!;
    // 1 - 1/487: the forest scores it above every other order of the store; reasons joined by ' | '.
    expect(big).toMatch(/^big1,0\.997947,log_max_line_quantity=5\.30 \(\+[\d.]+ splits sooner\) \| /);
  });

  it('scores one order as JSON, and names a typo in a rules file and an unknown order', async () => {
    const one = JSON.parse(
      (await cli('risk', 'score', '--db', db, '--order', 'burst6', '--json')).stdout,
    ) as {
      orders: number;
      scores: { orderId: string; modelVersion: number; held: boolean }[];
    };
    expect(one.orders).toBe(1);
    expect(one.scores[0]).toMatchObject({ orderId: 'burst6', modelVersion: 1, held: true });
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      "rules:\n  - name: burst\n    field: custommer_orders_1h\n    operator: '>='\n    threshold: 3\n    score: 0.5\n",
    );
    await expect(cli('risk', 'score', '--db', db, '--rules', rules)).rejects.toThrow(
      `${rules}: rules[0] 'burst'.field: 'custommer_orders_1h' is not an order feature (did you mean 'customer_orders_1h'?)`,
    );
    await expect(cli('risk', 'score', '--db', db, '--order', 'nope')).rejects.toThrow(
      /order 'nope' is not in /,
    );
  });

  it('evaluate risk: planted anomalies rolled back, as JSON; rules without labels are refused', async () => {
    const e = JSON.parse((await cli('evaluate', 'risk', '--db', db, '--planted', '2', '--json')).stdout) as {
      kind: string;
      planted: number;
      orders: number;
      recallByKind: Record<string, number>;
    };
    expect(e).toMatchObject({ kind: 'planted', planted: 8, orders: RISK_STORE_ORDERS + 18 });
    expect(e.recallByKind['quantity']).toBe(1);
    // Rolled back: scoring every order again finds the store's own orders only.
    const csv = (await cli('risk', 'score', '--db', db, '--csv')).stdout.trimEnd().split('\n');
    expect(csv.length).toBe(RISK_STORE_ORDERS + 1);
    await expect(cli('evaluate', 'risk', '--db', db, '--rules', 'r.yaml')).rejects.toThrow(
      '--rules needs --labels: rules are measured against known fraud',
    );
    await expect(cli('evaluate', 'risk', '--db', db, '--group', 'country')).rejects.toThrow(
      '--group needs --labels: true-positive rates and ROC-AUC per group need known fraud',
    );
  }, 60_000);
});
