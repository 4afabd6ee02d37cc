/**
 * @module tasks/risk/anomaly-view
 * What the isolation forest sees of an order: only the features with a risky side, each clipped at
 * its median on the harmless side (a high-risky feature below its median reads as the median). An
 * isolation forest calls any extreme unusual; without this, the shop's largest, most loyal
 * wholesale customers and the quietest hour of the night crowd the review queue, and a 50x order
 * has to compete with them. Missing values stay missing.
 */
import type { ModelArtifact } from '../../ml/artifact.js';

export interface AnomalyView {
  /** Feature-matrix columns the forest reads, in its column order. */
  readonly columns: Int32Array;
  /** 1: high values are risky; -1: low values are. */
  readonly direction: Int8Array;
  /** Training median of each column: values on the harmless side are clipped to it. */
  readonly pivot: Float32Array;
}

export function fitAnomalyView(
  values: Float32Array,
  rows: number,
  cols: number,
  risky: readonly (1 | -1 | 0)[],
): AnomalyView {
  const columns = risky.flatMap((d, j) => (d === 0 ? [] : [j]));
  const pivot = new Float32Array(columns.length);
  const buf = new Float32Array(rows);
  columns.forEach((j, k) => {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * cols + j]!;
      if (!Number.isNaN(v)) buf[n++] = v;
    }
    const sorted = buf.subarray(0, n).sort();
    pivot[k] = n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  });
  return {
    columns: Int32Array.from(columns),
    direction: Int8Array.from(columns.map((j) => risky[j]!)),
    pivot,
  };
}

/** rows x view.columns.length: the forest's input. */
export function applyAnomalyView(
  view: AnomalyView,
  values: Float32Array,
  rows: number,
  cols: number,
): Float32Array {
  const d = view.columns.length;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < d; k++) {
      const v = values[r * cols + view.columns[k]!]!;
      const p = view.pivot[k]!;
      out[r * d + k] = Number.isNaN(v) ? v : view.direction[k]! > 0 ? Math.max(v, p) : Math.min(v, p);
    }
  }
  return out;
}

export function anomalyViewToArtifact(v: AnomalyView): ModelArtifact {
  return {
    kind: 'anomaly-view',
    version: 1,
    meta: {},
    arrays: { columns: v.columns, direction: new Uint8Array(v.direction.buffer.slice(0)), pivot: v.pivot },
  };
}

export function anomalyViewFromArtifact(a: ModelArtifact): AnomalyView {
  const { columns, direction, pivot } = a.arrays;
  if (a.kind !== 'anomaly-view' || !(columns instanceof Int32Array) || !(pivot instanceof Float32Array)) {
    throw new Error(`expected an anomaly-view artifact, got '${a.kind}'`);
  }
  // Int8Array is not an artifact array type: the direction travels as Uint8 (255 = -1).
  const dir =
    direction instanceof Uint8Array ? Int8Array.from(direction, (x) => (x > 127 ? x - 256 : x)) : null;
  if (!dir) throw new Error('anomaly-view artifact lacks its directions');
  return { columns, direction: dir, pivot };
}
