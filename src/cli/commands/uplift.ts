/**
 * @module cli/commands/uplift
 * `shopsight uplift score --campaign C --file customers.csv --out scored.csv [--treatment V]`:
 * scores customers who are not in the store with the promoted `uplift:<C>` model. The CSV needs the
 * feature columns the model was trained on; the output has one row per input row, in order: the
 * input's columns, then `uplift` (of the named treatment, else the best) and `best_treatment`.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { csvRow } from '../../core/csv.js';
import { loadModel } from '../../registry/registry.js';
import { requiredColumns } from '../../tasks/marketing/contact-features.js';
import { scoreRecords } from '../../tasks/marketing/target.js';
import { readUpliftArtifact, upliftTask } from '../../tasks/marketing/train-uplift.js';
import { openWarehouse } from '../../warehouse/open.js';
import { readRecordFile } from '../../warehouse/record-file.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';

interface Options {
  campaign: string;
  file: string;
  out: string;
  treatment?: string;
  db?: string;
  json?: boolean;
}

export function upliftCommand(): Command {
  const cmd = new Command('uplift').description('uplift models: score customers from a file');
  cmd.addCommand(
    new Command('score')
      .description(
        "score a CSV of customers (the model's feature columns) with a campaign's promoted uplift model",
      )
      .requiredOption('--campaign <id>', 'the campaign whose promoted uplift model scores')
      .requiredOption('--file <csv>', 'customers to score, one per line, with the feature columns')
      .requiredOption(
        '--out <csv>',
        'the input columns plus uplift and best_treatment, one row per input row, in order',
      )
      .option('--treatment <variant>', 'the uplift of this treatment (default: of the best one)')
      .addOption(dbOption())
      .addOption(jsonOption())
      .action(async (opts: Options) => {
        const { model, meta } = await withWarehouse(opts.db, async (wh) =>
          readUpliftArtifact((await loadModel(wh, upliftTask(opts.campaign))).artifact),
        );
        // A scratch engine reads the file: no canonical tables are needed.
        const scratch = await openWarehouse(':memory:', { migrations: [] });
        const file = await readRecordFile(scratch, opts.file, requiredColumns(meta.encoding)).finally(() =>
          scratch.close(),
        );
        const scored = scoreRecords(
          model,
          meta,
          file.records,
          (i) => `${opts.file}:${file.lines[i]}`,
          opts.treatment,
        );
        const lines = [csvRow([...file.header, 'uplift', 'best_treatment'])];
        file.records.forEach((r, i) => {
          lines.push(
            csvRow([...file.header.map((h) => r[h]!), scored.uplift[i]!.toFixed(6), scored.best[i]!]),
          );
        });
        writeFileSync(opts.out, lines.join('\n') + '\n');
        const summary = {
          out: opts.out,
          rows: file.records.length,
          treatment: opts.treatment ?? 'best',
          model: meta.method,
        };
        if (opts.json) return printJson(summary);
        process.stdout.write(
          `${opts.out}: ${file.records.length.toLocaleString('en-US')} rows scored (uplift of ${opts.treatment ? `'${opts.treatment}'` : 'the best treatment'}, ${meta.method}, outcome ${meta.outcome})\n`,
        );
      }),
  );
  return cmd;
}
