/**
 * @module assistant/knowledge/knowledge-index-thread
 * The knowledge index on a worker thread, for a caller whose thread must stay responsive (the
 * server: training the intent classifier on Bitext is seconds of CPU, and every lookup vectorises
 * the question and scores it against every intent and entry). The worker keeps the index and
 * answers lookups by message; the answers are the ones `buildKnowledgeIndex` gives in-process.
 *
 * @example
 *   const index = await startKnowledgeIndexThread(entries);
 *   await index.lookup('where is my order', 20);
 *   await index.close();
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../core/spawn-worker.js';
import type { KnowledgeEntry } from '../../warehouse/knowledge-store.js';
import type { LlmConfig } from '../llm/config.js';
import type { KnowledgeIndex, KnowledgeLookup } from './knowledge-index.js';

export interface IndexThreadData {
  readonly entries: readonly KnowledgeEntry[];
  /** With an embeddings model, the worker embeds the entries and each question itself. */
  readonly llm?: LlmConfig;
}

export interface IndexThreadRequest {
  readonly id: number;
  readonly question: string;
  readonly k: number;
}

interface ThreadError {
  readonly name: string;
  readonly message: string;
}

export type IndexThreadReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: ThreadError }
  | {
      readonly type: 'lookup';
      readonly id: number;
      readonly result?: KnowledgeLookup;
      readonly error?: ThreadError;
    };

export interface KnowledgeIndexThread extends KnowledgeIndex {
  /** Ends the worker; lookups still waiting reject. */
  close(): Promise<void>;
}

const asError = (e: ThreadError): Error => Object.assign(new Error(e.message), { name: e.name });

/** Resolves once the worker has built the index; rejects with the build's error (the worker is ended then). */
export function startKnowledgeIndexThread(
  entries: readonly KnowledgeEntry[],
  llm?: LlmConfig,
): Promise<KnowledgeIndexThread> {
  const data: IndexThreadData = { entries, ...(llm ? { llm } : {}) };
  const worker: Worker = spawnWorker(import.meta.url, 'knowledge-index-worker', data);
  const waiting = new Map<number, { resolve: (r: KnowledgeLookup) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let ended: Error | undefined;
  const endAll = (err: Error): void => {
    ended ??= err;
    for (const w of waiting.values()) w.reject(ended);
    waiting.clear();
  };
  return new Promise<KnowledgeIndexThread>((resolve, reject) => {
    worker.on('message', (m: IndexThreadReply) => {
      if (m.type === 'ready') {
        resolve({
          lookup(question, k) {
            if (ended) return Promise.reject(ended);
            const id = nextId++;
            return new Promise<KnowledgeLookup>((res, rej) => {
              waiting.set(id, { resolve: res, reject: rej });
              worker.postMessage({ id, question, k } satisfies IndexThreadRequest);
            });
          },
          async close() {
            endAll(new Error('the knowledge index thread was closed'));
            await worker.terminate();
          },
        });
      } else if (m.type === 'failed') {
        endAll(asError(m.error));
        reject(asError(m.error));
        void worker.terminate();
      } else {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.result) w?.resolve(m.result);
        else w?.reject(asError(m.error ?? { name: 'Error', message: 'the lookup failed' }));
      }
    });
    worker.on('error', (err) => {
      endAll(err);
      reject(err);
    });
    worker.on('exit', (code) => {
      const err = new Error(`the knowledge index thread stopped (exit code ${code})`);
      endAll(err);
      reject(err);
    });
  });
}
