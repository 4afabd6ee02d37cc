/**
 * One shortened SASRec epoch on the first USERS users of Amazon Beauty (every item of the catalogue
 * kept), for comparing two versions of the code in the same run: prints wall and process CPU
 * seconds (every thread), and the CPU seconds of the busiest threads, as JSON. `root` is a source tree: this checkout, or an older commit's
 * `git archive <commit> src package.json | tar -x -C <dir>` with node_modules linked into it.
 *
 *   npx tsx bench/sasrec-epoch.ts . 6000 2
 *   SHOPSIGHT_DENSE_ENGINE=wasm npx tsx bench/sasrec-epoch.ts . 6000 2
 *
 * Used for the SASRec note under the dense section of docs/BENCHMARKS.md (issue 16).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { beautyPrefix } from './beauty-prefix.js';

// CPU seconds of every thread of this process, sampled every 50 ms by a small thread of its own
// (the training threads block the event loop, and the worker's /proc entry goes when it ends).
const threadTicks = new Int32Array(new SharedArrayBuffer(16));
const sampler = new Worker(
  `const { readdirSync, readFileSync } = require('node:fs');
   const { workerData } = require('node:worker_threads');
   const seen = new Int32Array(workerData);
   const last = new Map();
   const me = readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0];
   setInterval(() => {
     for (const tid of readdirSync('/proc/self/task')) {
       if (tid === me) continue;
       try {
         const st = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
         const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
         last.set(tid, Number(f[11]) + Number(f[12]));
       } catch {}
     }
     const top = [...last.values()].sort((a, b) => b - a);
     for (let i = 0; i < 4; i++) seen[i] = top[i] ?? 0;
   }, 50);`,
  { eval: true, workerData: threadTicks.buffer },
);

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
await new Promise((r) => setTimeout(r, 120));
await sampler.terminate();

process.stdout.write(
  JSON.stringify({
    root,
    engine: process.env['SHOPSIGHT_DENSE_ENGINE'] ?? 'auto',
    users,
    targets: seqs.itemIds.length - users,
    wallSeconds: Number(wall.toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    // The busiest threads' CPU seconds over the whole process life (loading included), at 10 ms ticks.
    threadCpuSeconds: [...threadTicks].filter((t) => t > 0).map((t) => t / 100),
    load: readFileSync('/proc/loadavg', 'utf8').trim(),
  }) + '\n',
);
