/**
 * @module assistant/reviews/aspect-check
 * The unsupervised aspect extraction checked against a language model's labels (llm-aspects.ts) on
 * the same reviews: the model's aspects are the reference, so precision is the share of the
 * extraction's aspects the model also named, recall the share of the model's aspects the
 * extraction found, polarity the share of matched aspects given the same polarity; overall and per
 * aspect term (tasks/reviews/aspect-agreement.ts). Both read the text exactly as it was sent
 * (checked, cut, redacted), and only reviews the model labelled are compared.
 *
 * @example
 *   const c = await checkAspectsWithLlm(llm, texts, { batchSize: 20 });
 *   c.comparison?.overall; // { precision: 0.81, recall: 0.64, polarityAgreement: 0.96, ... }
 */
import { compareAspects, type AspectComparison } from '../../tasks/reviews/aspect-agreement.js';
import { extractAspects } from '../../tasks/reviews/aspects.js';
import type { LlmClient } from '../llm/client.js';
import { labelAspectsWithLlm, type LlmAspectLabels, type LlmAspectOptions } from './llm-aspects.js';

export interface LlmAspectCheck extends Omit<LlmAspectLabels, 'labels' | 'sent'> {
  /** Reviews given to the pass. */
  readonly reviews: number;
  /** Reviews the model labelled (compared). */
  readonly labelled: number;
  /** null when the model labelled none. */
  readonly comparison: AspectComparison | null;
}

export async function checkAspectsWithLlm(
  llm: LlmClient,
  texts: readonly string[],
  options: LlmAspectOptions = {},
): Promise<LlmAspectCheck> {
  const { labels, sent, ...pass } = await labelAspectsWithLlm(llm, texts, options);
  const pairs = labels.flatMap((reference, i) =>
    reference ? [{ found: extractAspects(sent[i]!), reference }] : [],
  );
  return {
    ...pass,
    reviews: texts.length,
    labelled: pairs.length,
    comparison: pairs.length ? compareAspects(pairs) : null,
  };
}

/** `k` positions spread evenly over 0..n-1 (all of them when k >= n): a sample over the whole period. */
export function evenlySpaced(n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}
