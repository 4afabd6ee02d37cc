import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { datasetPath } from '../../../eval/datasets.js';
import { syntheticBgNbd } from '../../ml/clv/test-data.js';
import { clvCommand, fitSummaryFile } from './clv.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-clv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args]);

function writeCsv(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** 300 seeded BG/NBD customers (weeks), with an ID column the command must ignore. */
function syntheticFile(): string {
  const { frequency, recency, T } = syntheticBgNbd({ r: 0.4, alpha: 5, a: 0.7, b: 2.5 }, 300, 40, 3);
  const lines = ['ID,frequency,recency,T,monetary_value'];
  for (let i = 0; i < frequency.length; i++) {
    const m = frequency[i]! > 0 ? (20 + ((i * 37) % 50)).toFixed(2) : '0';
    lines.push(`c${i},${frequency[i]},${recency[i]!.toFixed(2)},${T[i]!.toFixed(2)},${m}`);
  }
  return writeCsv('synthetic.csv', lines);
}

describe('shopsight clv fit', () => {
  it('prints parameters, standard errors and the log-likelihood (table and --json)', async () => {
    const file = syntheticFile();
    const json = JSON.parse((await cli('clv', 'fit', file, '--model', 'bgnbd', '--json')).stdout) as {
      params: Record<string, number>;
      stdErrors: Record<string, number>;
      logLikelihood: number;
      customers: number;
      converged: boolean;
      boundary: string | null;
    };
    expect(Object.keys(json.params)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(json.customers).toBe(300);
    expect(json.converged).toBe(true);
    expect(json.boundary).toBeNull();
    expect(Object.values(json.stdErrors).every((s) => s > 0)).toBe(true);
    // The table, in process (each spawned CLI costs seconds on a busy machine).
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await clvCommand().parseAsync(['fit', file, '--model', 'gammagamma'], { from: 'user' });
    const table = out.mock.calls.map((c) => String(c[0])).join('');
    out.mockRestore();
    expect(table).toMatch(/^parameter\s+estimate\s+std error$/m);
    expect(table).toMatch(/^gamma\s+[\d.]+\s+[\d.]+$/m);
    expect(table).toMatch(/log-likelihood\s+-[\d.]+/);
  });

  it('flags a boundary BTYD fit: a sample where nobody drops out', async () => {
    const { frequency, recency, T } = syntheticBgNbd({ r: 0.5, alpha: 6, a: 0, b: 1 }, 2000, 52, 7);
    const lines = ['frequency,recency,T'];
    for (let i = 0; i < frequency.length; i++) lines.push(`${frequency[i]},${recency[i]},${T[i]}`);
    const file = writeCsv('no-dropout.csv', lines);
    const fitted = await fitSummaryFile(file, 'bgnbd');
    expect(fitted.dropout?.boundary).toMatch(/^(negligible dropout|singular Hessian|dropout not supported)/);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await clvCommand().parseAsync(['fit', file, '--model', 'bgnbd'], { from: 'user' });
    const table = out.mock.calls.map((c) => String(c[0])).join('');
    out.mockRestore();
    expect(table).toMatch(/^converged\s+(yes|NO)/m);
    expect(table).toMatch(/^boundary\s+YES: /m);
    expect(table).toMatch(/P\(alive\) from this fit is not meaningful.*try --model paretonbd/);
  });

  it('fails with file:line:column: reason and exit code 1', async () => {
    const file = writeCsv('bad.csv', ['ID,frequency,recency,T', 'a,1,2,10', 'b,2,12.5,10']);
    const err = (await cli('clv', 'fit', file, '--model', 'bgnbd').catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain(`${file}:3:column recency: recency (12.5) is greater than T (10)`);
  });

  it('names the line and column of each kind of bad input', async () => {
    const header = 'ID,frequency,recency,T';
    const cases: [string[], string, RegExp][] = [
      [['ID,frequency,T', 'a,1,2'], 'bgnbd', /:1:column recency: missing column 'recency'/],
      [[header, 'a,1,2,10', '', 'b,x,2,10'], 'bgnbd', /:4:column frequency: not a number: 'x'/],
      [[header, 'a,1,2,10', 'b,-1,0,10'], 'bgnbd', /:3:column frequency: frequency must be >= 0/],
      [[header, 'a,1,2,10', 'b,1.5,2,10'], 'paretonbd', /:3:column frequency: .*must be an integer/],
      [[header, 'a,1,2,10', 'b,1,2'], 'bgnbd', /:3: expected 4 fields as in the header, found 3/],
      [
        ['ID,frequency,monetary_value', 'a,1,0'],
        'gammagamma',
        /:2:column monetary_value: monetary_value must be a number > 0/,
      ],
      [
        [header, 'a,1,2,10', 'b,0,0,10'],
        'bgnbd',
        /at least 10 customers with a repeat purchase \(frequency > 0\).*got 1 of 2/,
      ],
    ];
    for (const [lines, model, want] of cases) {
      const file = writeCsv('case.csv', lines);
      await expect(fitSummaryFile(file, model as 'bgnbd')).rejects.toThrow(want);
    }
  });
});

// $SHOPSIGHT_DATASETS, else ../shared/datasets beside the checkout (eval/datasets.ts); skipped without it.
const SUMMARY = datasetPath('cdnow', 'cdnow_customers_summary.csv');
const WITH_SPEND = datasetPath('cdnow', 'cdnow_customers_summary_with_transactions.csv');

/**
 * Published estimates: BG/NBD from Fader, Hardie and Lee (2005) table 1; Pareto/NBD from the BTYD
 * vignette (pnbd.EstimateParameters on cdnowSummary); Gamma-Gamma from the lifetimes docs (fitted on
 * the 946 customers with frequency > 0 of cdnow_customers_summary_with_transactions.csv, zbar as
 * the monetary value).
 */
describe.skipIf(!existsSync(SUMMARY) || !existsSync(WITH_SPEND))(
  'CDNOW published parameters (within 1%)',
  () => {
    const within = (actual: number, published: number): void =>
      expect(Math.abs(actual / published - 1)).toBeLessThan(0.01);

    it('BG/NBD: r 0.243, alpha 4.414, a 0.793, b 2.426', async () => {
      const { fit, dropout } = await fitSummaryFile(SUMMARY, 'bgnbd');
      expect(fit.customers).toBe(2357);
      expect(fit.converged).toBe(true);
      // A real interior fit: not flagged (likelihood ratio vs the no-dropout NBD measured 362.5).
      expect(dropout?.boundary).toBeNull();
      const p = fit.params;
      [p['r']!, p['alpha']!, p['a']!, p['b']!].forEach((v, i) => within(v, [0.243, 4.414, 0.793, 2.426][i]!));
      within(fit.logLikelihood, -9582.4);
    });

    it('Pareto/NBD: r 0.5534, alpha 10.5802, s 0.6061, beta 11.6562', async () => {
      const { fit, dropout } = await fitSummaryFile(SUMMARY, 'paretonbd');
      expect(fit.converged).toBe(true);
      expect(dropout?.boundary).toBeNull(); // measured likelihood ratio 337.4
      const p = fit.params;
      [p['r']!, p['alpha']!, p['s']!, p['beta']!].forEach((v, i) =>
        within(v, [0.5534, 10.5802, 0.6061, 11.6562][i]!),
      );
    });

    it('Gamma-Gamma: p 6.25, q 3.74, gamma 15.44 on the 946 repeat customers', async () => {
      const { fit } = await fitSummaryFile(WITH_SPEND, 'gammagamma');
      expect(fit.customers).toBe(946);
      const p = fit.params;
      [p['p']!, p['q']!, p['gamma']!].forEach((v, i) => within(v, [6.25, 3.74, 15.44][i]!));
    });
  },
);
