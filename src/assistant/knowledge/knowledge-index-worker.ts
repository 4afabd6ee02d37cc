/**
 * @module assistant/knowledge/knowledge-index-worker
 * Worker-thread entry of knowledge-index-thread.ts: builds the knowledge index (intent classifier
 * and retriever) from the entries it was started with, says `ready` (or why it could not), then
 * answers lookups by id until it is terminated.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildKnowledgeIndex, type KnowledgeIndex } from './knowledge-index.js';
import type { IndexThreadData, IndexThreadReply, IndexThreadRequest } from './knowledge-index-thread.js';

const data = workerData as IndexThreadData;
const port = parentPort!;
const failure = (err: unknown) => ({
  name: err instanceof Error ? err.name : 'Error',
  message: err instanceof Error ? err.message : String(err),
});

let index: KnowledgeIndex;
try {
  index = await buildKnowledgeIndex(data.entries, data.llm);
  port.postMessage({ type: 'ready' } satisfies IndexThreadReply);
} catch (err) {
  port.postMessage({ type: 'failed', error: failure(err) } satisfies IndexThreadReply);
}

port.on('message', (m: IndexThreadRequest) => {
  index.lookup(m.question, m.k).then(
    (result) => port.postMessage({ type: 'lookup', id: m.id, result } satisfies IndexThreadReply),
    (err: unknown) =>
      port.postMessage({ type: 'lookup', id: m.id, error: failure(err) } satisfies IndexThreadReply),
  );
});
