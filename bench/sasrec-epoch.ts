/**
 * One shortened SASRec epoch on the first USERS users of Amazon Beauty (every item of the catalogue
 * kept), for comparing two versions of the code in the same run: prints wall and process CPU
 * seconds (every thread) as JSON. `root` is a source tree: this checkout, or an older commit's
 * `git archive <commit> src package.json | tar -x -C <dir>` with node_modules linked into it.
 *
 *   npx tsx bench/sasrec-epoch.ts . 6000 2
 *   SHOPSIGHT_DENSE_ENGINE=wasm npx tsx bench/sasrec-epoch.ts . 6000 2
 *
 * Used for the SASRec note under the dense section of docs/BENCHMARKS.md (issue 16).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beautyPrefix } from './beauty-prefix.js';

const [rootArg = '.', usersArg = '6000', threadsArg = '2'] = process.argv.slice(2);
const root = resolve(rootArg);
const seqs = beautyPrefix(Number(usersArg));
const { users } = seqs;
const { trainSasrec } = (await import(`${root}/src/ml/recommend/sasrec/train.ts`)) as {
  trainSasrec: (s: typeof seqs, p: Record<string, unknown>) => Promise<unknown>;
};
const { SASREC_DEFAULTS } = (await import(`${root}/src/ml/recommend/sasrec/params.ts`)) as {
  SASREC_DEFAULTS: Record<string, unknown>;
};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await trainSasrec(seqs, { ...SASREC_DEFAULTS, epochs: 1, validationUsers: 0, threads: Number(threadsArg) });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    root,
    engine: process.env['SHOPSIGHT_DENSE_ENGINE'] ?? 'auto',
    users,
    targets: seqs.itemIds.length - users,
    wallSeconds: Number(wall.toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    load: readFileSync('/proc/loadavg', 'utf8').trim(),
  }) + '\n',
);
