/**
 * Factor models (issue 4) on all of Amazon Beauty (22,363 users, 12,101 items, 198,502
 * interactions), each fitted in a child process (bench/factors-child.ts) for its own time and peak
 * RSS: implicit ALS, 64 factors x 15 iterations, on this thread alone (the same-run baseline) and
 * with one worker thread; BPR epochs per second; EASE's closed-form fit (a 12,101 x 12,101 inverse)
 * on the default dense engine and on the wasm kernels.
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
  return fitWith({}, root, ...args);
}

function fitWith(env: Record<string, string>, root: string, ...args: string[]): ChildResult {
  const out = execFileSync('node', ['--import', 'tsx', join(root, 'bench', 'factors-child.ts'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, ...env },
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
  // The default engine (onnxruntime when installed, panel form, every core) against the wasm
  // kernels' tile form on one thread, one after the other.
  const ease = fit(root, 'ease');
  const easeWasm = fitWith({ SHOPSIGHT_DENSE_ENGINE: 'wasm' }, root, 'ease');
  const rate = (r: ChildResult): string => ((12101 ** 3 / r.seconds) * 1e-9).toFixed(1);
  report({
    name: 'EASE fit, Beauty, 12,101 items (dense inverse, default lambda, n^3/2 = 1772 GFLOP), default engine',
    figure: `${ease.seconds.toFixed(1)} s (${ease.cpuSeconds.toFixed(1)} s CPU), ${rate(ease)} GFLOP/s, peak RSS ${ease.maxRssMB.toFixed(0)} MiB`,
    baseline: `wasm kernels (SHOPSIGHT_DENSE_ENGINE=wasm): ${easeWasm.seconds.toFixed(1)} s, ${rate(easeWasm)} GFLOP/s (${(easeWasm.seconds / ease.seconds).toFixed(2)}x)`,
    target: '< 40 s; peak RSS < 2 GiB (n x n float32 559 MiB, plus half for the panels)',
    ok: ease.seconds < 40 && ease.maxRssMB < 2048,
  });
  note(
    'Each figure is one fit in a fresh child process (data parsing excluded from the time). Wall times on ' +
      'this 2-core machine depend on what else runs: compare the two ALS rows of one run, not across runs.',
  );
}
