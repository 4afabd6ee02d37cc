/**
 * @module ml/recommend/sasrec/train
 * Trains SASRec on time-ordered sequences: each step packs whole sequences up to `batchTokens`
 * tokens, predicts every next item with a softmax cross-entropy (sampled or full, see ./loss), and
 * takes one Adam step. Early stopping: up to `validationUsers` users (with >= 3 items) have their
 * last item held out of training; every `evalEvery` epochs the model ranks that item against the
 * whole catalogue (history excluded) and the weights with the best NDCG@10 are kept.
 *
 * @example
 *   const model = await trainSasrec(seqs, { ...SASREC_DEFAULTS, epochs: 20 }, console.log);
 *   model.epochs; // [{ epoch: 1, loss: 6.9, ndcg10: 0.021, seconds: 4.1 }, ...]
 */
import { Rng } from '../../../core/random.js';
import { denseEngine } from '../../dense/engine.js';
import type { Sequences } from '../types.js';
import { Adam } from './adam.js';
import { PackedBatch } from './batches.js';
import { lossFloats, SoftmaxLoss } from './loss.js';
import { parameterCount, SasrecNetwork, type SasrecShape } from './network.js';
import type { SasrecParams } from './params.js';
import { ndcgAt, rankTarget } from './rank-target.js';
import { SasrecHelper, splitPoint } from './threads.js';

export interface SasrecEpoch {
  readonly epoch: number;
  /** Mean training loss over the epoch's steps. */
  readonly loss: number;
  /** Validation NDCG@10 when this epoch was checked. */
  readonly ndcg10?: number;
  /** Seconds since training started. */
  readonly seconds: number;
}

export interface SasrecModel {
  readonly shape: SasrecShape;
  readonly params: SasrecParams;
  /** The flat weight vector of the kept (best validation) epoch. */
  readonly weights: Float32Array;
  readonly epochs: readonly SasrecEpoch[];
  readonly bestEpoch: number;
  /**
   * Users whose last item was held out of training for early stopping (ascending). Not saved: a
   * caller that tunes something else on the same held-out items (./blend) reads it after training.
   */
  readonly heldOut?: Int32Array;
}

/** Validation rows scored per product (rows x items floats of workspace). */
const VALIDATION_ROWS = 256;

export async function trainSasrec(
  seqs: Sequences,
  p: SasrecParams,
  log: (line: string) => void = () => {},
): Promise<SasrecModel> {
  const shape = shapeOf(seqs, p);
  // The worker starts (module loading, onnxruntime) while this thread builds its own network.
  const starting =
    p.threads > 1
      ? SasrecHelper.start(shape, p, Math.max(p.batchTokens, p.maxLength), parameterCount(shape))
      : null;
  try {
    return await trainLoop(seqs, p, log, starting);
  } finally {
    const helper = starting ? await starting.catch(() => null) : null;
    await helper?.close();
  }
}

function shapeOf(seqs: Sequences, p: SasrecParams): SasrecShape {
  return { items: seqs.items, hidden: p.hidden, blocks: p.blocks, heads: p.heads, maxLength: p.maxLength };
}

async function trainLoop(
  seqs: Sequences,
  p: SasrecParams,
  log: (line: string) => void,
  starting: Promise<SasrecHelper> | null,
): Promise<SasrecModel> {
  const started = performance.now();
  const rng = new Rng(p.seed);
  const shape = shapeOf(seqs, p);
  const d = p.hidden;
  const maxTokens = Math.max(p.batchTokens, p.maxLength);
  const valFloats = VALIDATION_ROWS * (seqs.items + d);
  const size = parameterCount(shape);
  // With a helper this thread updates parameters [half, size) and the worker [0, half) (./threads).
  const half = starting ? splitPoint(size) : 0;
  const net = new SasrecNetwork(
    shape,
    maxTokens,
    true,
    lossFloats(maxTokens, seqs.items, d, p.negatives) + valFloats + Adam.floats(size) + (size - half),
  );
  net.initialise(rng);
  const loss = new SoftmaxLoss(net, p.negatives);
  const adam = new Adam(net.ws, size - half, p.learningRate);
  const myParams = net.params.subarray(half);
  const myGrads = net.grads.subarray(half);
  const workerGrads = starting ? net.ws.f32(size - half) : null;
  const valScores = net.ws.f32(VALIDATION_ROWS * seqs.items);
  const valH = net.ws.f32(VALIDATION_ROWS * d);

  // Hold out the last item of a random subset of users for early stopping.
  const { users, offsets, itemIds } = seqs;
  const ends = new Int32Array(users);
  const candidates: number[] = [];
  for (let u = 0; u < users; u++) {
    ends[u] = offsets[u + 1]!;
    if (offsets[u + 1]! - offsets[u]! >= 3) candidates.push(u);
  }
  shuffle(candidates, rng);
  const valUsers = Int32Array.from(candidates.slice(0, p.validationUsers)).sort();
  for (const u of valUsers) ends[u]!--;

  const trainUsers: number[] = [];
  for (let u = 0; u < users; u++) if (ends[u]! - offsets[u]! >= 2) trainUsers.push(u);
  const batch = new PackedBatch(maxTokens);
  const seen = new Int32Array(seqs.items);
  let stamp = 0;

  const validate = (): number => {
    let total = 0;
    let i = 0;
    while (i < valUsers.length) {
      batch.clear();
      while (i < valUsers.length && batch.sequences < VALIDATION_ROWS) {
        const u = valUsers[i]!;
        if (!batch.append(itemIds, Math.max(offsets[u]!, ends[u]! - p.maxLength), ends[u]!, false, u)) break;
        i++;
      }
      net.forward(batch, 0, null);
      const B = batch.sequences;
      for (let s = 0; s < B; s++) {
        const last = batch.starts[s + 1]! - 1;
        valH.set(net.h.subarray(last * d, last * d + d), s * d);
      }
      net.ws.gemmAt(
        false,
        true,
        B,
        d,
        seqs.items,
        valH,
        0,
        d,
        net.itemEmbeddings,
        0,
        d,
        valScores,
        0,
        seqs.items,
        false,
      );
      for (let s = 0; s < B; s++) {
        const u = batch.tags[s]!;
        const rank = rankTarget(
          valScores,
          s * seqs.items,
          seqs.items,
          itemIds[ends[u]!]!,
          itemIds,
          offsets[u]!,
          ends[u]!,
          seen,
          ++stamp,
        );
        total += ndcgAt(rank, 10);
      }
    }
    return total / Math.max(valUsers.length, 1);
  };

  // onnxruntime loads on this thread (when installed) before it waits for the worker to be ready.
  denseEngine();
  const helper = starting ? await starting : null;
  const epochs: SasrecEpoch[] = [];
  let best = -1;
  let bestEpoch = 0;
  let bestWeights = net.params.slice();
  let sinceBest = 0;
  const mine = new PackedBatch(maxTokens);
  let stepCount = 0;
  const step = (): number => {
    stepCount++;
    // With a helper: it takes the sequences up to about half the tokens (none when the batch holds
    // one sequence), this thread the rest.
    let split = 0;
    if (helper) {
      while (split < batch.sequences - 1 && batch.starts[split + 1]! * 2 <= batch.tokens) split++;
      if (batch.sequences > 1) split = Math.max(split, 1);
      helper.begin(batch, 0, split, net.params, p.seed * 1_000_003 + stepCount);
    }
    const part = helper ? mine.copyFrom(batch, split, batch.sequences) : batch;
    net.grads.fill(0);
    net.forward(part, p.dropout, rng);
    let l = loss.step(part, rng);
    net.backward(part);
    if (!helper) {
      adam.step(net.params, net.grads);
      return l;
    }
    // Both gradients are means over their tokens: weighted by token shares they make the batch's mean.
    const other = helper.exchangeGrads(net.grads, workerGrads!);
    const n = part.tokens + other.tokens;
    const a = part.tokens / n;
    const b = other.tokens / n;
    adam.stepMixed(myParams, myGrads, a, workerGrads!, b);
    helper.shareWeights(net.params);
    l = a * l + b * other.loss;
    return l;
  };
  for (let epoch = 1; epoch <= p.epochs; epoch++) {
    shuffle(trainUsers, rng);
    let lossSum = 0;
    let steps = 0;
    batch.clear();
    for (const u of trainUsers) {
      const from = Math.max(offsets[u]!, ends[u]! - (p.maxLength + 1));
      if (!batch.append(itemIds, from, ends[u]!, true)) {
        lossSum += step();
        steps++;
        batch.clear();
        batch.append(itemIds, from, ends[u]!, true);
      }
    }
    if (batch.tokens > 0) {
      lossSum += step();
      steps++;
    }
    const check = valUsers.length > 0 && (epoch % p.evalEvery === 0 || epoch === p.epochs);
    const ndcg10 = check ? validate() : undefined;
    const row: SasrecEpoch = {
      epoch,
      loss: lossSum / Math.max(steps, 1),
      ...(ndcg10 !== undefined ? { ndcg10 } : {}),
      seconds: (performance.now() - started) / 1000,
    };
    epochs.push(row);
    log(
      `sasrec epoch ${epoch}: loss ${row.loss.toFixed(4)}` +
        (ndcg10 !== undefined ? `, validation NDCG@10 ${ndcg10.toFixed(4)}` : '') +
        ` (${row.seconds.toFixed(1)} s)`,
    );
    if (ndcg10 !== undefined) {
      if (ndcg10 > best) {
        best = ndcg10;
        bestEpoch = epoch;
        bestWeights = net.params.slice();
        sinceBest = 0;
      } else if (++sinceBest >= p.patience) {
        break;
      }
    }
  }
  if (valUsers.length === 0) {
    bestWeights = net.params.slice();
    bestEpoch = epochs.length;
  }
  return { shape, params: p, weights: bestWeights, epochs, bestEpoch, heldOut: valUsers };
}

/** Fisher-Yates with the training generator (so a seed fixes the order). */
function shuffle(a: number[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
