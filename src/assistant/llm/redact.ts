/**
 * @module assistant/llm/redact
 * Text as it may leave for a language-model endpoint (chat or embeddings): personal data replaced
 * by its kind ([EMAIL], [PHONE], [ID_NUMBER], [CARD], [IP], [ADDRESS], [ORDER_ID], [NAME];
 * ml/text/pii.ts: names the store knows, given as `knownNames` (shop-names.ts reads them), and names
 * written in a shape that shows them, "my name is ...", 我叫..., ...先生)
 * unless the merchant switched redaction off (SHOPSIGHT_LLM_REDACT=off). Every text the assistant
 * sends goes through here: support (the question, the passages, tool results, what is embedded),
 * ask (the question, the stored examples, a refusal sent back to the model), copy (the segment's
 * text fields). One place, so a new path cannot forget a kind.
 *
 * @example
 *   forEndpoint({ redactPersonalData: true }, 'order 536366, mail jo@x.com', { orderIds: true });
 *   // 'order [ORDER_ID], mail [EMAIL]'
 */
import type { KnownNames } from '../../ml/text/known-names.js';
import { detectPii, redactPii } from '../../ml/text/pii.js';
import type { LlmConfig } from './config.js';

/** Order ids as stores write them: Online Retail's 536365 and C536379, generated stores' O0001234. */
export const ORDER_ID_PATTERN = /\b[A-Z]?\d{5,}\b/;

export interface OutboundContext {
  /**
   * Redact order-id shaped text (a shopper's conversation: yes, other customers' orders are
   * personal data; a merchant's data question: no, the id is what the question is about).
   */
  readonly orderIds?: boolean;
  /** With `orderIds`: the asking customer's own orders, kept because the answer is about them. */
  readonly ownOrderIds?: ReadonlySet<string>;
  /** The store's customer names (shop-names.ts): whole words, any case; the asker's parts alone too. */
  readonly knownNames?: readonly KnownNames[];
}

/**
 * Only the known names replaced by [NAME]: the question a knowledge index looks up, whose embedder
 * (knowledge-index.ts) redacts every other kind itself but does not know the store's names.
 */
export function withoutKnownNames(
  config: Pick<LlmConfig, 'redactPersonalData'>,
  text: string,
  knownNames: readonly KnownNames[],
): string {
  if (!config.redactPersonalData || !knownNames.length) return text;
  const spans = detectPii(text, { knownNames, nameShapes: false }).filter((s) => s.kind === 'name');
  return spans.length ? redactPii(text, spans) : text;
}

export function forEndpoint(
  config: Pick<LlmConfig, 'redactPersonalData'>,
  text: string,
  context: OutboundContext = {},
): string {
  if (!config.redactPersonalData) return text;
  const spans = detectPii(text, {
    ...(context.orderIds
      ? { orderIdPattern: ORDER_ID_PATTERN, ownOrderIds: context.ownOrderIds ?? new Set<string>() }
      : {}),
    ...(context.knownNames ? { knownNames: context.knownNames } : {}),
  });
  return spans.length ? redactPii(text, spans) : text;
}
