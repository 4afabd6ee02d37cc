/**
 * @module warehouse/knowledge-store
 * Reads the knowledge table (FAQ entries, policies, product facts) for the assistant's retrieval.
 */
import type { Warehouse } from './warehouse.js';

export interface KnowledgeEntry {
  readonly docId: string;
  readonly kind: string;
  readonly question: string;
  readonly answer: string;
  readonly intent: string | null;
  readonly tags: string | null;
}

/** Every entry, by doc_id (a shop's knowledge base is thousands of entries, not millions). */
export async function loadKnowledge(wh: Warehouse): Promise<KnowledgeEntry[]> {
  const rows = await wh.rows<{
    doc_id: string;
    kind: string;
    question: string | null;
    answer: string;
    intent: string | null;
    tags: string | null;
  }>('SELECT doc_id, kind, question, answer, intent, tags FROM knowledge ORDER BY doc_id');
  return rows.map((r) => ({
    docId: r.doc_id,
    kind: r.kind,
    question: r.question ?? '',
    answer: r.answer,
    intent: r.intent,
    tags: r.tags,
  }));
}

/**
 * A fingerprint of the whole table (entries and a hash of every field): equal while nothing was
 * imported, changed by any insert, update or delete. Cheap (one aggregate over thousands of rows),
 * so a server can ask it on every support request and rebuild its index only when it changed.
 */
export async function knowledgeFingerprint(wh: Warehouse): Promise<string> {
  const [r] = await wh.rows<{ n: number | bigint; h: string | null }>(
    `SELECT count(*) AS n,
            CAST(sum(hash(doc_id, kind, coalesce(question, ''), answer, coalesce(intent, ''), coalesce(tags, ''))) AS VARCHAR) AS h
     FROM knowledge`,
  );
  return `${String(r?.n ?? 0)}:${r?.h ?? ''}`;
}
