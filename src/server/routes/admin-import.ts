/**
 * @module server/routes/admin-import
 * `POST /v1/admin/import` (admin): what `shopsight import` does, while the server owns the database.
 * The file or folder is read from the server's own disk (a relative path from the server's working
 * folder); the import runs on the write connection through importSource, so it commits whole or not
 * at all, and other writes (events, upserts) wait in line meanwhile. The answer is its summary.
 */
import { resolve } from 'node:path';
import { ImportError } from '../../ingest/errors.js';
import { PRESET_NAMES, presetFor } from '../../ingest/presets/index.js';
import type { Preset } from '../../ingest/mapping.js';
import { pseudonymKeyFromEnv, type PseudonymKey } from '../../ingest/pseudonymise.js';
import type { FileImportSummary, ImportSummary } from '../../ingest/summary.js';
import { importSource } from '../../warehouse/import/import-source.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { eventIngestOf } from './events.js';
import type { RoutePlugin } from './route-plugin.js';

interface ImportBody {
  readonly path: string;
  readonly preset: string;
  readonly mapping?: string;
  readonly pseudonymise?: boolean;
}

function fileJson(f: FileImportSummary): Record<string, unknown> {
  return {
    source: f.source,
    format: f.format,
    frame: f.frame,
    rows_read: f.rowsRead,
    rows_imported: f.rowsImported,
    rows_quarantined: f.rowsQuarantined,
    quarantined_by_reason: f.quarantinedByReason,
    status_times: f.statusTimes ?? null,
    warnings: f.warnings,
  };
}

export function importSummaryJson(s: ImportSummary): Record<string, unknown> {
  return {
    import_id: s.importId,
    preset: s.preset,
    target: s.target,
    database: s.database,
    rows_read: s.rowsRead,
    rows_imported: s.rowsImported,
    rows_quarantined: s.rowsQuarantined,
    quarantined_by_reason: s.quarantinedByReason,
    tables: s.tables,
    files: s.files.map(fileJson),
    skipped_files: s.skippedFiles,
    warnings: s.warnings,
    pseudonymised: s.pseudonymised,
    elapsed_seconds: s.elapsedSeconds,
  };
}

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export const adminImportRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    '/v1/admin/import',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary: "Import a file or folder from the server's disk into the store",
        description:
          'As `shopsight import PATH --preset NAME [--mapping FILE] [--pseudonymise]`. Rows that fail a check go to ' +
          'the quarantine with their reason; the invariant read = imported + quarantined holds per file. A file ' +
          'that cannot be imported at all is refused with 422 naming the file, line and reason, and nothing is written.',
        body: {
          type: 'object',
          required: ['path', 'preset'],
          additionalProperties: false,
          properties: {
            path: {
              type: 'string',
              minLength: 1,
              description:
                "file or folder on the server's machine (relative: from the server's working folder)",
              examples: ['fixtures/online-retail/online_retail.csv.gz'],
            },
            preset: { type: 'string', enum: [...PRESET_NAMES], examples: ['online-retail'] },
            mapping: {
              type: 'string',
              minLength: 1,
              description: 'YAML/JSON mapping file, with preset generic',
              examples: ['mappings/my-shop.yaml'],
            },
            pseudonymise: {
              type: 'boolean',
              description:
                "replace customer ids and e-mails by keyed pseudonyms (the key in the server's environment)",
              examples: [false],
            },
          },
          examples: [{ path: 'fixtures/online-retail/online_retail.csv.gz', preset: 'online-retail' }],
        },
        response: {
          200: {
            type: 'object',
            required: ['import_id', 'rows_read', 'rows_imported', 'rows_quarantined'],
            properties: {
              import_id: { type: 'string' },
              preset: { type: 'string' },
              target: { type: 'string' },
              database: { type: 'string' },
              rows_read: { type: 'integer' },
              rows_imported: { type: 'integer' },
              rows_quarantined: { type: 'integer' },
              quarantined_by_reason: COUNTS,
              tables: {
                type: 'object',
                additionalProperties: {
                  type: 'object',
                  properties: { written: { type: 'integer' }, total: { type: 'integer' } },
                },
              },
              files: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    source: { type: 'string' },
                    format: { type: 'string' },
                    frame: { type: 'string' },
                    rows_read: { type: 'integer' },
                    rows_imported: { type: 'integer' },
                    rows_quarantined: { type: 'integer' },
                    quarantined_by_reason: COUNTS,
                    status_times: { type: ['string', 'null'] },
                    warnings: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
              skipped_files: { type: 'array', items: { type: 'string' } },
              warnings: { type: 'array', items: { type: 'string' } },
              pseudonymised: { type: 'boolean' },
              elapsed_seconds: { type: 'number' },
            },
          },
          400: ERROR_BODY_SCHEMA,
          422: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req) => {
      const body = req.body as ImportBody;
      const field = (name: string, e: unknown): never => {
        const message = e instanceof Error ? e.message : String(e);
        throw httpError(400, 'invalid_request', `body.${name}: ${message}`, [{ path: `/${name}`, message }]);
      };
      let preset: Preset | undefined;
      try {
        preset = presetFor(body.preset, body.mapping === undefined ? undefined : resolve(body.mapping));
      } catch (e) {
        field('mapping', e); // the preset name itself is checked by the schema
      }
      let pseudonymKey: PseudonymKey | undefined;
      if (body.pseudonymise) {
        try {
          pseudonymKey = pseudonymKeyFromEnv();
        } catch (e) {
          field('pseudonymise', e);
        }
      }
      const target = resolve(body.path);
      try {
        const summary = await ctx.db.write((wh) =>
          importSource(wh, { target, preset: preset!, ...(pseudonymKey ? { pseudonymKey } : {}) }),
        );
        req.log.info(
          { import_id: summary.importId, target, rows_imported: summary.rowsImported, by: req.apiKey?.keyId },
          'import committed',
        );
        // The import may have added events: live ingest's memory of stored ids starts again.
        await eventIngestOf(ctx)?.eventsChanged();
        return importSummaryJson(summary);
      } catch (e) {
        if (e instanceof ImportError) {
          throw httpError(422, 'import_refused', e.message, {
            file: e.file,
            line: e.line ?? null,
            column: e.column ?? null,
            reason: e.reason,
          });
        }
        throw e;
      }
    },
  );
};
