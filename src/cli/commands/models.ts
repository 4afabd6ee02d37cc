/**
 * @module cli/commands/models
 * `shopsight models [list|promote|rollback]`: the model registry - what was trained, on what, how it
 * scored, which version serves.
 */
import { Command } from 'commander';
import { listModels, promoteModel, rollbackModel } from '../../registry/registry.js';
import type { ModelRecord } from '../../schema/models.js';
import { dbOption, formatTable, jsonOption, printJson, suggest, withWarehouse } from '../context.js';

function headline(metrics: Record<string, unknown>): string {
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, 3)
    .map(([k, v]) => `${k} ${(v as number).toFixed(4)}`)
    .join(', ');
}

function print(records: readonly ModelRecord[]): void {
  process.stdout.write(
    formatTable(
      ['model', 'kind', 'status', 'trained', 'size', 'metrics'],
      records.map((m) => [
        m.modelId,
        m.kind,
        m.status,
        m.createdAt,
        `${(m.bytes / 1024).toFixed(0)} KiB`,
        headline(m.metrics),
      ]),
    ) + '\n',
  );
}

export function modelsCommand(): Command {
  const cmd = new Command('models').description('list, promote and roll back trained models');
  cmd
    .command('list', { isDefault: true })
    .description('every stored model, or one task with [task]')
    .argument('[task]', 'only this task (churn, propensity, clv, recommend, ...)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (task: string | undefined, opts: { db?: string; json?: boolean }) => {
      const records = await withWarehouse(opts.db, (wh) => listModels(wh, task), {
        viaServer: 'GET /v1/models',
        clickhouse: true,
      });
      if (opts.json) return printJson(records);
      if (!records.length) {
        process.stdout.write(
          `no models yet: train one with ${suggest('train customers', opts.db)} or ${suggest('train recommend', opts.db)}\n`,
        );
      } else print(records);
    });
  cmd
    .command('promote')
    .description('serve this version of a task')
    .argument('<task>')
    .argument('<version>', 'version number', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`version must be a positive integer, got '${v}'`);
      return n;
    })
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (task: string, version: number, opts: { db?: string; json?: boolean }) => {
      const m = await withWarehouse(opts.db, (wh) => promoteModel(wh, task, version), {
        viaServer: 'POST /v1/admin/promote',
        clickhouse: true,
      });
      if (opts.json) return printJson(m);
      process.stdout.write(`${m.modelId} is now promoted\n`);
    });
  cmd
    .command('rollback')
    .description('serve the version before the promoted one')
    .argument('<task>')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (task: string, opts: { db?: string; json?: boolean }) => {
      const m = await withWarehouse(opts.db, (wh) => rollbackModel(wh, task), {
        viaServer: 'POST /v1/admin/rollback',
        clickhouse: true,
      });
      if (opts.json) return printJson(m);
      process.stdout.write(`rolled back: ${m.modelId} is now promoted\n`);
    });
  return cmd;
}
