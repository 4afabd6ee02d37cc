import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-support-'));
const db = join(dir, 'shop.duckdb');
const cli = (...args: string[]) =>
  run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db],
    {
      env: { ...process.env, SHOPSIGHT_LLM_BASE_URL: '', SHOPSIGHT_SHOP_NAME: 'Mug & Candle' },
    },
  );

beforeAll(async () => {
  const rows = [
    'instruction,category,intent,response',
    'where is my order,ORDER,track_order,"Track it on {{Website Name}} under {{Order History}}."',
    'track my parcel,ORDER,track_order,"Track it on {{Website Name}} under {{Order History}}."',
    'when does my order arrive,ORDER,track_order,"Track it on {{Website Name}} under {{Order History}}."',
    'cancel my order,ORDER,cancel_order,"Press {{Cancel Order}}."',
    'i want to cancel the order,ORDER,cancel_order,"Press {{Cancel Order}}."',
    'stop my purchase,ORDER,cancel_order,"Press {{Cancel Order}}."',
  ];
  writeFileSync(join(dir, 'kb.csv'), rows.join('\n') + '\n');
  await cli('import', join(dir, 'kb.csv'), '--preset', 'bitext');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shopsight support', () => {
  it('answers one question with its source and says it ran retrieval-only', async () => {
    const { stdout } = await cli('support', 'where is my order?');
    expect(stdout.split('\n')[0]).toBe('Track it on Mug & Candle under Order History.');
    expect(stdout).toMatch(/intent: track_order/);
    expect(stdout).toMatch(/sources: \[doc:track_order:\d+\] where is my order/);
    expect(stdout).toMatch(/note: no language model is set/);
  });

  it('--batch writes the columns question, intent, confidence, answer, sources, handed_over', async () => {
    writeFileSync(join(dir, 'q.csv'), 'question\nhow do I cancel my order\ncan I speak to a human please\n');
    await cli('support', '--batch', join(dir, 'q.csv'), '--out', join(dir, 'a.csv'));
    const lines = readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('question,intent,confidence,answer,sources,handed_over');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^how do I cancel my order,cancel_order,0\.\d{4},Press Cancel Order\.,cancel_order:\d+,false$/,
    );
    expect(lines[2]).toMatch(/,true$/);
  });

  it('prints the question with personal data masked, as asked with --show-personal', async () => {
    writeFileSync(join(dir, 'p.csv'), 'question\nwhere is my order? mail me at ann@example.com\n');
    await cli('support', '--batch', join(dir, 'p.csv'), '--out', join(dir, 'p-out.csv'));
    expect(readFileSync(join(dir, 'p-out.csv'), 'utf8')).toMatch(
      /^where is my order\? mail me at \[EMAIL\],track_order,/m,
    );
    await cli('support', '--batch', join(dir, 'p.csv'), '--out', join(dir, 'p-out.csv'), '--show-personal');
    expect(readFileSync(join(dir, 'p-out.csv'), 'utf8')).toMatch(
      /^where is my order\? mail me at ann@example\.com,track_order,/m,
    );
  });

  it('refuses a batch file without a question column, naming it, and an empty --customer', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'text\nhello\n');
    const err = (await cli('support', '--batch', join(dir, 'bad.csv'), '--out', join(dir, 'x.csv')).catch(
      (e: unknown) => e,
    )) as { stderr: string };
    expect(err.stderr).toMatch(/bad\.csv:1: no column named question \(the header has text\)/);
    const empty = (await cli('support', 'Where is my order?', '--customer', ' ').catch(
      (e: unknown) => e,
    )) as { stderr: string };
    expect(empty.stderr).toMatch(/--customer: the customer id is empty/);
  });
});
