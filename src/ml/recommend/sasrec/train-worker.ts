/**
 * @module ml/recommend/sasrec/train-worker
 * Worker-thread entry for data-parallel SASRec training (see ./threads): builds its own network
 * once, then for every step copies the shared weights in, runs forward, loss and backward on its
 * part of the batch and copies the gradient out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../../../core/random.js';
import { PackedBatch } from './batches.js';
import { lossFloats, SoftmaxLoss } from './loss.js';
import { SasrecNetwork } from './network.js';
import { BATCH_HEADER, type SasrecWorkerInit } from './threads.js';

const init = workerData as SasrecWorkerInit;
const p = init.params;
const cap = init.maxTokens;
const net = new SasrecNetwork(
  init.shape,
  cap,
  true,
  lossFloats(cap, init.shape.items, init.shape.hidden, p.negatives),
);
const loss = new SoftmaxLoss(net, p.negatives);
const batch = new PackedBatch(cap);
const control = new Int32Array(init.control);
const weights = new Float32Array(init.weights);
const grads = new Float32Array(init.grads);
const b = new Int32Array(init.batch);
const result = new Float64Array(init.result);

parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(control, 0, seen);
  const command = Atomics.load(control, 0);
  if (command < 0) break;
  if (command === seen) continue;
  seen = command;
  const tokens = b[0]!;
  batch.tokens = tokens;
  batch.sequences = b[1]!;
  batch.items.set(b.subarray(BATCH_HEADER, BATCH_HEADER + tokens));
  batch.positions.set(b.subarray(BATCH_HEADER + cap, BATCH_HEADER + cap + tokens));
  batch.targets.set(b.subarray(BATCH_HEADER + 2 * cap, BATCH_HEADER + 2 * cap + tokens));
  batch.starts.set(b.subarray(BATCH_HEADER + 3 * cap, BATCH_HEADER + 3 * cap + batch.sequences + 1));
  const rng = new Rng(b[2]!);
  net.params.set(weights);
  net.grads.fill(0);
  net.forward(batch, p.dropout, rng);
  result[0] = loss.step(batch, rng);
  net.backward(batch);
  grads.set(net.grads);
  Atomics.store(control, 1, command);
  Atomics.notify(control, 1);
}
parentPort!.close();
