/**
 * Bitext customer-support corpus (the CSV in ../shared/datasets/customer-support): one shopper
 * question per row (`instruction`) with its `intent`, `category` and a model `response`, into the
 * knowledge table as FAQ entries. The responses hold placeholders such as {{Order Number}}, kept
 * as written: the support assistant fills them from its tools or removes them (docs/assistant.md).
 */
import type { Preset } from '../mapping.js';

export const bitextPreset: Preset = {
  name: 'bitext',
  description:
    'Bitext customer-support CSV (instruction, intent, category, response) into the knowledge table',
  files: [
    {
      mapping: {
        frame: 'knowledge',
        format: { kind: 'csv' },
        columns: {
          // The same question can appear under two intents; the intent and line keep ids unique.
          doc_id: { concat: ['intent', '$line'], separator: ':' },
          kind: { value: 'faq' },
          question: 'instruction',
          answer: 'response',
          intent: 'intent',
          tags: 'category',
        },
      },
    },
  ],
};
