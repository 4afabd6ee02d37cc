/**
 * @module ml/recommend/sasrec/adam
 * Adam (Kingma & Ba 2015) over one flat parameter vector (or, with two threads, one range of it
 * per thread: ./threads), with bias correction; SASRec's settings
 * are beta2 = 0.98 and a tiny epsilon. Every parameter is updated every step (dense Adam, as
 * torch.optim.Adam in bench/reference/sasrec_torch.py): rows of items absent from a batch still
 * decay their moments and keep moving. The update runs in the workspace's SIMD kernel (float32
 * arithmetic, about 1 ns a parameter; docs/sasrec.md "Where the epoch time stands" says why a
 * lazy, SparseAdam-style update of the touched rows only was not taken).
 */
import type { DenseWorkspace } from '../../dense/workspace.js';

export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  /** Floats of workspace the moments of `size` parameters take (to reserve when it is built). */
  static floats(size: number): number {
    return 2 * size + 8;
  }

  constructor(
    private readonly ws: DenseWorkspace,
    size: number,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.98,
    private readonly eps = 1e-9,
  ) {
    this.m = ws.f32(size);
    this.v = ws.f32(size);
  }

  /** params and grads: views of the same workspace, of the size given at construction. */
  step(params: Float32Array, grads: Float32Array): void {
    this.t++;
    const { beta1: b1, beta2: b2 } = this;
    const lr = (this.lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    this.ws.adamStep(params, grads, this.m, this.v, lr, b1, b2, this.eps);
  }

  /**
   * The same step on the gradient a * g1 + b * g2 (two threads' mean gradients weighted by their
   * shares of the batch, ./threads); every view of the size given at construction.
   */
  stepMixed(params: Float32Array, g1: Float32Array, a: number, g2: Float32Array, b: number): void {
    this.t++;
    const { beta1: b1, beta2: b2 } = this;
    const lr = (this.lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    this.ws.adamStepMixed(params, g1, a, g2, b, this.m, this.v, lr, b1, b2, this.eps);
  }
}
