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

const [rootArg = '.', usersArg = '6000', threadsArg = '2'] = process.argv.slice(2);
const root = resolve(rootArg);
const file = resolve('..', 'shared', 'datasets', 'amazon-beauty', 'Beauty.txt');
const histories = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((line) =>
    line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map((x) => Number(x) - 1),
  );
let items = 0;
for (const h of histories) for (const i of h) items = Math.max(items, i + 1);
const users = Math.min(Number(usersArg), histories.length);
const offsets = new Int32Array(users + 1);
const ids: number[] = [];
for (let u = 0; u < users; u++) {
  // Each history without its last (test) item, as the bench's Beauty run trains.
  for (const i of histories[u]!.slice(0, -1)) ids.push(i);
  offsets[u + 1] = ids.length;
}
const seqs = { users, items, offsets, itemIds: Int32Array.from(ids) };
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
    targets: ids.length - users,
    wallSeconds: Number(wall.toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    load: readFileSync('/proc/loadavg', 'utf8').trim(),
  }) + '\n',
);
