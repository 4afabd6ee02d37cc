/**
 * @module ml/recommend/als-threads
 * Splits each ALS half-sweep between this thread and worker threads. The interaction matrices and
 * both factor tables live in SharedArrayBuffers, so a sweep costs one small message per worker: the
 * k x k Gram matrix and a row range. Ranges are balanced by estimated work (k + 2 nnz per row), not
 * by row count, because a few heavy users would otherwise leave one thread idle.
 */
import type { Worker } from 'node:worker_threads';
import { endWorker, spawnWorker } from '../../core/spawn-worker.js';
import type { Csr } from '../sparse/csr.js';
import type { AlsParams } from './als.js';

export interface SharedCsr {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** What a worker receives once at start. */
export interface AlsWorkerInit {
  readonly ui: SharedCsr;
  readonly iu: SharedCsr;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly k: number;
  readonly alpha: number;
  readonly cgSteps: number;
}

/** One half-sweep order: solve rows [start, end) of `side` with this Gram matrix. */
export interface AlsWorkerTask {
  readonly side: 'users' | 'items';
  readonly gram: Float64Array;
  readonly start: number;
  readonly end: number;
}

function share(m: Csr): SharedCsr {
  const copy = <T extends Int32Array | Float32Array>(a: T, make: (b: SharedArrayBuffer) => T): T => {
    const s = make(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    return s;
  };
  return {
    indptr: copy(m.indptr, (b) => new Int32Array(b)),
    indices: copy(m.indices, (b) => new Int32Array(b)),
    values: copy(m.values, (b) => new Float32Array(b)),
  };
}

/** Splits rows into `parts` contiguous ranges of about equal work; returns parts + 1 bounds. */
export function balancedBounds(indptr: Int32Array, k: number, parts: number): Int32Array {
  const rows = indptr.length - 1;
  const total = rows * k + 2 * indptr[rows]!;
  const bounds = new Int32Array(parts + 1);
  bounds[parts] = rows;
  let part = 1;
  for (let r = 0; r < rows && part < parts; r++) {
    const done = (r + 1) * k + 2 * indptr[r + 1]!;
    if (done >= (total * part) / parts) bounds[part++] = r + 1;
  }
  for (; part < parts; part++) bounds[part] = rows;
  return bounds;
}

export class AlsThreads {
  private constructor(
    private readonly workers: Worker[],
    private readonly bounds: Record<'users' | 'items', Int32Array>,
  ) {}

  static async start(
    count: number,
    ui: Csr,
    iu: Csr,
    userFactors: Float32Array,
    itemFactors: Float32Array,
    p: AlsParams,
  ): Promise<AlsThreads> {
    const init: AlsWorkerInit = {
      ui: share(ui),
      iu: share(iu),
      userFactors,
      itemFactors,
      k: p.factors,
      alpha: p.alpha,
      cgSteps: p.cgSteps,
    };
    const workers = Array.from({ length: count }, () => spawnWorker(import.meta.url, 'als-worker', init));
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
    const parts = count + 1;
    return new AlsThreads(workers, {
      users: balancedBounds(ui.indptr, p.factors, parts),
      items: balancedBounds(iu.indptr, p.factors, parts),
    });
  }

  /** Gives each worker its range, runs the first range here with `local`, waits for all. */
  async sweep(
    side: 'users' | 'items',
    gram: Float64Array,
    local: (start: number, end: number) => void,
  ): Promise<void> {
    const b = this.bounds[side];
    const done = this.workers.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          const onError = (e: Error): void => reject(e);
          w.once('error', onError);
          w.once('message', () => {
            w.off('error', onError);
            resolve();
          });
          const task: AlsWorkerTask = { side, gram, start: b[i + 1]!, end: b[i + 2]! };
          w.postMessage(task);
        }),
    );
    local(b[0]!, b[1]!);
    await Promise.all(done);
  }

  async stop(): Promise<void> {
    // null asks a worker to leave once its current range is solved (see core/spawn-worker.ts endWorker).
    for (const w of this.workers) w.postMessage(null);
    await Promise.all(this.workers.map((w) => endWorker(w)));
  }
}
