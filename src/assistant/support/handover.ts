/**
 * @module assistant/support/handover
 * When a person should answer instead: the shopper asks for one, the intent is one the merchant
 * marks human-only (complaints by default), a refund above the merchant's limit, or low confidence
 * (the classifier unsure and retrieval weak). The reason is part of the answer.
 */

export interface HandoverPolicy {
  /** Intents a person always answers. */
  readonly humanIntents: ReadonlySet<string>;
  /** Intents about refunds: an amount above `refundLimit` in the question hands over. */
  readonly refundIntents: ReadonlySet<string>;
  readonly refundLimit: number;
  /** Below this classifier probability... */
  readonly minIntentProbability: number;
  /** ...and below this BM25 score of the best passage's question, the answer is handed over. */
  readonly minRetrievalScore: number;
}

export const DEFAULT_HANDOVER: HandoverPolicy = {
  humanIntents: new Set(['complaint', 'contact_human_agent']),
  refundIntents: new Set(['get_refund', 'track_refund', 'check_refund_policy']),
  refundLimit: 100,
  minIntentProbability: 0.5,
  minRetrievalScore: 2,
};

/** SHOPSIGHT_SUPPORT_HUMAN_INTENTS (comma-separated) and SHOPSIGHT_SUPPORT_REFUND_LIMIT override the defaults. */
export function handoverPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): HandoverPolicy {
  const intents = env['SHOPSIGHT_SUPPORT_HUMAN_INTENTS']?.trim();
  const limit = env['SHOPSIGHT_SUPPORT_REFUND_LIMIT']?.trim();
  const refundLimit = limit ? Number(limit) : DEFAULT_HANDOVER.refundLimit;
  if (!(refundLimit >= 0))
    throw new Error(`SHOPSIGHT_SUPPORT_REFUND_LIMIT: '${limit}' is not an amount >= 0`);
  return {
    ...DEFAULT_HANDOVER,
    ...(intents
      ? {
          humanIntents: new Set(
            intents
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        }
      : {}),
    refundLimit,
  };
}

const ASKS_FOR_PERSON =
  /\b(human|real person|a person|an agent|live agent|representative|speak to (someone|somebody|a)|talk to (someone|somebody|a))\b|人工|真人|客服人员/i;

export function handoverReason(
  question: string,
  intent: { intent: string; probability: number } | undefined,
  bestRetrievalScore: number,
  policy: HandoverPolicy,
): string | undefined {
  if (ASKS_FOR_PERSON.test(question)) return 'the customer asked for a person';
  if (intent && policy.humanIntents.has(intent.intent))
    return `intent ${intent.intent} is answered by a person`;
  if (intent && policy.refundIntents.has(intent.intent)) {
    const amounts = [
      ...question.matchAll(
        /(?:[£$€¥]\s?)?(\d+(?:[.,]\d{1,2})?)\s?(?:gbp|usd|eur|rmb|元|pounds|dollars|euros)?/gi,
      ),
    ]
      .filter((m) => /[£$€¥]|gbp|usd|eur|rmb|元|pounds|dollars|euros/i.test(m[0]))
      .map((m) => Number(m[1]!.replace(',', '.')));
    const top = Math.max(0, ...amounts);
    if (top > policy.refundLimit) return `a refund of ${top} is above the limit of ${policy.refundLimit}`;
  }
  const unsure = !intent || intent.probability < policy.minIntentProbability;
  if (unsure && bestRetrievalScore < policy.minRetrievalScore) {
    return `low confidence (intent probability ${(intent?.probability ?? 0).toFixed(2)}, best passage score ${bestRetrievalScore.toFixed(2)})`;
  }
  return undefined;
}
