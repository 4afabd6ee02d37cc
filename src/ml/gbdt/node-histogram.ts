/**
 * @module ml/gbdt/node-histogram
 * A node's histogram the way the training chose: from the exact gradient pairs (histogram.ts) or,
 * with `quantizedGradients`, from the packed quantized ones (histogram-packed.ts). Every thread's
 * histogram goes through here, so one training never mixes the two.
 */
import { buildHistogram, type HistogramInput } from './histogram.js';
import { buildPackedHistogram, type PackedHistogramInput } from './histogram-packed.js';

export interface NodeHistogramInput extends HistogramInput, PackedHistogramInput {
  /** True when `codes` holds this round's quantized pairs (and `ordered` is not to be read). */
  readonly quantized: boolean;
}

export function buildNodeHistogram(
  hist: Float64Array,
  input: NodeHistogramInput,
  start: number,
  end: number,
  features: Int32Array,
  span = end - start,
): void {
  if (input.quantized) buildPackedHistogram(hist, input, start, end, features, span);
  else buildHistogram(hist, input, start, end, features, span);
}
