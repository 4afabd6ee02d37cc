/**
 * @module server/support-service
 * The support route's state: the knowledge index (intent classifier and retriever) lives on a
 * worker thread, so training the classifier (seconds on Bitext) and scoring each question never run
 * on the server's event loop. Built at the first support request; each request first compares the
 * knowledge table's fingerprint with the one the index was built from, and an import that changed
 * the table (POST /v1/admin/import) gets a fresh index before that request is answered. The model
 * calls and the order and product lookups run on this thread (they wait on I/O), each lookup on a
 * pooled connection of its own, so a slow model reply holds no connection.
 */
import {
  startKnowledgeIndexThread,
  type KnowledgeIndexThread,
} from '../assistant/knowledge/knowledge-index-thread.js';
import type { LlmClient } from '../assistant/llm/client.js';
import {
  EmptyKnowledgeError,
  SupportAssistant,
  type SupportAnswer,
  type SupportOptions,
} from '../assistant/support/support.js';
import { knowledgeFingerprint, loadKnowledge } from '../warehouse/knowledge-store.js';
import type { ServerContext } from './context.js';

interface Built {
  readonly fingerprint: string;
  readonly assistant: Promise<{ assistant: SupportAssistant; thread: KnowledgeIndexThread }>;
}

export class SupportService {
  private current: Built | undefined;
  private closed = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly options: SupportOptions,
  ) {
    ctx.onClose(async () => {
      this.closed = true;
      await this.retire(this.current);
      this.current = undefined;
    });
  }

  async answer(question: string, customerId?: string): Promise<SupportAnswer> {
    const { assistant } = await this.assistant();
    return assistant.answer((fn) => this.ctx.db.read(fn), question, customerId);
  }

  private async assistant(): Promise<{ assistant: SupportAssistant; thread: KnowledgeIndexThread }> {
    if (this.closed) throw new Error('the server is shutting down');
    const fingerprint = await this.ctx.db.read(knowledgeFingerprint);
    let built = this.current;
    if (built?.fingerprint !== fingerprint) {
      const old = built;
      const mine: Built = { fingerprint, assistant: this.build() };
      this.current = built = mine;
      // A failed build is not kept: the next request tries again (after an import, say).
      mine.assistant.catch(() => {
        if (this.current === mine) this.current = undefined;
      });
      // The old worker ends once the new index is ready: lookups already sent to it have long answered.
      void mine.assistant.then(
        () => this.retire(old),
        () => this.retire(old),
      );
    }
    return built.assistant;
  }

  private async build(): Promise<{ assistant: SupportAssistant; thread: KnowledgeIndexThread }> {
    const entries = await this.ctx.db.read(loadKnowledge);
    if (!entries.length) throw new EmptyKnowledgeError();
    const llm: LlmClient | undefined = this.options.llm;
    const thread = await startKnowledgeIndexThread(entries, llm?.config);
    return { assistant: SupportAssistant.fromIndex(entries, thread, this.options), thread };
  }

  /** Ends an index's worker once its build has settled. */
  private async retire(built: Built | undefined): Promise<void> {
    if (!built) return;
    const done = await built.assistant.catch(() => undefined);
    await done?.thread.close();
  }
}
