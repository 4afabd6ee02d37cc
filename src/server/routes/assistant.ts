/**
 * @module server/routes/assistant
 * The assistant's routes (docs/assistant.md). `POST /v1/assistant/ask` (admin): a question about
 * the shop's data, answered with the checked SQL, the rows and a summary, as `shopsight ask`. The
 * language model is the one set in the server's environment (SHOPSIGHT_LLM_*); without one the
 * built-in templates answer and the notes say so. The SQL runs in DuckDB's threads, read-only.
 * `POST /v1/assistant/copy` (read): campaign copy for a segment, as `shopsight copy`; the segment's
 * figures (an uplift campaign scored, every customer's RFM) are computed on a worker thread
 * (assistant/copy/figures-thread.ts).
 * `POST /v1/assistant/support` (read): a shopper's question answered from the knowledge table with
 * its sources, or handed over with the reason, as `shopsight support`; the intent classifier and
 * retrieval run on a worker thread (server/support-service.ts).
 */
import { askData, AskError, MAX_QUESTION_CHARS } from '../../assistant/ask/ask.js';
import {
  COPY_LANGUAGES,
  COPY_SEGMENT_PATTERN,
  copyFromFigures,
  CopyError,
  type CopyLanguage,
} from '../../assistant/copy/copy.js';
import { segmentFiguresInWorker } from '../../assistant/copy/figures-thread.js';
import { LlmClient } from '../../assistant/llm/client.js';
import { readLlmConfig } from '../../assistant/llm/config.js';
import type { TokenUsage } from '../../assistant/llm/messages.js';
import { handoverPolicyFromEnv } from '../../assistant/support/handover.js';
import { shopFactsFromEnv } from '../../assistant/support/placeholders.js';
import { EmptyKnowledgeError } from '../../assistant/support/support.js';
import { shopNames } from '../../assistant/llm/shop-names.js';
import { maskPii } from '../../ml/text/pii.js';
import { saveAskExample } from '../../warehouse/ask/examples-store.js';
import { SqlRunError, SqlTimeoutError } from '../../warehouse/ask/run-guarded.js';
import { SqlGuardError } from '../../warehouse/ask/sql-guard.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { snakeKeys } from '../snake-case.js';
import { SupportService } from '../support-service.js';
import type { RoutePlugin } from './route-plugin.js';

const str = { type: 'string' } as const;

const USAGE = {
  type: 'object',
  description: 'tokens the endpoint reported for this answer',
  properties: {
    prompt_tokens: { type: 'integer' },
    completion_tokens: { type: 'integer' },
    total_tokens: { type: 'integer' },
  },
} as const;

const usageField = (u: TokenUsage | undefined) =>
  u
    ? {
        usage: {
          prompt_tokens: u.promptTokens,
          completion_tokens: u.completionTokens,
          total_tokens: u.totalTokens,
        },
      }
    : {};

/** A question in a body: trimmed emptiness and the length limit are checked again by checkQuestion. */
const questionField = (example: string) =>
  ({ type: 'string', minLength: 1, maxLength: MAX_QUESTION_CHARS, examples: [example] }) as const;

const ASK_ANSWER = {
  type: 'object',
  required: ['question', 'mode', 'sql', 'columns', 'rows', 'truncated', 'summary', 'notes', 'confirmed'],
  properties: {
    question: str,
    mode: { type: 'string', enum: ['model', 'template'], description: 'who wrote the SQL' },
    template: { ...str, description: 'the template that answered (mode template)' },
    sql: { ...str, description: 'the statement that ran: DuckDB rebuilt it from the checked parse tree' },
    columns: {
      type: 'array',
      items: { type: 'object', properties: { name: str, type: str } },
    },
    rows: { type: 'array', items: { type: 'object', additionalProperties: true } },
    truncated: { type: 'boolean', description: 'more rows exist than max_rows' },
    summary: { ...str, description: 'one line built from the result itself' },
    notes: {
      type: 'array',
      items: str,
      description: 'why the answer took its path (no model set, SQL refused, ...)',
    },
    usage: USAGE,
    confirmed: { type: 'boolean', description: 'stored as an example for later questions' },
  },
} as const;

const SUPPORT_ANSWER = {
  type: 'object',
  required: [
    'question',
    'intent',
    'confidence',
    'answer',
    'sources',
    'handed_over',
    'handover_reason',
    'mode',
    'notes',
    'tool_calls',
  ],
  properties: {
    question: str,
    intent: { type: ['string', 'null'], description: 'the intent the classifier names' },
    confidence: { type: 'number', description: "the classifier's probability of that intent" },
    answer: { ...str, description: 'what the shopper reads (placeholders filled or removed)' },
    sources: {
      type: 'array',
      description: 'the knowledge entries the answer is from (cited)',
      items: { type: 'object', properties: { doc_id: str, question: str } },
    },
    handed_over: { type: 'boolean', description: 'a person should answer; the answer says so' },
    handover_reason: { type: ['string', 'null'], description: 'why, for the merchant' },
    mode: { type: 'string', enum: ['model', 'retrieval'], description: 'who wrote the answer' },
    notes: { type: 'array', items: str, description: 'why the answer took its path' },
    tool_calls: {
      type: 'array',
      items: { type: 'object', properties: { name: str, arguments: str, ok: { type: 'boolean' } } },
    },
    usage: USAGE,
  },
} as const;

export const assistantRoutes: RoutePlugin = (app, ctx) => {
  const config = readLlmConfig();
  const llm = config ? new LlmClient(config) : undefined;
  const support = new SupportService(ctx, {
    ...(llm ? { llm } : {}),
    shop: shopFactsFromEnv(),
    policy: handoverPolicyFromEnv(),
  });

  app.post(
    '/v1/assistant/ask',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['assistant'],
        summary: "A question about the shop's data: checked read-only SQL, the rows, a one-line summary",
        description:
          'As `shopsight ask`. The model (SHOPSIGHT_LLM_BASE_URL in the server environment) writes one SELECT over the ' +
          'documented ask_* views; the guard parses it with DuckDB (one SELECT, those views only, no table functions) and ' +
          'it runs read-only with a row and a time limit. Without a model, or when its SQL is refused, a built-in ' +
          'template answers when one fits; otherwise 422 with the reason. `confirm: true` stores the question and SQL ' +
          'as an example the model sees later.',
        body: {
          type: 'object',
          required: ['question'],
          additionalProperties: false,
          properties: {
            question: questionField('Which country lost the most repeat customers last quarter?'),
            confirm: {
              type: 'boolean',
              description: 'store the question and its SQL as an example',
              examples: [false],
            },
            max_rows: {
              type: 'integer',
              minimum: 1,
              maximum: 10_000,
              description: 'rows returned at most (default 200)',
              examples: [50],
            },
          },
          examples: [{ question: 'Which country lost the most repeat customers last quarter?' }],
        },
        response: { 200: ASK_ANSWER, 400: ERROR_BODY_SCHEMA, 422: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const body = req.body as { question: string; confirm?: boolean; max_rows?: number };
      try {
        const a = await ctx.db.read((wh) =>
          askData(wh, body.question, {
            ...(llm ? { llm } : {}),
            ...(body.max_rows ? { maxRows: body.max_rows } : {}),
          }),
        );
        if (body.confirm)
          await ctx.db.write((wh) => saveAskExample(wh, { question: a.question, sql: a.sql }), 'serving');
        const { usage, ...rest } = a;
        return { ...rest, ...usageField(usage), confirmed: Boolean(body.confirm) };
      } catch (err) {
        if (err instanceof AskError && err.message.startsWith('question:'))
          throw httpError(400, 'invalid_request', err.message);
        if (
          err instanceof AskError ||
          err instanceof SqlGuardError ||
          err instanceof SqlRunError ||
          err instanceof SqlTimeoutError
        ) {
          throw httpError(422, 'unanswerable', err.message);
        }
        throw err;
      }
    },
  );

  app.post(
    '/v1/assistant/copy',
    {
      config: { role: 'read' },
      schema: {
        tags: ['assistant'],
        summary:
          'A campaign message for a segment (RFM, churn tier, uplift), from its real figures and top products',
        description:
          'As `shopsight copy`. The segment is an RFM segment, a churn tier of the stored predictions (`churn_high`, ' +
          '`churn_medium`, `churn_low`: figures as of their scoring day) or `uplift:<campaign>` (the customers its ' +
          'promoted uplift model would contact within `budget`). The figures (customers, orders, spend, days since the ' +
          'last order, the products they bought most; churn probability or uplift) are returned beside the subject and ' +
          'body; a template writes it without a model. 422 for a segment with no customer, no stored predictions or no ' +
          'uplift model.',
        body: {
          type: 'object',
          required: ['segment'],
          additionalProperties: false,
          properties: {
            segment: { type: 'string', pattern: COPY_SEGMENT_PATTERN, examples: ['at_risk'] },
            lang: {
              type: 'string',
              enum: [...COPY_LANGUAGES],
              description: 'default en',
              examples: ['zh-CN'],
            },
            budget: {
              type: 'number',
              minimum: 0.001,
              maximum: 1,
              description:
                'uplift segments: the share of the campaign customers to contact, 0.001 to 1 (default 0.3)',
              examples: [0.3],
            },
          },
          examples: [{ segment: 'at_risk', lang: 'zh-CN' }],
        },
        response: {
          200: {
            type: 'object',
            required: ['segment', 'language', 'subject', 'body', 'mode', 'figures', 'notes'],
            properties: {
              segment: str,
              language: str,
              subject: str,
              body: str,
              mode: { type: 'string', enum: ['model', 'template'] },
              figures: { type: 'object', additionalProperties: true },
              notes: { type: 'array', items: str },
            },
          },
          422: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req) => {
      const body = req.body as { segment: string; lang?: CopyLanguage; budget?: number };
      try {
        // Scoring an uplift campaign's contacts or reading every customer's RFM is CPU work: a
        // worker does it over a lent connection, never this event loop.
        const figures = await segmentFiguresInWorker(await ctx.db.connect(), body.segment, {
          ...(body.budget !== undefined ? { budget: body.budget } : {}),
        });
        const names = llm ? await ctx.db.read((wh) => shopNames(wh, llm.config)) : [];
        const c = await copyFromFigures(figures, body.lang ?? 'en', llm, names);
        const { usage: _usage, ...rest } = c;
        return snakeKeys(rest);
      } catch (err) {
        if (err instanceof CopyError) throw httpError(422, 'unanswerable', err.message);
        throw err;
      }
    },
  );

  app.post(
    '/v1/assistant/support',
    {
      config: { role: 'read' },
      schema: {
        tags: ['assistant'],
        summary: "A shopper's question answered from the shop's knowledge, with sources, or handed over",
        description:
          'As `shopsight support`. The intent classifier and retrieval over the knowledge table (imported with ' +
          '`--preset faq|bitext`) run on a worker thread; the index is built at the first request and rebuilt when ' +
          'the table changes. Hand-over (with the reason) when the shopper asks for a person, for human-only intents, ' +
          'refunds above the limit, or low confidence. With a model (SHOPSIGHT_LLM_* in the server environment) the ' +
          "model answers from the passages only and must cite them; it may read the status of `customer_id`'s own " +
          "orders and product facts. Send the signed-in shopper's id as `customer_id`: the order tool trusts it. " +
          '422 `no_knowledge` while the knowledge table is empty.',
        body: {
          type: 'object',
          required: ['question'],
          additionalProperties: false,
          properties: {
            question: questionField('Where is my order?'),
            customer_id: {
              type: 'string',
              minLength: 1,
              description: 'the signed-in shopper: their latest order fills {{Order Number}}',
              examples: ['12347'],
            },
          },
          examples: [{ question: 'Where is my order?', customer_id: '12347' }],
        },
        response: {
          200: SUPPORT_ANSWER,
          400: ERROR_BODY_SCHEMA,
          422: ERROR_BODY_SCHEMA,
          503: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req) => {
      const body = req.body as { question: string; customer_id?: string };
      try {
        const { usage, ...rest } = await support.answer(body.question, body.customer_id);
        // The question is echoed with personal data masked: answers are logged and shown to staff.
        return { ...rest, question: maskPii(rest.question), ...usageField(usage) };
      } catch (err) {
        if (err instanceof AskError) throw httpError(400, 'invalid_request', err.message);
        if (err instanceof EmptyKnowledgeError) throw httpError(422, 'no_knowledge', err.message);
        // The embeddings endpoint failed while the index was built (the worker re-raises it by name).
        if (err instanceof Error && err.name === 'LlmError')
          throw httpError(503, 'model_unavailable', err.message);
        throw err;
      }
    },
  );
};
