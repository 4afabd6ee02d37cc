/**
 * @module assistant/reviews/test-aspect-labeller
 * For tests of the LLM aspect pass: the reviews a request to the scripted OpenAI-protocol server
 * carried, and a scripted model that answers each review from a table keyed by its text as sent.
 */
import type { RecordedRequest, ScriptFn } from '../llm/test-llm-server.js';

export type ScriptedAspects = Record<string, [string, 'positive' | 'negative'][]>;

/** The `{id, text}` reviews of one recorded request (the user message's JSON document). */
export const reviewsOf = (r: RecordedRequest): { id: number; text: string }[] =>
  (JSON.parse(r.body.messages![1]!.content!) as { reviews: { id: number; text: string }[] }).reviews;

/** A model answering each review with the aspects of `table[text]` (none when absent). */
export function scriptedLabeller(table: ScriptedAspects): ScriptFn {
  return (r) => ({
    reply: JSON.stringify({
      reviews: reviewsOf(r).map(({ id, text }) => ({
        id,
        aspects: (table[text] ?? []).map(([aspect, polarity]) => ({ aspect, polarity })),
      })),
    }),
  });
}
