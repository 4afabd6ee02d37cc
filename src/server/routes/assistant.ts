/**
 * @module server/routes/assistant
 * The assistant's routes (docs/assistant.md). `POST /v1/assistant/ask` (admin): a question about
 * the shop's data, answered with the checked SQL, the rows and a summary, as `shopsight ask`. The
 * language model is the one set in the server's environment (SHOPSIGHT_LLM_*); without one the
 * built-in templates answer and the notes say so. The SQL runs in DuckDB's threads, read-only.
 * `POST /v1/assistant/copy` (read): campaign copy for an RFM segment, as `shopsight copy`.
 */
import { askData, AskError, MAX_QUESTION_CHARS } from '../../assistant/ask/ask.js';
import { campaignCopy, COPY_LANGUAGES, CopyError, type CopyLanguage } from '../../assistant/copy/copy.js';
import { RFM_SEGMENTS } from '../../warehouse/analytics/rfm-segments.js';
import { LlmClient } from '../../assistant/llm/client.js';
import { readLlmConfig } from '../../assistant/llm/config.js';
import { saveAskExample } from '../../warehouse/ask/examples-store.js';
import { SqlRunError, SqlTimeoutError } from '../../warehouse/ask/run-guarded.js';
import { SqlGuardError } from '../../warehouse/ask/sql-guard.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { snakeKeys } from '../snake-case.js';
import type { RoutePlugin } from './route-plugin.js';

const str = { type: 'string' } as const;

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
    usage: {
      type: 'object',
      properties: {
        prompt_tokens: { type: 'integer' },
        completion_tokens: { type: 'integer' },
        total_tokens: { type: 'integer' },
      },
    },
    confirmed: { type: 'boolean', description: 'stored as an example for later questions' },
  },
} as const;

export const assistantRoutes: RoutePlugin = (app, ctx) => {
  const config = readLlmConfig();
  const llm = config ? new LlmClient(config) : undefined;

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
            question: {
              type: 'string',
              minLength: 1,
              maxLength: MAX_QUESTION_CHARS,
              examples: ['Which country lost the most repeat customers last quarter?'],
            },
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
          await ctx.db.write((wh) => saveAskExample(wh, { question: a.question, sql: a.sql }));
        const { usage, ...rest } = a;
        return {
          ...rest,
          ...(usage
            ? {
                usage: {
                  prompt_tokens: usage.promptTokens,
                  completion_tokens: usage.completionTokens,
                  total_tokens: usage.totalTokens,
                },
              }
            : {}),
          confirmed: Boolean(body.confirm),
        };
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
        summary: 'A campaign message for an RFM segment, from its real figures and top products',
        description:
          'As `shopsight copy`. The figures (rfm summary of the segment, the products its customers bought most) are ' +
          'returned beside the subject and body; a template writes it without a model. 422 for a segment with no customer.',
        body: {
          type: 'object',
          required: ['segment'],
          additionalProperties: false,
          properties: {
            segment: { type: 'string', enum: [...RFM_SEGMENTS], examples: ['at_risk'] },
            lang: {
              type: 'string',
              enum: [...COPY_LANGUAGES],
              description: 'default en',
              examples: ['zh-CN'],
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
      const body = req.body as { segment: string; lang?: CopyLanguage };
      try {
        const c = await ctx.db.read((wh) => campaignCopy(wh, body.segment, body.lang ?? 'en', llm));
        const { usage: _usage, ...rest } = c;
        return snakeKeys(rest);
      } catch (err) {
        if (err instanceof CopyError) throw httpError(422, 'unanswerable', err.message);
        throw err;
      }
    },
  );
};
