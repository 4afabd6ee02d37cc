import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getPreset } from '../../ingest/presets/index.js';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import { importSource } from './import-source.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-knowledge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('knowledge presets', () => {
  it('bitext: one FAQ entry per row, intent and category kept, placeholders as written', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    const path = file(
      'bitext.csv',
      [
        'flags,instruction,category,intent,response',
        'B,where is my order,ORDER,track_order,"Your order {{Order Number}} is on its way.',
        'Track it here: {{Tracking URL}}"',
        'B,i want a refund,REFUND,get_refund,"I can help with a refund."',
      ].join('\n'),
    );
    const s = await importSource(wh, { target: path, preset: getPreset('bitext') });
    expect([s.rowsRead, s.rowsImported, s.rowsQuarantined]).toEqual([2, 2, 0]);
    expect(
      await wh.rows('SELECT doc_id, kind, question, answer, intent, tags FROM knowledge ORDER BY doc_id'),
    ).toEqual([
      {
        doc_id: 'get_refund:3',
        kind: 'faq',
        question: 'i want a refund',
        answer: 'I can help with a refund.',
        intent: 'get_refund',
        tags: 'REFUND',
      },
      {
        doc_id: 'track_order:2',
        kind: 'faq',
        question: 'where is my order',
        answer: 'Your order {{Order Number}} is on its way.\nTrack it here: {{Tracking URL}}',
        intent: 'track_order',
        tags: 'ORDER',
      },
    ]);
    await wh.close();
  });

  it('bitext: a file without the response column is refused by name, and nothing is stored', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    const path = file(
      'no-response.csv',
      'instruction,category,intent\nwhere is my order,ORDER,track_order\n',
    );
    await expect(importSource(wh, { target: path, preset: getPreset('bitext') })).rejects.toThrow(
      /no-response\.csv.*response/,
    );
    expect(await wh.rows('SELECT count(*) AS n FROM knowledge')).toEqual([{ n: 0 }]);
    await wh.close();
  });

  it('faq Markdown: one entry per heading with its answer; titles are not entries; text before the first heading is quarantined', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    const path = file(
      'faq.md',
      [
        'Our help page.',
        '# Shipping',
        '',
        '## How long does delivery take?',
        'Two to four working days in the UK.',
        '',
        'Abroad: up to ten days.',
        '## Can I return an item? ##',
        'Yes, within 30 days.',
      ].join('\n'),
    );
    const s = await importSource(wh, { target: path, preset: getPreset('faq') });
    expect([s.rowsImported, s.rowsQuarantined]).toEqual([2, 1]);
    expect(await wh.rows('SELECT doc_id, question, answer FROM knowledge ORDER BY question')).toEqual([
      { doc_id: 'Can I return an item?', question: 'Can I return an item?', answer: 'Yes, within 30 days.' },
      {
        doc_id: 'How long does delivery take?',
        question: 'How long does delivery take?',
        answer: 'Two to four working days in the UK.\nAbroad: up to ten days.',
      },
    ]);
    expect(await wh.rows('SELECT line, reason FROM quarantine')).toEqual([
      { line: 1, reason: 'malformed_row' },
    ]);
    await wh.close();
  });

  it('faq CSV: question and answer, intent optional; a missing answer column is refused', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    const ok = file('faq.csv', 'question,answer,intent\nDo you ship to France?,Yes.,shipping\n');
    await importSource(wh, { target: ok, preset: getPreset('faq') });
    expect(await wh.rows('SELECT question, answer, intent FROM knowledge')).toEqual([
      { question: 'Do you ship to France?', answer: 'Yes.', intent: 'shipping' },
    ]);
    const bad = file('faq-bad.csv', 'question,intent\nDo you ship?,shipping\n');
    await expect(importSource(wh, { target: bad, preset: getPreset('faq') })).rejects.toThrow(
      /faq-bad\.csv.*answer/,
    );
    expect(await wh.rows('SELECT count(*) AS n FROM knowledge')).toEqual([{ n: 1 }]);
    await wh.close();
  });
});
