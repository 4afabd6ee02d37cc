/**
 * Factor models (issue 4) on all of Amazon Beauty (22,363 users, 12,101 items, 198,502
 * interactions), each fitted in a child process (bench/factors-child.ts) for its own time and peak
 * RSS: implicit ALS, 64 factors x 15 iterations, on this thread alone (the same-run baseline) and
 * with one worker thread; BPR epochs per second; EASE's closed-form fit (a 12,101 x 12,101 inverse).
 *
 *   BENCH_ONLY=factors npm run bench
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  epochs?: number;
}

function fit(root: string, ...args: string[]): ChildResult {
  const out = execFileSync('node', ['--import', 'tsx', join(root, 'bench', 'factors-child.ts'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as ChildResult;
}

const BPR_EPOCHS = 5;

export async function factors({ root, report, note }: BenchContext): Promise<void> {
  const one = fit(root, 'als', '1');
  const two = fit(root, 'als', '2');
  report({
    name: 'ALS fit, Beauty, 64 factors x 15 iterations, 3 CG steps, this thread + 1 worker',
    figure: `${two.seconds.toFixed(1)} s (${two.cpuSeconds.toFixed(1)} s CPU), peak RSS ${two.maxRssMB.toFixed(0)} MiB`,
    baseline: `one thread ${one.seconds.toFixed(1)} s (${(one.seconds / two.seconds).toFixed(2)}x)`,
    target: '< 10 s',
    ok: two.seconds < 10,
  });
  const bpr = fit(root, 'bpr', String(BPR_EPOCHS));
  report({
    name: 'BPR SGD, Beauty, 64 factors, one epoch = 198,502 sampled triples',
    figure: `${(BPR_EPOCHS / bpr.seconds).toFixed(2)} epochs/s (${BPR_EPOCHS} epochs in ${bpr.seconds.toFixed(1)} s)`,
    baseline: '-',
    target: '-',
    ok: true,
  });
  const ease = fit(root, 'ease');
  report({
    name: 'EASE fit, Beauty, 12,101 items (dense inverse, default lambda)',
    figure: `${ease.seconds.toFixed(1)} s, peak RSS ${ease.maxRssMB.toFixed(0)} MiB`,
    baseline: `n^3/2 = ${((12101 ** 3 / 2) * 2e-9).toFixed(0)} GFLOP: ${((12101 ** 3 / ease.seconds) * 1e-9).toFixed(1)} GFLOP/s`,
    target: 'peak RSS < 2 GiB (one float32 n x n matrix is 559 MiB)',
    ok: ease.maxRssMB < 2048,
  });
  note(
    'Each figure is one fit in a fresh child process (data parsing excluded from the time). Wall times on ' +
      'this 2-core machine depend on what else runs: compare the two ALS rows of one run, not across runs.',
  );
}
