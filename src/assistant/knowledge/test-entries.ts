/**
 * @module assistant/knowledge/test-entries
 * Knowledge entries for tests: a FAQ entry from its id, question, answer and intent. Test-only.
 */
import type { KnowledgeEntry } from '../../warehouse/knowledge-store.js';

export const faqEntry = (
  docId: string,
  question: string,
  answer: string,
  intent: string,
): KnowledgeEntry => ({
  docId,
  kind: 'faq',
  question,
  answer,
  intent,
  tags: null,
});
