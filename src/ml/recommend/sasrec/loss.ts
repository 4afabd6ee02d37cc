/**
 * @module ml/recommend/sasrec/loss
 * Softmax cross-entropy of each token's next item, the loss that makes SASRec competitive (BCE
 * with one negative, the paper's original, trails it by a wide margin: Klenitskiy & Vasilev 2023,
 * "Turning Dross Into Gold Loss"; Petrov & Macdonald 2023, gSASRec).
 *
 * - negatives = 0: full softmax over every item (exact, costs T x items x d three times a step).
 * - negatives = S: sampled softmax over the token's target plus S items drawn uniformly per step and
 *   shared by all tokens (one T x S product); a negative equal to the target is masked. Uniform
 *   sampling needs no log-q correction (every item has the same inclusion probability). The
 *   exponentials and normalisation run in the workspace's SIMD kernel (softmaxCrossEntropyRows).
 *
 * `step` writes dLoss/dh into the network's `dh` and adds the item-embedding gradient (the output
 * layer shares the input embeddings); the loss is the mean over tokens with a target.
 */
import type { Rng } from '../../../core/random.js';
import type { PackedBatch } from './batches.js';
import type { SasrecNetwork } from './network.js';

/** Workspace floats the loss needs, to reserve when the network is built. */
export function lossFloats(maxTokens: number, items: number, hidden: number, negatives: number): number {
  const cols = negatives > 0 ? negatives : items;
  // Sampled: candidate rows and their gradient, target probabilities, per-row losses (2 x 2 floats
  // a row), and the int32 candidate and target indices.
  return maxTokens * cols + (negatives > 0 ? 2 * negatives * hidden + 6 * maxTokens + negatives : 0) + 64;
}

export class SoftmaxLoss {
  private readonly z: Float32Array;
  private readonly cand: Float32Array;
  private readonly gCand: Float32Array;
  private readonly negIds: Int32Array;
  /** Target logit per token, then its softmax probability (sampled loss). */
  private readonly pos: Float32Array;
  /** Cross-entropy per token (sampled loss). */
  private readonly rowLoss: Float64Array;
  /** The sampled columns holding each item, as linked lists (-1 ends): to mask target collisions. */
  private readonly colHead: Int32Array;
  private readonly colNext: Int32Array;
  private readonly cols: number;
  /** The batch's targets, copied into the workspace for the kernels. */
  private readonly tgt: Int32Array;
  /** Whether the row kernels apply (hidden a multiple of 4); else the loops below. */
  private readonly kernels: boolean;

  constructor(
    private readonly net: SasrecNetwork,
    private readonly negatives: number,
  ) {
    const { items, hidden } = net.shape;
    this.cols = negatives > 0 ? negatives : items;
    this.z = net.ws.f32(net.maxTokens * this.cols);
    this.cand = net.ws.f32(negatives * hidden);
    this.gCand = net.ws.f32(negatives * hidden);
    const sampled = negatives > 0;
    this.negIds = net.ws.i32(negatives);
    this.tgt = net.ws.i32(sampled ? net.maxTokens : 0);
    this.kernels = hidden % 4 === 0;
    this.pos = net.ws.f32(sampled ? net.maxTokens : 0);
    this.rowLoss = net.ws.f64(sampled ? 2 * net.maxTokens : 0);
    this.colHead = new Int32Array(sampled ? items : 0).fill(-1);
    this.colNext = new Int32Array(negatives);
  }

  /** Loss of the last forward on `batch`; fills net.dh and adds to the item-embedding gradient. */
  step(batch: PackedBatch, rng: Rng | null): number {
    return this.negatives > 0 ? this.sampled(batch, rng) : this.full(batch);
  }

  private full(batch: PackedBatch): number {
    const net = this.net;
    const T = batch.tokens;
    const d = net.shape.hidden;
    const N = net.shape.items;
    const E = net.itemEmbeddings;
    const z = this.z;
    net.ws.gemmAt(false, true, T, d, N, net.h, 0, d, E, 0, d, z, 0, N, false);
    const count = countTargets(batch);
    let loss = 0;
    for (let t = 0; t < T; t++) {
      const y = batch.targets[t]!;
      const o = t * N;
      if (y < 0) {
        z.fill(0, o, o + N);
        continue;
      }
      const zy = z[o + y]!;
      let max = -Infinity;
      for (let j = 0; j < N; j++) max = Math.max(max, z[o + j]!);
      let sum = 0;
      for (let j = 0; j < N; j++) {
        const e = Math.exp(z[o + j]! - max);
        z[o + j] = e;
        sum += e;
      }
      loss += Math.log(sum) + max - zy;
      const inv = 1 / (sum * count);
      for (let j = 0; j < N; j++) z[o + j]! *= inv;
      z[o + y]! -= 1 / count;
    }
    // dh = dZ @ E; dE += dZ^T @ h
    net.ws.gemmAt(false, false, T, N, d, z, 0, N, E, 0, d, net.dh, 0, d, false);
    net.ws.gemmAt(true, false, N, T, d, z, 0, N, net.h, 0, d, net.itemEmbeddingGrads, 0, d, true);
    return loss / count;
  }

  private sampled(batch: PackedBatch, rng: Rng | null): number {
    if (!rng) throw new Error('sasrec: the sampled softmax needs a random generator');
    const net = this.net;
    const T = batch.tokens;
    const d = net.shape.hidden;
    const N = net.shape.items;
    const S = this.negatives;
    const E = net.itemEmbeddings;
    const gE = net.itemEmbeddingGrads;
    const h = net.h;
    const dh = net.dh;
    const z = this.z;
    const pos = this.pos;
    const { colHead, colNext, negIds, cand, kernels } = this;
    const ws = net.ws;
    for (let j = 0; j < S; j++) {
      const item = rng.int(N);
      negIds[j] = item;
      colNext[j] = colHead[item]!;
      colHead[item] = j;
    }
    if (kernels) ws.gatherRows(E, negIds, S, d, cand);
    else for (let j = 0; j < S; j++) cand.set(E.subarray(negIds[j]! * d, negIds[j]! * d + d), j * d);
    ws.gemmAt(false, true, T, d, S, h, 0, d, cand, 0, d, z, 0, S, false);
    const count = countTargets(batch);
    // Target logits; a negative equal to the target is masked (-Infinity: exactly 0 after the
    // softmax). A token without a target gets an all-masked row and target logit 0, so p = 1 and
    // its loss and gradients are 0.
    const tgt = this.tgt;
    tgt.set(batch.targets.subarray(0, T));
    if (kernels) ws.targetDots(h, E, tgt, T, d, pos);
    for (let t = 0; t < T; t++) {
      const y = tgt[t]!;
      const o = t * S;
      if (y < 0) {
        z.fill(-Infinity, o, o + S);
        pos[t] = 0;
        continue;
      }
      if (!kernels) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += h[t * d + c]! * E[y * d + c]!;
        pos[t] = dot;
      }
      for (let j = colHead[y]!; j >= 0; j = colNext[j]!) z[o + j] = -Infinity;
    }
    ws.softmaxCrossEntropyRows(z, pos, this.rowLoss, T, S, 1 / count);
    let loss = 0;
    for (let t = 0; t < T; t++) if (tgt[t]! >= 0) loss += this.rowLoss[t]!;
    // The target's share: d/dpos = p(target) - 1, reaching h through E[y] and E[y] through h.
    if (kernels) ws.targetGrads(h, E, gE, dh, tgt, pos, T, d, 1 / count);
    else targetGradLoops(h, E, gE, dh, tgt, pos, T, d, count);
    for (let j = 0; j < S; j++) colHead[negIds[j]!] = -1;
    // dh += dZ @ cand; dCand = dZ^T @ h, added back to the sampled items' rows
    ws.gemmAt(false, false, T, S, d, z, 0, S, this.cand, 0, d, dh, 0, d, true);
    ws.gemmAt(true, false, S, T, d, z, 0, S, h, 0, d, this.gCand, 0, d, false);
    if (kernels) ws.scatterAddRows(this.gCand, negIds, S, d, gE);
    else {
      for (let j = 0; j < S; j++) {
        const go = negIds[j]! * d;
        const co = j * d;
        for (let c = 0; c < d; c++) gE[go + c]! += this.gCand[co + c]!;
      }
    }
    return loss / count;
  }
}

/** The loop form of DenseWorkspace.targetGrads (widths that are not a multiple of 4). */
function targetGradLoops(
  h: Float32Array,
  E: Float32Array,
  gE: Float32Array,
  dh: Float32Array,
  targets: Int32Array,
  pos: Float32Array,
  T: number,
  d: number,
  count: number,
): void {
  for (let t = 0; t < T; t++) {
    const y = targets[t]!;
    const ho = t * d;
    if (y < 0) {
      dh.fill(0, ho, ho + d);
      continue;
    }
    const yo = y * d;
    const dpos = (pos[t]! - 1) / count;
    for (let c = 0; c < d; c++) {
      dh[ho + c] = dpos * E[yo + c]!;
      gE[yo + c]! += dpos * h[ho + c]!;
    }
  }
}

function countTargets(batch: PackedBatch): number {
  let n = 0;
  for (let t = 0; t < batch.tokens; t++) if (batch.targets[t]! >= 0) n++;
  return Math.max(n, 1);
}
