/**
 * @module cli/commands/support
 * `shopsight support "question" [--customer C]`: a shopper's question answered from the knowledge
 * table with its sources, or handed over with the reason (docs/assistant.md). `--batch FILE --out
 * FILE` answers every row of a CSV's `question` column into a CSV with the columns question,
 * intent, confidence, answer, sources, handed_over. The question is printed with personal data
 * masked (ml/text/pii.ts) unless `--show-personal`; it is answered as asked.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { csvRow } from '../../core/csv.js';
import { LlmClient } from '../../assistant/llm/client.js';
import { readLlmConfig } from '../../assistant/llm/config.js';
import { handoverPolicyFromEnv } from '../../assistant/support/handover.js';
import { shopFactsFromEnv } from '../../assistant/support/placeholders.js';
import { SupportAssistant, type SupportAnswer } from '../../assistant/support/support.js';
import { maskPii } from '../../ml/text/pii.js';
import { readQuestionFile } from '../../warehouse/question-file.js';
import { dbOption, jsonOption, printJson, showPersonalOption, withWarehouse } from '../context.js';

interface SupportOptions {
  db?: string;
  json?: boolean;
  customer?: string;
  batch?: string;
  out?: string;
  showPersonal?: boolean;
}

export const BATCH_COLUMNS = [
  'question',
  'intent',
  'confidence',
  'answer',
  'sources',
  'handed_over',
] as const;

export function supportCommand(): Command {
  return new Command('support')
    .description("answer a shopper's question from the knowledge table, with sources, or hand it over")
    .argument('[question]', 'e.g. "Where is my order?"')
    .option(
      '--customer <id>',
      'the asking customer (their orders fill {{Order Number}}; the order tool reads only theirs)',
    )
    .option('--batch <file>', 'a CSV with a question column: answer every row (needs --out)')
    .option('--out <file>', 'where --batch writes its answers (CSV)')
    .addOption(showPersonalOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (question: string | undefined, opts: SupportOptions) => {
      if (opts.batch && !opts.out) throw new Error('--batch needs --out FILE');
      if (!opts.batch && question === undefined)
        throw new Error('give a question, or --batch FILE --out FILE');
      if (opts.batch && question !== undefined) throw new Error('give a question or --batch, not both');
      if (opts.customer !== undefined && !opts.customer.trim())
        throw new Error(
          '--customer: the customer id is empty (leave --customer out for a shopper not signed in)',
        );
      const config = readLlmConfig();
      const options = {
        ...(config ? { llm: new LlmClient(config) } : {}),
        shop: shopFactsFromEnv(),
        policy: handoverPolicyFromEnv(),
      };
      const shown = (a: SupportAnswer): SupportAnswer =>
        opts.showPersonal ? a : { ...a, question: maskPii(a.question) };
      await withWarehouse(opts.db, async (wh) => {
        const questions = opts.batch ? await readQuestionFile(wh, opts.batch) : undefined;
        const assistant = await SupportAssistant.build(wh, options);
        if (questions) {
          const lines = [csvRow([...BATCH_COLUMNS])];
          let handed = 0;
          for (const [i, q] of questions.entries()) {
            const a = shown(
              await assistant.answer(wh, q, opts.customer).catch((err: Error) => {
                throw new Error(`${opts.batch}:${i + 2}: ${err.message}`);
              }),
            );
            if (a.handed_over) handed++;
            lines.push(
              csvRow([
                a.question,
                a.intent ?? '',
                a.confidence.toFixed(4),
                a.answer,
                a.sources.map((s) => s.doc_id).join(' '),
                String(a.handed_over),
              ]),
            );
          }
          writeFileSync(opts.out!, lines.join('\n') + '\n');
          process.stderr.write(
            `answered ${questions.length} questions (${handed} handed over) into ${opts.out}\n`,
          );
          return;
        }
        const a = shown(await assistant.answer(wh, question!, opts.customer));
        if (opts.json) printJson(a);
        else process.stdout.write(renderSupport(a) + '\n');
      });
    });
}

function renderSupport(a: SupportAnswer): string {
  return [
    a.answer,
    '',
    `intent: ${a.intent ?? 'unknown'} (${a.confidence.toFixed(2)})`,
    a.handed_over
      ? `handed over: ${a.handover_reason}`
      : `sources: ${a.sources.map((s) => `[doc:${s.doc_id}] ${s.question}`).join('; ')}`,
    ...a.notes.map((n) => `note: ${n}`),
  ].join('\n');
}
