/**
 * @module ml/recommend/sasrec/adam
 * Adam (Kingma & Ba 2015) over one flat parameter vector, with bias correction; SASRec's settings
 * are beta2 = 0.98 and a tiny epsilon. Every parameter is updated every step (dense Adam), as in
 * the reference implementations: rows of items absent from a batch still decay their moments.
 */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    size: number,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.98,
    private readonly eps = 1e-9,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  step(params: Float32Array, grads: Float32Array): void {
    this.t++;
    const { m, v, beta1: b1, beta2: b2, eps } = this;
    const lr = (this.lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = b1 * m[i]! + (1 - b1) * g;
      const vi = b2 * v[i]! + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i]! -= (lr * mi) / (Math.sqrt(vi) + eps);
    }
  }
}
