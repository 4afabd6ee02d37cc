/**
 * @module cli/commands/import
 * `shopsight import <file-or-folder> --preset <name>`: load a store's files into the warehouse.
 */
import { Command, Option } from 'commander';
import { inflateAhead } from '../../ingest/inflate-ahead.js';
import { PRESET_NAMES, presetFor } from '../../ingest/presets/index.js';
import { pseudonymKeyFromEnv, PSEUDONYM_KEY_ENV } from '../../ingest/pseudonymise.js';
import type { ImportSummary } from '../../ingest/summary.js';
import { importSource } from '../../warehouse/import/import-source.js';
import { isClickHouseLocation, openClickHouse, resolveDbLocation } from '../../warehouse/open.js';
import { dbOption, formatTable, jsonOption, printJson, suggest, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';

interface ImportOptions {
  preset: string;
  mapping?: string;
  db?: string;
  json?: boolean;
  pseudonymise?: boolean;
}

export function importCommand(): Command {
  return new Command('import')
    .description('import a file or a folder (CSV, CSV.gz, JSON Lines, Parquet) into the canonical tables')
    .argument('<path>', 'file or folder to import')
    .addOption(
      new Option('--preset <name>', 'source layout').choices([...PRESET_NAMES]).makeOptionMandatory(),
    )
    .option('--mapping <file>', 'YAML/JSON mapping for --preset generic (see README: writing a mapping)')
    .option(
      '--pseudonymise',
      `replace customer ids and e-mails by keyed HMAC pseudonyms (key in $${PSEUDONYM_KEY_ENV})`,
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (path: string, opts: ImportOptions) => {
      const summary = await runImport(path, opts);
      if (opts.json) printJson(summary);
      else process.stdout.write(renderImportSummary(summary) + '\n');
    });
}

export async function runImport(path: string, opts: ImportOptions): Promise<ImportSummary> {
  const preset = presetFor(opts.preset, opts.mapping);
  const pseudonymKey = opts.pseudonymise ? pseudonymKeyFromEnv() : undefined;
  const location = resolveDbLocation(opts.db);
  if (isClickHouseLocation(location)) {
    // Loaded only for a cluster: it brings the ClickHouse client, which a DuckDB import never uses.
    const { importIntoClickHouse } = await import('../../warehouse/import/import-into-clickhouse.js');
    const ch = await openClickHouse(location);
    try {
      return await importIntoClickHouse(ch, {
        target: path,
        preset,
        ...(pseudonymKey ? { pseudonymKey } : {}),
      });
    } finally {
      await ch.close();
    }
  }
  // A .gz is decompressed and checked while the database opens, not after (ingest/inflate-ahead.ts).
  const inflated = inflateAhead(path, preset);
  try {
    return await withWarehouse(
      opts.db,
      async (wh) => {
        const progress = startProgress(wh, 'import');
        try {
          return await importSource(wh, {
            target: path,
            preset,
            inflated,
            ...(pseudonymKey ? { pseudonymKey } : {}),
            onStep: (s, i, n) => progress.step(s, i, n, stepOrdinal(s, i, n), 3 * n),
          });
        } finally {
          progress.stop();
        }
      },
      { create: true, viaServer: 'POST /v1/admin/import' },
    );
  } finally {
    await inflated.dispose();
  }
}

/** Each file is read and validated (phase 1, file by file), then written (phase 2). */
function stepOrdinal(step: string, index: number, count: number): number {
  if (step === 'writing') return 2 * count + index;
  return 2 * index + (step === 'validating' ? 1 : 0);
}

export function renderImportSummary(s: ImportSummary): string {
  const lines = [
    `Imported ${s.target} (preset ${s.preset}) into ${s.database} in ${s.elapsedSeconds.toFixed(2)} s`,
    `rows read ${fmt(s.rowsRead)} = imported ${fmt(s.rowsImported)} + quarantined ${fmt(s.rowsQuarantined)}` +
      (s.pseudonymised ? ' (personal ids pseudonymised)' : ''),
    '',
    formatTable(
      ['table', 'written', 'total'],
      Object.entries(s.tables).map(([t, c]) => [t, c.written, c.total]),
    ),
  ];
  const withOrders = s.files.filter((f) => f.statusTimes).length;
  const untimed = s.files.filter((f) => f.statusTimes === 'ordered_at').length;
  if (untimed) {
    lines.push(
      '',
      `order status times: ${untimed === withOrders ? 'not in the source' : `not in ${untimed} of ${withOrders} order files`}; ` +
        'each status is taken as known when the order was placed (a change seen by a later import is dated then)',
    );
  }
  const reasons = Object.entries(s.quarantinedByReason);
  if (reasons.length) {
    // `shopsight quarantine` reads either engine's quarantine table.
    lines.push('', `quarantined rows by reason (see ${suggest('quarantine', s.database)}):`);
    lines.push(formatTable(['reason', 'rows'], reasons));
  }
  if (s.files.length > 1) {
    lines.push(
      '',
      formatTable(
        ['file', 'frame', 'read', 'imported', 'quarantined'],
        s.files.map((f) => [f.source, f.frame, f.rowsRead, f.rowsImported, f.rowsQuarantined]),
      ),
    );
  }
  if (s.skippedFiles.length) lines.push('', `skipped (no mapping for them): ${s.skippedFiles.join(', ')}`);
  if (s.warnings.length)
    lines.push('', 'WARNINGS (imported, but check these):', ...s.warnings.map((w) => `- ${w}`));
  return lines.join('\n');
}

const fmt = (n: number): string => n.toLocaleString('en-US');
