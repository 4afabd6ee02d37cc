/**
 * @module cli/commands/reviews
 * `shopsight reviews score --file reviews.csv --out scored.csv`: scores every text of a CSV's
 * `review` column with the promoted sentiment model. The output has one row per input row, in
 * order, with the columns review, label (1 positive, 0 negative), probability, aspects (`aspect:+` or
 * `aspect:-` joined by `;`, from tasks/reviews/aspects.ts); a text that
 * cannot be scored keeps its row with label and probability empty, and its line and reason go to
 * stderr. The review column is written with personal data masked (e-mails, phones, ID and card
 * numbers, IPs, addresses: ml/text/pii.ts) unless `--show-personal`; scoring reads the text as is.
 */
import { createWriteStream } from 'node:fs';
import { Command, Option } from 'commander';
import { csvRow } from '../../core/csv.js';
import { maskPii } from '../../ml/text/pii.js';
import { loadSentimentModel } from '../../registry/sentiment-training.js';
import { extractAspects, formatAspects } from '../../tasks/reviews/aspects.js';
import { scoreSentiment } from '../../tasks/reviews/sentiment-model.js';
import { readTextColumn } from '../../warehouse/read-text-column.js';
import { dbOption, jsonOption, printJson, showPersonalOption, withWarehouse } from '../context.js';

interface ScoreOptions {
  file: string;
  out: string;
  column: string;
  showPersonal?: boolean;
  db?: string;
  json?: boolean;
}

export function reviewsCommand(): Command {
  const cmd = new Command('reviews').description('review sentiment: score files of texts');
  cmd.addCommand(
    new Command('score')
      .description('score a CSV of review texts with the promoted sentiment model')
      .addOption(new Option('--file <csv>', 'CSV with a header and a review column').makeOptionMandatory())
      .addOption(
        new Option('--out <csv>', 'where to write review, label, probability, aspects').makeOptionMandatory(),
      )
      .addOption(new Option('--column <name>', 'the text column').default('review'))
      .addOption(showPersonalOption())
      .addOption(dbOption())
      .addOption(jsonOption())
      .action(async (opts: ScoreOptions) => {
        const started = performance.now();
        const { texts, scores, modelId } = await withWarehouse(opts.db, async (wh) => {
          const { record, model } = await loadSentimentModel(wh);
          const texts = await readTextColumn(wh, opts.file, opts.column);
          return { texts, scores: scoreSentiment(model, texts), modelId: record.modelId };
        });
        const out = createWriteStream(opts.out);
        out.write(csvRow(['review', 'label', 'probability', 'aspects']) + '\n');
        const refused: { line: number; reason: string }[] = [];
        scores.forEach((s, i) => {
          // Line numbers as in the file: the header is line 1 (texts with newlines aside).
          if (s.reason) refused.push({ line: i + 2, reason: s.reason });
          const p = s.probability === null ? '' : s.probability.toFixed(4);
          // Aspects of a scored text (on the part scored, for a long one); none for a refused text.
          const aspects =
            s.reason === undefined ? formatAspects(extractAspects(texts[i]!.slice(0, 20_000))) : '';
          const shown = opts.showPersonal ? texts[i]! : maskPii(texts[i]!);
          out.write(csvRow([shown, s.label === null ? '' : String(s.label), p, aspects]) + '\n');
        });
        await new Promise<void>((resolve, reject) =>
          out.end((err?: Error | null) => (err ? reject(err) : resolve())),
        );
        const summary = {
          model: modelId,
          rows: texts.length,
          scored: texts.length - refused.length,
          cannotScore: refused.length,
          seconds: (performance.now() - started) / 1000,
          out: opts.out,
        };
        for (const r of refused.slice(0, 20))
          process.stderr.write(`${opts.file}:${r.line}: cannot score: ${r.reason}\n`);
        if (refused.length > 20)
          process.stderr.write(`... and ${refused.length - 20} more rows that cannot be scored\n`);
        if (opts.json) return printJson({ ...summary, cannotScoreRows: refused });
        process.stdout.write(
          `scored ${summary.scored.toLocaleString('en-US')} of ${summary.rows.toLocaleString('en-US')} texts with ${modelId} ` +
            `in ${summary.seconds.toFixed(1)} s -> ${opts.out}` +
            (refused.length ? ` (${refused.length} cannot be scored, kept with empty label)` : '') +
            '\n',
        );
      }),
  );
  return cmd;
}
