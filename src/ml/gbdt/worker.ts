/**
 * @module ml/gbdt/worker
 * The worker side of parallel training (see pool.ts): a module worker started with spawnWorker,
 * like ALS and SASRec, running on its share of the rows the same kernels (jobs.ts) the training
 * thread runs. The protocol is in protocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import { runJob } from './jobs.js';
import { awaitChange, claimJob, CTRL, OP, signal, type WorkerInit } from './protocol.js';

if (!parentPort) throw new Error('ml/gbdt/worker runs only as a worker thread');

parentPort.on('message', (m: WorkerInit) => {
  const { ctrl } = m;
  const side = new Uint8Array(256);
  let seen = Atomics.load(ctrl, CTRL.seq);
  Atomics.store(ctrl, CTRL.done, seen);
  Atomics.notify(ctrl, CTRL.done);
  for (;;) {
    awaitChange(ctrl, CTRL.seq, seen, CTRL.workerAsleep);
    seen = Atomics.load(ctrl, CTRL.seq);
    // The training thread did this job itself when it found it unclaimed (or a newer one is up).
    if (!claimJob(ctrl, seen)) continue;
    const op = ctrl[CTRL.op]!;
    if (op === OP.stop) break;
    try {
      ctrl[CTRL.result] = runJob(m, op, side);
    } catch (e) {
      m.error.set(
        new TextEncoder().encode(String(e instanceof Error ? e.stack : e)).subarray(0, m.error.length),
      );
      ctrl[CTRL.failed] = 1;
    }
    signal(ctrl, CTRL.done, seen, CTRL.callerAsleep);
  }
});
