import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyntheticStore } from '../../tasks/customers/test-synthetic-store.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-customers-'));
const db = join(dir, 'c.duckdb');
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args]);

beforeAll(async () => {
  await (await openSyntheticStore(db)).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shopsight train|predict|evaluate customers', () => {
  it('asks for training before predicting', async () => {
    await expect(cli('predict', 'customers', '--db', db)).rejects.toThrow(
      /no promoted churn model .* train one first/,
    );
  });

  it('trains, stores and promotes three models, then predicts every customer', async () => {
    const trained = JSON.parse(
      (await cli('train', 'customers', '--db', db, '--cutoff', '2023-10-01', '--json')).stdout,
    ) as { evaluation: { customers: number; cutoff: string }; models: { modelId: string; status: string }[] };
    expect(trained.evaluation).toMatchObject({ customers: 302, cutoff: '2023-10-01' });
    expect(trained.models.map((m) => [m.modelId, m.status])).toEqual([
      ['churn@1', 'promoted'],
      ['propensity@1', 'promoted'],
      ['clv@1', 'promoted'],
    ]);
    const predicted = JSON.parse(
      (await cli('predict', 'customers', '--db', db, '--json', '--limit', '3')).stdout,
    ) as {
      customers: number;
      predictions: { churn_probability: number; churn_reasons: string[]; models: Record<string, string> }[];
    };
    expect(predicted.customers).toBe(302);
    expect(predicted.predictions.length).toBe(3);
    const p = predicted.predictions.map((r) => r.churn_probability);
    expect([...p].sort((a, b) => b - a)).toEqual(p); // most at risk first
    expect(predicted.predictions[0]!.models).toEqual({
      churn: 'churn@1',
      propensity: 'propensity@1',
      clv: 'clv@1',
    });
    const csv = (await cli('predict', 'customers', '--db', db, '--csv', '--limit', '2')).stdout
      .trim()
      .split('\n');
    expect(csv.length).toBe(3);
    expect(csv[0]).toMatch(/^customer_id,as_of,churn_probability,churn_risk,/);
  });

  it('evaluate customers --group: fairness of the served models per country, as a table and as JSON', async () => {
    type Report = {
      threshold: number;
      reference: string;
      groups: { group: string; n: number; positiveRate: number; truePositiveRate: number | null }[];
      gaps: { group: string; demographicParity: { difference: number; ci: [number, number] } }[];
    };
    const e = JSON.parse(
      (
        await cli(
          'evaluate',
          'customers',
          '--db',
          db,
          '--cutoff',
          '2023-10-01',
          '--group',
          'country=FR',
          '--json',
        )
      ).stdout,
    ) as { split: { test: number }; churn: { fairness: Report }; propensity: { fairness: Report } };
    for (const r of [e.churn.fairness, e.propensity.fairness]) {
      // The store: FR for every fifth customer, UK for the rest (test-synthetic-store.ts).
      expect(r.reference).toBe('FR');
      expect(r.threshold).toBe(0.5);
      expect(r.groups.map((g) => g.group)).toEqual(['FR', 'rest']);
      expect(r.groups.reduce((t, g) => t + g.n, 0)).toBe(e.split.test);
      const [fr, rest] = r.groups;
      expect(r.gaps[0]!.group).toBe('rest');
      expect(r.gaps[0]!.demographicParity.difference).toBeCloseTo(rest!.positiveRate - fr!.positiveRate, 12);
      const [lo, hi] = r.gaps[0]!.demographicParity.ci;
      expect(lo).toBeLessThanOrEqual(r.gaps[0]!.demographicParity.difference);
      expect(hi).toBeGreaterThanOrEqual(r.gaps[0]!.demographicParity.difference);
    }
    const text = (
      await cli('evaluate', 'customers', '--db', db, '--cutoff', '2023-10-01', '--group', 'country')
    ).stdout;
    expect(text).toMatch(
      /churn \((gbdt|logistic), test customers\) by country: flagged = score >= 0\.5000; differences vs 'UK'/,
    );
    expect(text).toMatch(/group +n +positives +ROC-AUC +positive rate +TPR +parity diff \[95% CI\]/);
    expect(text).toMatch(/\nUK +\d+ .* reference +reference *(\n|$)/);
    await expect(cli('evaluate', 'customers', '--db', db, '--group', 'x;y')).rejects.toThrow(
      /group: 'x;y' is not an attribute name/,
    );
  }, 400_000);

  it('refuses a cutoff that is not a day', async () => {
    await expect(cli('evaluate', 'customers', '--db', db, '--cutoff', '2023-13-01')).rejects.toThrow(
      /cutoff must be a day like 2011-09-09, got '2023-13-01'/,
    );
  });
});
