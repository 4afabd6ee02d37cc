/**
 * @module ml/recommend/sasrec/train-worker
 * Worker-thread entry for data-parallel SASRec training (see ./threads): builds its own network
 * once, then for every step runs forward, loss and backward on its part of the batch, trades
 * gradient ranges with the main thread, runs Adam on its range [0, half) and trades the updated
 * weights back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../../../core/random.js';
import { Adam } from './adam.js';
import { PackedBatch } from './batches.js';
import { lossFloats, SoftmaxLoss } from './loss.js';
import { SasrecNetwork } from './network.js';
import {
  BATCH_HEADER,
  CONTROL_COMMAND,
  CONTROL_MAIN_GRADS,
  CONTROL_MAIN_WEIGHTS,
  CONTROL_WORKER_GRADS,
  CONTROL_WORKER_WEIGHTS,
  post,
  type SasrecWorkerInit,
  waitFor,
} from './threads.js';

const init = workerData as SasrecWorkerInit;
const p = init.params;
const cap = init.maxTokens;
const half = init.half;
const net = new SasrecNetwork(
  init.shape,
  cap,
  true,
  lossFloats(cap, init.shape.items, init.shape.hidden, p.negatives) + Adam.floats(half) + half,
);
const loss = new SoftmaxLoss(net, p.negatives);
const adam = new Adam(net.ws, half, p.learningRate);
const mainGrads = net.ws.f32(half);
const myParams = net.params.subarray(0, half);
const myGrads = net.grads.subarray(0, half);
const batch = new PackedBatch(cap);
const control = new Int32Array(init.control);
const weights = new Float32Array(init.weights);
const toMain = new Float32Array(init.toMain);
const toWorker = new Float32Array(init.toWorker);
const b = new Int32Array(init.batch);
const result = new Float64Array(init.result);

parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(control, CONTROL_COMMAND, seen);
  const command = Atomics.load(control, CONTROL_COMMAND);
  if (command < 0) break;
  if (command === seen) continue;
  seen = command;
  const tokens = b[0]!;
  const all = b[3]!;
  if (b[4]) net.params.set(weights);
  net.grads.fill(0);
  let l = 0;
  if (tokens > 0) {
    batch.tokens = tokens;
    batch.sequences = b[1]!;
    batch.items.set(b.subarray(BATCH_HEADER, BATCH_HEADER + tokens));
    batch.positions.set(b.subarray(BATCH_HEADER + cap, BATCH_HEADER + cap + tokens));
    batch.targets.set(b.subarray(BATCH_HEADER + 2 * cap, BATCH_HEADER + 2 * cap + tokens));
    batch.starts.set(b.subarray(BATCH_HEADER + 3 * cap, BATCH_HEADER + 3 * cap + batch.sequences + 1));
    const rng = new Rng(b[2]!);
    net.forward(batch, p.dropout, rng);
    l = loss.step(batch, rng);
    net.backward(batch);
  }
  // Gradients: this thread's over the main thread's range out, the main thread's over ours in.
  toMain.set(net.grads.subarray(half));
  result[0] = l;
  post(control, CONTROL_WORKER_GRADS, command);
  if (!waitFor(control, CONTROL_MAIN_GRADS, command)) break;
  mainGrads.set(toWorker);
  // The same weighted mean as the main thread's: shares of the batch's tokens.
  adam.stepMixed(myParams, myGrads, tokens / all, mainGrads, (all - tokens) / all);
  weights.set(myParams);
  post(control, CONTROL_WORKER_WEIGHTS, command);
  if (!waitFor(control, CONTROL_MAIN_WEIGHTS, command)) break;
  net.params.set(weights.subarray(half), half);
}
parentPort!.close();
