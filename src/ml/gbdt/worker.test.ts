import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'shopsight-gbdt-dist-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Compiles trainGbdt and the worker module as `npm run build` does (tsconfig.build.json) into `out`. */
function buildGbdt(): void {
  const configPath = join(root, 'tsconfig.build.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const roots = ['ml/gbdt/train.ts', 'ml/gbdt/model.ts', 'ml/gbdt/worker.ts', 'core/random.ts'];
  const program = ts.createProgram(
    roots.map((f) => join(root, 'src', f)),
    { ...options, outDir: out, declaration: false, sourceMap: false },
  );
  const emitted = program.emit();
  expect(emitted.emitSkipped).toBe(false);
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
}

// The same data and comparison as train.test.ts ('builds the same model with a histogram worker'),
// run by plain node on the compiled .js files: the worker is then ml/gbdt/worker.js.
const SCRIPT = `
import { trainGbdt } from './ml/gbdt/train.js';
import { predictGbdt } from './ml/gbdt/model.js';
import { Rng } from './core/random.js';
const rows = 20000, rng = new Rng(4);
const features = new Float32Array(rows * 3), labels = new Float32Array(rows);
for (let r = 0; r < rows; r++) {
  const a = rng.normal(), b = rng.normal();
  features[r * 3] = a; features[r * 3 + 1] = b;
  features[r * 3 + 2] = rng.chance(0.2) ? NaN : rng.normal();
  labels[r] = rng.float() < 1 / (1 + Math.exp(-(a + 0.5 * b))) ? 1 : 0;
}
const p = { objective: 'binary', rounds: 5, maxDepth: 5 };
const one = predictGbdt(trainGbdt({ features, labels, rows, cols: 3, params: p }), features, rows);
const two = predictGbdt(trainGbdt({ features, labels, rows, cols: 3, params: { ...p, threads: 1 } }), features, rows);
let differ = 0;
for (let i = 0; i < rows; i++) if (one[i] !== two[i]) differ++;
process.stdout.write(JSON.stringify({ rows, differ, distinct: new Set(one).size }));
`;

describe('histogram worker from the build', () => {
  it('the compiled worker module gives the one-thread model', () => {
    buildGbdt();
    writeFileSync(join(out, 'check.mjs'), SCRIPT);
    const result = JSON.parse(execFileSync(process.execPath, [join(out, 'check.mjs')], { encoding: 'utf8' }));
    expect(result.rows).toBe(20_000);
    expect(result.distinct).toBeGreaterThan(10); // a real model, not a constant
    expect(result.differ).toBe(0);
  });
});
