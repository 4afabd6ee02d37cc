/**
 * @module ml/recommend/als-worker
 * Worker-thread entry for ALS half-sweeps (see als-threads.ts): attaches to the shared matrices and
 * factor tables once, then solves whatever row range each message names and replies when done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { blockScratch, sweepBlock } from './als-sweep.js';
import type { AlsWorkerInit, AlsWorkerTask } from './als-threads.js';

const BLOCK = 1024; // as in als.ts
const init = workerData as AlsWorkerInit;
const scratch = blockScratch(init.k, BLOCK);
const port = parentPort!;

port.on('message', (t: AlsWorkerTask | null) => {
  if (t === null) {
    port.close(); // the thread ends once this message is handled (als-threads.ts stop)
    return;
  }
  const users = t.side === 'users';
  const input = {
    matrix: users ? init.ui : init.iu,
    x: users ? init.userFactors : init.itemFactors,
    y: users ? init.itemFactors : init.userFactors,
    gram: t.gram,
    k: init.k,
    alpha: init.alpha,
    cgSteps: init.cgSteps,
  };
  for (let s = t.start; s < t.end; s += BLOCK) sweepBlock(input, s, Math.min(t.end, s + BLOCK), scratch);
  port.postMessage('done');
});
port.postMessage('ready');
