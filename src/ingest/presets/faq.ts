/**
 * A shop's own FAQ into the knowledge table: a Markdown file with one question per heading and the
 * answer below it (a heading with nothing below is a section title), or a CSV with the columns
 * question and answer, and optionally intent and tags. The question is the entry's id, so
 * importing an edited FAQ again updates its entries.
 */
import type { Preset } from '../mapping.js';

export const faqPreset: Preset = {
  name: 'faq',
  description: 'a FAQ as Markdown (one question per heading) or CSV (question, answer[, intent, tags])',
  files: [
    {
      match: /\.(md|markdown)$/i,
      mapping: {
        frame: 'knowledge',
        format: { kind: 'markdown' },
        columns: { doc_id: 'question', kind: { value: 'faq' }, question: 'question', answer: 'answer' },
      },
    },
    {
      match: /\.(csv|tsv|txt)$/i,
      mapping: {
        frame: 'knowledge',
        format: { kind: 'csv' },
        columns: {
          doc_id: 'question',
          kind: { value: 'faq' },
          question: 'question',
          answer: 'answer',
          intent: { column: 'intent', optional: true },
          tags: { column: 'tags', optional: true },
        },
      },
    },
  ],
};
