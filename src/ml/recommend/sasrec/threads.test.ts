import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/random.js';
import { PackedBatch } from './batches.js';
import { parameterCount, SasrecNetwork, type SasrecShape } from './network.js';
import { SASREC_DEFAULTS } from './params.js';
import { SasrecHelper } from './threads.js';

describe('SasrecHelper.close', () => {
  // Until close let the worker finish its step, terminating it in the middle of a full-softmax
  // product on onnxruntime (where installed) aborted this whole process (SIGABRT from a
  // Napi::Error): vitest reported "Worker exited unexpectedly" and this test never finished (2 of
  // 3 runs before the fix).
  it('stops a worker in the middle of a step without taking the process down', async () => {
    const shape: SasrecShape = { items: 6000, hidden: 64, blocks: 1, heads: 1, maxLength: 50 };
    const maxTokens = 1024;
    const params = { ...SASREC_DEFAULTS, hidden: 64, blocks: 1, maxLength: 50, negatives: 0, threads: 2 };
    const size = parameterCount(shape);
    const net = new SasrecNetwork(shape, maxTokens, false);
    net.initialise(new Rng(1));
    const rng = new Rng(2);
    const batch = new PackedBatch(maxTokens);
    const seq = Int32Array.from({ length: 50 }, () => rng.int(shape.items));
    while (batch.append(seq, 0, seq.length, true)) {
      /* fill the batch with whole sequences */
    }
    // The worker takes every sequence but the last: its step (logits of about 1,000 x 64 x 6,000)
    // is under way at one of these moments of close, whatever the machine's speed.
    for (const delayMs of [5, 20, 40, 80, 160]) {
      const helper = await SasrecHelper.start(shape, params, maxTokens, size);
      helper.begin(batch, 0, batch.sequences - 1, net.params, delayMs);
      await new Promise((r) => setTimeout(r, delayMs));
      await expect(helper.close()).resolves.toBeUndefined();
    }
  });
});
