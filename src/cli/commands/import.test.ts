import { describe, expect, it } from 'vitest';
import type { FileImportSummary, ImportSummary } from '../../ingest/summary.js';
import { renderImportSummary } from './import.js';

const file = (frame: string, statusTimes?: 'source' | 'ordered_at'): FileImportSummary => ({
  source: `/tmp/${frame}.csv`,
  format: 'csv',
  frame,
  rowsRead: 1,
  rowsImported: 1,
  rowsQuarantined: 0,
  quarantinedByReason: {},
  warnings: [],
  ...(statusTimes ? { statusTimes } : {}),
});

const summary = (files: FileImportSummary[]): ImportSummary => ({
  importId: 'imp_1',
  preset: 'shopsight',
  target: '/tmp',
  database: ':memory:',
  files,
  skippedFiles: [],
  rowsRead: files.length,
  rowsImported: files.length,
  rowsQuarantined: 0,
  quarantinedByReason: {},
  tables: {},
  warnings: files.flatMap((f) => f.warnings),
  pseudonymised: false,
  elapsedSeconds: 0.1,
});

describe('renderImportSummary', () => {
  it('says when order status times are not in the source, and how they are dated', () => {
    const text = renderImportSummary(summary([file('order_lines', 'ordered_at')]));
    expect(text).toContain(
      'order status times: not in the source; each status is taken as known when the order was placed',
    );
    const mixed = renderImportSummary(
      summary([file('products'), file('orders', 'ordered_at'), file('orders', 'source')]),
    );
    expect(mixed).toContain('order status times: not in 1 of 2 order files;');
    expect(renderImportSummary(summary([file('orders', 'source')]))).not.toContain('order status times');
  });

  it('lists the warnings of an import that completed but looks wrong', () => {
    const warned = { ...file('order_lines'), warnings: ['/tmp/order_lines.csv: column x holds NA'] };
    const text = renderImportSummary(summary([warned]));
    expect(text).toContain(
      'WARNINGS (imported, but check these):\n- /tmp/order_lines.csv: column x holds NA',
    );
    expect(renderImportSummary(summary([file('order_lines')]))).not.toContain('WARNINGS');
  });

  it('points at the quarantine command on both engines (the cluster location quoted for the shell)', () => {
    const quarantined = { ...summary([file('order_lines')]), quarantinedByReason: { invalid_number: 2 } };
    expect(renderImportSummary({ ...quarantined, database: '/tmp/x.duckdb' })).toContain(
      'quarantined rows by reason (see `npx shopsight quarantine --db /tmp/x.duckdb`):',
    );
    const onCluster = renderImportSummary({ ...quarantined, database: 'clickhouse://h:8123/shop?cluster=c' });
    expect(onCluster).toContain(
      "quarantined rows by reason (see `npx shopsight quarantine --db 'clickhouse://h:8123/shop?cluster=c'`):",
    );
  });
});
