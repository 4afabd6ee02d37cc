/**
 * @module ml/recommend/sasrec/network
 * The SASRec network (Kang & McAuley 2018) over a packed batch of sequences, with a hand-written
 * backward pass: item embedding * sqrt(d) + learned position embedding, then `blocks` pre-norm
 * Transformer blocks (causal multi-head self-attention, point-wise ReLU feed-forward, residuals,
 * dropout), then a final layer norm. Item scores are dot products with the same item embeddings.
 *
 * Sequences are packed back to back with no padding (Beauty's mean length is about 9 of at most
 * 50): dense layers run over all T tokens at once, attention runs per sequence. A token's position
 * is its distance from the end of its sequence, so the item being predicted from always sits at
 * position 0, as in SASRec's left-padded batches. All weights and activations live in one
 * DenseWorkspace so the matrix products run in place.
 *
 * @example
 *   const net = new SasrecNetwork({ items: 100, hidden: 32, blocks: 2, heads: 1, maxLength: 20 }, 256, false);
 *   net.initialise(new Rng(1));
 *   net.forward(batch, 0, null); // batch from sasrec/batches; net.h holds T x d outputs
 */
import type { Rng } from '../../../core/random.js';
import { DenseWorkspace } from '../../dense/workspace.js';
import type { PackedBatch } from './batches.js';
import {
  addBiasIn,
  biasReluIn,
  biasResidualIn,
  causalSoftmax,
  causalSoftmaxBackward,
  columnSumsIn,
  layerNormBackwardIn,
  layerNormForwardIn,
  maskColumnSumsIn,
  reluBackColumnSumsIn,
} from './layers.js';

export interface SasrecShape {
  readonly items: number;
  readonly hidden: number;
  readonly blocks: number;
  readonly heads: number;
  readonly maxLength: number;
}

/** Offsets of the named tensors in the flat parameter vector. */
interface BlockLayout {
  ln1g: number;
  ln1b: number;
  wqkv: number;
  bqkv: number;
  wo: number;
  bo: number;
  ln2g: number;
  ln2b: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
}

interface Layout {
  itemEmb: number;
  posEmb: number;
  blocks: BlockLayout[];
  lnfg: number;
  lnfb: number;
  total: number;
}

function layoutOf(s: SasrecShape): Layout {
  const d = s.hidden;
  let at = 0;
  const take = (n: number) => {
    const o = at;
    at += n;
    return o;
  };
  const itemEmb = take(s.items * d);
  const posEmb = take(s.maxLength * d);
  const blocks: BlockLayout[] = [];
  for (let l = 0; l < s.blocks; l++) {
    blocks.push({
      ln1g: take(d),
      ln1b: take(d),
      wqkv: take(d * 3 * d),
      bqkv: take(3 * d),
      wo: take(d * d),
      bo: take(d),
      ln2g: take(d),
      ln2b: take(d),
      w1: take(d * d),
      b1: take(d),
      w2: take(d * d),
      b2: take(d),
    });
  }
  const lnfg = take(d);
  const lnfb = take(d);
  return { itemEmb, posEmb, blocks, lnfg, lnfb, total: at };
}

/** Number of float parameters of a network of this shape. */
export function parameterCount(s: SasrecShape): number {
  return layoutOf(s).total;
}

/** Views of one block's tensors inside a flat vector (weights or gradients). */
type BlockViews = { [K in keyof BlockLayout]: Float32Array };

function blockViews(flat: Float32Array, b: BlockLayout, d: number): BlockViews {
  const v = (o: number, n: number) => flat.subarray(o, o + n);
  return {
    ln1g: v(b.ln1g, d),
    ln1b: v(b.ln1b, d),
    wqkv: v(b.wqkv, 3 * d * d),
    bqkv: v(b.bqkv, 3 * d),
    wo: v(b.wo, d * d),
    bo: v(b.bo, d),
    ln2g: v(b.ln2g, d),
    ln2b: v(b.ln2b, d),
    w1: v(b.w1, d * d),
    b1: v(b.b1, d),
    w2: v(b.w2, d * d),
    b2: v(b.b2, d),
  };
}

/** What one block keeps from forward for backward. */
interface BlockActivations {
  xhat1: Float32Array;
  rstd1: Float32Array;
  n1: Float32Array;
  qkv: Float32Array;
  /** Attention probabilities, per sequence then head, each L x L. */
  att: Float32Array;
  o: Float32Array;
  mask1: Float32Array;
  x1: Float32Array;
  xhat2: Float32Array;
  rstd2: Float32Array;
  n2: Float32Array;
  f1: Float32Array;
  r: Float32Array;
  mask2: Float32Array;
}

export class SasrecNetwork {
  readonly shape: SasrecShape;
  readonly maxTokens: number;
  readonly ws: DenseWorkspace;
  /** All weights, flat (the artifact stores this vector). */
  readonly params: Float32Array;
  /** Gradients, same layout; allocated only for training. */
  readonly grads: Float32Array;
  /** T x d outputs of the last forward (after the final layer norm). */
  readonly h: Float32Array;
  /** T x d: gradient of the loss with respect to `h`, filled by the loss before `backward`. */
  readonly dh: Float32Array;

  private readonly layout: Layout;
  private readonly d: number;
  private readonly dh_: number;
  private readonly embScale: number;
  private readonly itemEmb: Float32Array;
  private readonly posEmb: Float32Array;
  private readonly gItemEmb: Float32Array;
  private readonly gPosEmb: Float32Array;
  private readonly w: BlockViews[];
  private readonly g: BlockViews[];
  private readonly lnfg: Float32Array;
  private readonly lnfb: Float32Array;
  private readonly glnfg: Float32Array;
  private readonly glnfb: Float32Array;
  /** xs[0] = embeddings (after dropout), xs[l + 1] = output of block l. */
  private readonly xs: Float32Array[];
  private readonly mask0: Float32Array;
  private readonly acts: BlockActivations[];
  private readonly xhatf: Float32Array;
  private readonly rstdf: Float32Array;
  // backward scratch
  private readonly dx: Float32Array;
  private readonly dtmp: Float32Array;
  private readonly dn: Float32Array;
  private readonly dO: Float32Array;
  private readonly dqkv: Float32Array;
  private readonly dr: Float32Array;
  private readonly dP: Float32Array;
  /** The last forward's items and positions, in the workspace for the embedding kernels. */
  private readonly items: Int32Array;
  private readonly positions: Int32Array;
  /** Start of each sequence's attention blocks in `att` (per batch). */
  private readonly attAt: Int32Array;
  /** Whether the last forward drew dropout masks (backward applies the same ones). */
  private dropped = false;

  /**
   * `maxTokens` bounds the tokens of one forward pass; `training` adds gradients and the buffers
   * backward needs (without it only inference runs). `extraFloats` reserves workspace room for the
   * caller (e.g. the loss's logit matrix).
   */
  constructor(shape: SasrecShape, maxTokens: number, training: boolean, extraFloats = 0) {
    if (shape.hidden % shape.heads !== 0) {
      throw new Error(`sasrec: hidden ${shape.hidden} is not a multiple of heads ${shape.heads}`);
    }
    this.shape = shape;
    this.maxTokens = maxTokens;
    const d = shape.hidden;
    this.d = d;
    this.dh_ = d / shape.heads;
    this.embScale = Math.sqrt(d);
    this.layout = layoutOf(shape);
    const T = maxTokens;
    const L = shape.maxLength;
    const attFloats = T * L * shape.heads;
    const perBlock = T * d * 11 + T * 3 * d + attFloats + 2 * T;
    const floats =
      this.layout.total * (training ? 2 : 1) +
      (shape.blocks + 4) * T * d +
      shape.blocks * perBlock +
      (training ? T * d * 6 + T * 3 * d + L * L + (1 + 2 * shape.blocks) * T * d : 0) +
      extraFloats +
      2 * T +
      1024;
    this.ws = new DenseWorkspace(floats);
    const ws = this.ws;
    this.params = ws.f32(this.layout.total);
    this.grads = training ? ws.f32(this.layout.total) : new Float32Array(0);
    const lay = this.layout;
    this.itemEmb = this.params.subarray(lay.itemEmb, lay.itemEmb + shape.items * d);
    this.posEmb = this.params.subarray(lay.posEmb, lay.posEmb + L * d);
    this.gItemEmb = this.grads.subarray(lay.itemEmb, lay.itemEmb + shape.items * d);
    this.gPosEmb = this.grads.subarray(lay.posEmb, lay.posEmb + L * d);
    this.w = lay.blocks.map((b) => blockViews(this.params, b, d));
    this.g = training ? lay.blocks.map((b) => blockViews(this.grads, b, d)) : [];
    this.lnfg = this.params.subarray(lay.lnfg, lay.lnfg + d);
    this.lnfb = this.params.subarray(lay.lnfb, lay.lnfb + d);
    this.glnfg = this.grads.subarray(lay.lnfg, lay.lnfg + d);
    this.glnfb = this.grads.subarray(lay.lnfb, lay.lnfb + d);
    this.xs = [];
    for (let l = 0; l <= shape.blocks; l++) this.xs.push(ws.f32(T * d));
    this.mask0 = training ? ws.f32(T * d) : new Float32Array(0);
    this.acts = [];
    for (let l = 0; l < shape.blocks; l++) {
      this.acts.push({
        xhat1: ws.f32(T * d),
        rstd1: ws.f32(T),
        n1: ws.f32(T * d),
        qkv: ws.f32(T * 3 * d),
        att: ws.f32(attFloats),
        o: ws.f32(T * d),
        mask1: training ? ws.f32(T * d) : new Float32Array(0),
        x1: ws.f32(T * d),
        xhat2: ws.f32(T * d),
        rstd2: ws.f32(T),
        n2: ws.f32(T * d),
        f1: ws.f32(T * d),
        r: ws.f32(T * d),
        mask2: training ? ws.f32(T * d) : new Float32Array(0),
      });
    }
    this.xhatf = ws.f32(T * d);
    this.rstdf = ws.f32(T);
    this.h = ws.f32(T * d);
    const tr = (n: number) => (training ? ws.f32(n) : new Float32Array(0));
    this.dh = tr(T * d);
    this.dx = tr(T * d);
    this.dtmp = tr(T * d);
    this.dn = tr(T * d);
    this.dO = tr(T * d);
    this.dqkv = tr(T * 3 * d);
    this.dr = tr(T * d);
    this.dP = tr(L * L);
    this.attAt = new Int32Array(T + 1);
    this.items = ws.i32(T);
    this.positions = ws.i32(T);
  }

  /** The item embedding table (items x d), also the output layer. */
  get itemEmbeddings(): Float32Array {
    return this.itemEmb;
  }

  get itemEmbeddingGrads(): Float32Array {
    return this.gItemEmb;
  }

  /** SASRec's initialisation: N(0, 0.02^2)-ish embeddings, Xavier-uniform weights, unit norms. */
  initialise(rng: Rng): void {
    const d = this.d;
    const p = this.params;
    p.fill(0);
    const normal = (a: Float32Array, sd: number) => {
      for (let i = 0; i < a.length; i++) a[i] = rng.normal() * sd;
    };
    const xavier = (a: Float32Array, fanIn: number, fanOut: number) => {
      const lim = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < a.length; i++) a[i] = (rng.float() * 2 - 1) * lim;
    };
    normal(this.itemEmb, 1 / Math.sqrt(d) / this.embScale);
    normal(this.posEmb, 0.02);
    for (const b of this.w) {
      b.ln1g.fill(1);
      b.ln2g.fill(1);
      xavier(b.wqkv, d, d); // three d x d maps side by side
      xavier(b.wo, d, d);
      xavier(b.w1, d, d);
      xavier(b.w2, d, d);
    }
    this.lnfg.fill(1);
  }

  /**
   * Runs the network on a packed batch; `h` then holds one output row per token. With dropout > 0
   * (training) masks are drawn from `rng` and kept for `backward`.
   */
  forward(batch: PackedBatch, dropout: number, rng: Rng | null): void {
    const T = batch.tokens;
    if (T > this.maxTokens) throw new Error(`sasrec: batch of ${T} tokens > ${this.maxTokens}`);
    const d = this.d;
    const ws = this.ws;
    const drop = dropout > 0 && rng !== null;
    if (drop && this.grads.length === 0) throw new Error('sasrec: dropout needs a training network');
    this.dropped = drop;
    const keep = 1 - dropout;
    // Each mask comes from its own xorshift stream seeded by one draw of `rng` (a seed fixes them).
    const fillMask = (mask: Float32Array) => ws.dropoutMask(mask, T * d, rng!.nextU32(), keep);
    // Embeddings.
    const x0 = this.xs[0]!;
    if (drop) fillMask(this.mask0);
    this.items.set(batch.items.subarray(0, T));
    this.positions.set(batch.positions.subarray(0, T));
    if (d % 4 === 0) {
      const mask = drop ? this.mask0 : null;
      ws.embedRows(this.itemEmb, this.posEmb, this.items, this.positions, T, d, this.embScale, mask, x0);
    } else {
      for (let t = 0; t < T; t++) {
        const io = batch.items[t]! * d;
        const po = batch.positions[t]! * d;
        const o = t * d;
        for (let c = 0; c < d; c++) {
          const v = this.itemEmb[io + c]! * this.embScale + this.posEmb[po + c]!;
          x0[o + c] = drop ? v * this.mask0[o + c]! : v;
        }
      }
    }
    // Where each sequence's attention blocks start (all heads of a sequence together).
    const H = this.shape.heads;
    this.attAt[0] = 0;
    for (let s = 0; s < batch.sequences; s++) {
      const L = batch.starts[s + 1]! - batch.starts[s]!;
      this.attAt[s + 1] = this.attAt[s]! + H * L * L;
    }
    for (let l = 0; l < this.shape.blocks; l++) {
      const w = this.w[l]!;
      const a = this.acts[l]!;
      const xin = this.xs[l]!;
      const xout = this.xs[l + 1]!;
      layerNormForwardIn(ws, xin, w.ln1g, w.ln1b, a.xhat1, a.rstd1, a.n1, T, d);
      ws.gemmAt(false, false, T, d, 3 * d, a.n1, 0, d, w.wqkv, 0, 3 * d, a.qkv, 0, 3 * d, false);
      addBiasIn(ws, a.qkv, w.bqkv, T, 3 * d);
      this.attentionForward(batch, a);
      // x1 = xin + dropout(o @ Wo + bo)
      ws.gemmAt(false, false, T, d, d, a.o, 0, d, w.wo, 0, d, a.x1, 0, d, false);
      if (drop) fillMask(a.mask1);
      biasResidualIn(ws, a.x1, w.bo, xin, drop ? a.mask1 : null, T, d);
      // xout = x1 + dropout(relu(n2 @ W1 + b1) @ W2 + b2)
      layerNormForwardIn(ws, a.x1, w.ln2g, w.ln2b, a.xhat2, a.rstd2, a.n2, T, d);
      ws.gemmAt(false, false, T, d, d, a.n2, 0, d, w.w1, 0, d, a.f1, 0, d, false);
      biasReluIn(ws, a.f1, w.b1, a.r, T, d);
      ws.gemmAt(false, false, T, d, d, a.r, 0, d, w.w2, 0, d, xout, 0, d, false);
      if (drop) fillMask(a.mask2);
      biasResidualIn(ws, xout, w.b2, a.x1, drop ? a.mask2 : null, T, d);
    }
    layerNormForwardIn(
      ws,
      this.xs[this.shape.blocks]!,
      this.lnfg,
      this.lnfb,
      this.xhatf,
      this.rstdf,
      this.h,
      T,
      d,
    );
  }

  private attentionForward(batch: PackedBatch, a: BlockActivations): void {
    const d = this.d;
    const dh = this.dh_;
    const ld = 3 * d;
    const scale = 1 / Math.sqrt(dh);
    const ws = this.ws;
    for (let s = 0; s < batch.sequences; s++) {
      const t0 = batch.starts[s]!;
      const L = batch.starts[s + 1]! - t0;
      for (let hd = 0; hd < this.shape.heads; hd++) {
        const co = hd * dh;
        const at = this.attAt[s]! + hd * L * L;
        const q = t0 * ld + co;
        // scores = Q K^T, then causal softmax of scale * scores, then O_head = P V
        ws.gemmAt(false, true, L, dh, L, a.qkv, q, ld, a.qkv, q + d, ld, a.att, at, L, false);
        causalSoftmax(a.att, at, L, scale);
        ws.gemmAt(false, false, L, L, dh, a.att, at, L, a.qkv, q + 2 * d, ld, a.o, t0 * d + co, d, false);
      }
    }
  }

  /**
   * Adds the gradients of the loss into `grads`, given dL/dh in `dh` (from the loss) and the
   * activations of the last `forward` on the same batch. The caller zeroes `grads` between steps.
   */
  backward(batch: PackedBatch): void {
    const T = batch.tokens;
    const d = this.d;
    const ws = this.ws;
    const dx = this.dx;
    const dtmp = this.dtmp;
    const dn = this.dn;
    layerNormBackwardIn(
      ws,
      this.dh,
      this.xhatf,
      this.rstdf,
      this.lnfg,
      this.glnfg,
      this.glnfb,
      dx,
      T,
      d,
      false,
    );
    for (let l = this.shape.blocks - 1; l >= 0; l--) {
      const w = this.w[l]!;
      const g = this.g[l]!;
      const a = this.acts[l]!;
      const dropped = this.dropped;
      // Feed-forward branch: dx is dLoss/dxout.
      maskColumnSumsIn(ws, dx, dropped ? a.mask2 : null, dtmp, g.b2, T, d);
      ws.gemmAt(true, false, d, T, d, a.r, 0, d, dtmp, 0, d, g.w2, 0, d, true);
      ws.gemmAt(false, true, T, d, d, dtmp, 0, d, w.w2, 0, d, this.dr, 0, d, false);
      reluBackColumnSumsIn(ws, a.f1, this.dr, g.b1, T, d);
      ws.gemmAt(true, false, d, T, d, a.n2, 0, d, this.dr, 0, d, g.w1, 0, d, true);
      ws.gemmAt(false, true, T, d, d, this.dr, 0, d, w.w1, 0, d, dn, 0, d, false);
      layerNormBackwardIn(ws, dn, a.xhat2, a.rstd2, w.ln2g, g.ln2g, g.ln2b, dx, T, d, true);
      // Attention branch: dx is now dLoss/dx1.
      maskColumnSumsIn(ws, dx, dropped ? a.mask1 : null, dtmp, g.bo, T, d);
      ws.gemmAt(true, false, d, T, d, a.o, 0, d, dtmp, 0, d, g.wo, 0, d, true);
      ws.gemmAt(false, true, T, d, d, dtmp, 0, d, w.wo, 0, d, this.dO, 0, d, false);
      this.attentionBackward(batch, a);
      ws.gemmAt(true, false, d, T, 3 * d, a.n1, 0, d, this.dqkv, 0, 3 * d, g.wqkv, 0, 3 * d, true);
      columnSumsIn(ws, this.dqkv, g.bqkv, T, 3 * d);
      ws.gemmAt(false, true, T, 3 * d, d, this.dqkv, 0, 3 * d, w.wqkv, 0, 3 * d, dn, 0, d, false);
      layerNormBackwardIn(ws, dn, a.xhat1, a.rstd1, w.ln1g, g.ln1g, g.ln1b, dx, T, d, true);
    }
    // Embeddings: dx is dLoss/dx0.
    const dropped = this.dropped;
    if (d % 4 === 0) {
      const mask = dropped ? this.mask0 : null;
      const { items, positions, embScale } = this;
      ws.embedRowsBackward(dx, mask, items, positions, T, d, embScale, this.gItemEmb, this.gPosEmb);
      return;
    }
    for (let t = 0; t < T; t++) {
      const io = batch.items[t]! * d;
      const po = batch.positions[t]! * d;
      const o = t * d;
      for (let c = 0; c < d; c++) {
        const v = dropped ? dx[o + c]! * this.mask0[o + c]! : dx[o + c]!;
        this.gItemEmb[io + c]! += v * this.embScale;
        this.gPosEmb[po + c]! += v;
      }
    }
  }

  private attentionBackward(batch: PackedBatch, a: BlockActivations): void {
    const d = this.d;
    const dh = this.dh_;
    const ld = 3 * d;
    const scale = 1 / Math.sqrt(dh);
    const ws = this.ws;
    const dP = this.dP;
    for (let s = 0; s < batch.sequences; s++) {
      const t0 = batch.starts[s]!;
      const L = batch.starts[s + 1]! - t0;
      for (let hd = 0; hd < this.shape.heads; hd++) {
        const co = hd * dh;
        const at = this.attAt[s]! + hd * L * L;
        const q = t0 * ld + co;
        const od = t0 * d + co;
        // dP = dO V^T; dV = P^T dO; dS = softmax'(dP); dQ = dS K; dK = dS^T Q
        ws.gemmAt(false, true, L, dh, L, this.dO, od, d, a.qkv, q + 2 * d, ld, dP, 0, L, false);
        ws.gemmAt(true, false, L, L, dh, a.att, at, L, this.dO, od, d, this.dqkv, q + 2 * d, ld, false);
        causalSoftmaxBackward(a.att, at, dP, 0, L, scale);
        ws.gemmAt(false, false, L, L, dh, dP, 0, L, a.qkv, q + d, ld, this.dqkv, q, ld, false);
        ws.gemmAt(true, false, L, L, dh, dP, 0, L, a.qkv, q, ld, this.dqkv, q + d, ld, false);
      }
    }
  }
}
