/**
 * @module cli/commands/start
 * `shopsight start` (what `npm start` runs): the dashboard on the bundled sample store in one
 * command. Imports the Online Retail sample when the store has no orders; trains what has no
 * promoted model (the recommender as item-kNN, the fastest one that personalises, seconds; the
 * customer models) and scores every customer, each with a progress bar; then serves the API and the
 * dashboard with a read key made for this browser session, and prints the address with the key in
 * its fragment (never sent to the server, never logged). The session key is revoked at shutdown.
 *
 * When it trained the fast recommender, the server then trains `auto` in the background (every
 * candidate compared within the default budget, in a worker thread) and serves the winner only when
 * its validation NDCG@10 is not below item-kNN's: the Models page shows the job's progress and the
 * decision. The dashboard is usable meanwhile.
 *
 * A second start on the same store finds the orders and models there and serves within seconds.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { scoreAndStoreCustomers } from '../../registry/score-customers.js';
import { trainAndRegister, type TrainingTask } from '../../registry/training.js';
import { startServer } from '../../server/serve.js';
import { createApiKey, revokeApiKey } from '../../warehouse/api-keys.js';
import { storeRange } from '../../warehouse/analytics/store-range.js';
import { findModel } from '../../warehouse/model-store.js';
import { resolveDbLocation } from '../../warehouse/open.js';
import { countCustomerPredictions } from '../../warehouse/predictions-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { dbOption, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import { SAMPLE_STORE } from './demo.js';
import { renderImportSummary, runImport } from './import.js';

/** The recommender `start` trains when none is promoted: item-kNN fits the sample in seconds. */
export const START_RECOMMENDER = 'item-knn';

async function train(wh: Warehouse, task: TrainingTask): Promise<void> {
  const progress = startProgress(wh, `train ${task}`);
  try {
    const options = task === 'recommend' ? { model: START_RECOMMENDER } : {};
    const r = await trainAndRegister(wh, task, options, (label, i, n) => progress.step(label, 0, 1, i, n));
    process.stderr.write(`trained and promoted ${r.models.map((m) => m.modelId).join(', ')}\n`);
  } finally {
    progress.stop();
  }
}

/**
 * Trains and scores what the store lacks; returns the session's read key and the tasks it trained
 * with a fast first model (to improve in the background).
 */
export async function prepareStore(
  db: string | undefined,
): Promise<{ keyId: string; key: string; trainedFast: TrainingTask[] }> {
  const location = resolveDbLocation(db);
  const hasOrders =
    existsSync(location) && (await withWarehouse(db, async (wh) => (await storeRange(wh)).orders > 0));
  if (!hasOrders) {
    process.stderr.write(`importing the sample store (UCI Online Retail) into ${location}\n`);
    const summary = await runImport(SAMPLE_STORE, { preset: 'online-retail', db });
    process.stderr.write(renderImportSummary(summary) + '\n');
  }
  return withWarehouse(db, async (wh) => {
    const trainedFast: TrainingTask[] = [];
    if (!(await findModel(wh, 'recommend', 'promoted'))) {
      await train(wh, 'recommend');
      trainedFast.push('recommend');
    }
    if (!(await findModel(wh, 'churn', 'promoted'))) await train(wh, 'customers');
    if ((await countCustomerPredictions(wh)) === 0) {
      const progress = startProgress(wh, 'score customers');
      try {
        const rows = await scoreAndStoreCustomers(wh, (label, i, n) => progress.step(label, 0, 1, i, n));
        process.stderr.write(`${rows.length.toLocaleString('en-US')} customers scored\n`);
      } finally {
        progress.stop();
      }
    }
    const made = await createApiKey(wh, { role: 'read', name: 'dashboard session (shopsight start)' });
    return { keyId: made.record.keyId, key: made.key, trainedFast };
  });
}

export function startCommand(): Command {
  return new Command('start')
    .description(
      'import the sample store if empty, train what has no promoted model, then serve the API and the dashboard and print its address',
    )
    .addOption(dbOption())
    .addOption(
      new Option('--port <n>', 'port (0: any free one)')
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0 || n > 65535)
            throw new InvalidArgumentError(`--port must be 0-65535, got '${v}'`);
          return n;
        })
        .default(8080),
    )
    .addOption(new Option('--host <addr>', 'address to listen on').default('127.0.0.1'))
    .action(async (opts: { db?: string; port: number; host: string }) => {
      const session = await prepareStore(opts.db);
      const dbPath = resolveDbLocation(opts.db);
      const server = await startServer({
        dbPath,
        port: opts.port,
        host: opts.host,
        logLevel: 'warn',
        improveInBackground: session.trainedFast,
      });
      process.stderr.write(
        [
          '',
          `Shopsight is ready. Open the dashboard:`,
          `  ${server.url}/#key=${session.key}`,
          `(a read key for this session, revoked when you stop with Ctrl+C; API reference: ${server.url}/docs)`,
          ...(session.trainedFast.length
            ? [
                `Training better models in the background (${session.trainedFast.join(', ')}); the Models page shows progress, and a winner is served when it is not worse.`,
              ]
            : []),
          ...(server.bootstrapKey
            ? [`Admin key (shown once; promote/rollback models with it): ${server.bootstrapKey}`]
            : []),
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          server
            .close()
            .then(() => withWarehouse(opts.db, (wh) => revokeApiKey(wh, session.keyId)))
            .then(
              () => resolve(),
              (err: unknown) => {
                process.stderr.write(`shopsight start: shutdown failed: ${String(err)}\n`);
                process.exitCode = 1;
                resolve();
              },
            );
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
