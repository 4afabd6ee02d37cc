/**
 * @module ml/recommend/sasrec/params
 * SASRec's hyper-parameters with the defaults used on Amazon Beauty (docs/sasrec.md has the tuning
 * runs behind them). Every one is a number so the registry can override it by name.
 */

export interface SasrecParams {
  /** Width d of item/position embeddings and of every layer. */
  readonly hidden: number;
  /** Self-attention blocks (attention + point-wise feed-forward, each with a residual). */
  readonly blocks: number;
  /** Attention heads; hidden must be a multiple. */
  readonly heads: number;
  /** Only the last `maxLength` items of a history are read (older ones are dropped). */
  readonly maxLength: number;
  /** Dropout rate on the embeddings and on both residual branches (training only). */
  readonly dropout: number;
  /** Adam step size. */
  readonly learningRate: number;
  /** Tokens per training step: whole sequences are packed up to this many, with no padding. */
  readonly batchTokens: number;
  /** Shared uniform negatives per step for the sampled softmax; 0 = full softmax over every item. */
  readonly negatives: number;
  /** Most passes over the training sequences. */
  readonly epochs: number;
  /** Stop after this many validation checks without a better NDCG@10 (the best weights are kept). */
  readonly patience: number;
  /** Validate every this many epochs. */
  readonly evalEvery: number;
  /** Users whose last training item is held out for early stopping (at most; 0 = no early stopping). */
  readonly validationUsers: number;
  /** 1 = this thread only; 2 = a worker thread takes half of every batch (data parallel). */
  readonly threads: number;
  /** Seed for initialisation, shuffling, dropout and negatives. */
  readonly seed: number;
}

export const SASREC_DEFAULTS: SasrecParams = {
  hidden: 64,
  blocks: 2,
  heads: 1,
  maxLength: 50,
  dropout: 0.3,
  learningRate: 0.004,
  batchTokens: 1024,
  negatives: 1024,
  epochs: 40,
  patience: 2,
  evalEvery: 2,
  validationUsers: 4000,
  threads: 2,
  seed: 1,
};
