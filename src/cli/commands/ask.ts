/**
 * @module cli/commands/ask
 * `shopsight ask "question"`: a question about the shop's data, answered with the SQL, the result
 * table and a one-line summary (docs/assistant.md). `--confirm` stores the question and its SQL as
 * an example the model sees for later questions.
 */
import { Command, Option } from 'commander';
import { askData, type AskAnswer } from '../../assistant/ask/ask.js';
import { LlmClient } from '../../assistant/llm/client.js';
import { readLlmConfig } from '../../assistant/llm/config.js';
import { saveAskExample } from '../../warehouse/ask/examples-store.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

interface AskOptions {
  db?: string;
  json?: boolean;
  confirm?: boolean;
  maxRows: string;
}

export function askCommand(): Command {
  return new Command('ask')
    .description(
      'ask the shop data a question in plain language: checked read-only SQL, result table, summary',
    )
    .argument('<question>', 'e.g. "Which country lost the most repeat customers last quarter?"')
    .option('--confirm', 'store this question and its SQL as an example for later questions')
    .addOption(new Option('--max-rows <n>', 'rows shown at most').default('50'))
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (question: string, opts: AskOptions) => {
      const maxRows = Number(opts.maxRows);
      if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > 10_000) {
        throw new Error(`--max-rows: '${opts.maxRows}' is not a whole number from 1 to 10000`);
      }
      const config = readLlmConfig();
      const answer = await withWarehouse(opts.db, async (wh) => {
        const a = await askData(wh, question, { ...(config ? { llm: new LlmClient(config) } : {}), maxRows });
        if (opts.confirm) await saveAskExample(wh, { question: a.question, sql: a.sql });
        return a;
      });
      if (opts.json) return printJson({ ...answer, confirmed: Boolean(opts.confirm) });
      process.stdout.write(renderAnswer(answer, Boolean(opts.confirm)) + '\n');
    });
}

export function renderAnswer(a: AskAnswer, confirmed: boolean): string {
  const cell = (v: unknown): string | number =>
    v instanceof Date
      ? v.toISOString().slice(0, 19).replace('T', ' ')
      : typeof v === 'number'
        ? v
        : String(v ?? '');
  return [
    a.summary,
    '',
    formatTable(
      a.columns.map((c) => c.name),
      a.rows.map((r) => a.columns.map((c) => cell(r[c.name]))),
    ),
    a.truncated ? `(more rows than the ${a.rows.length} shown)` : '',
    '',
    `SQL (${a.mode === 'model' ? 'written by the model' : `template ${a.template}`}, checked, run read-only):`,
    a.sql,
    ...a.notes.map((n) => `note: ${n}`),
    ...(a.usage ? [`tokens: ${a.usage.promptTokens} prompt + ${a.usage.completionTokens} completion`] : []),
    ...(confirmed ? ['stored as an example for later questions'] : []),
  ]
    .filter((l, i, all) => l !== '' || all[i - 1] !== '')
    .join('\n');
}
