import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRow } from '../../core/csv.js';
import { reviewCorpus } from '../../tasks/reviews/test-review-corpus.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-reviews-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args], {
    maxBuffer: 1 << 26,
  });

describe('shopsight train sentiment, reviews score', () => {
  it('imports labelled reviews, trains, then scores a file row by row in order, bad rows kept', async () => {
    const db = join(dir, 'r.duckdb');
    const { texts, labels } = reviewCorpus();
    const corpus = join(dir, 'corpus.csv');
    writeFileSync(
      corpus,
      ['review,label', ...texts.map((t, i) => csvRow([t, String(labels[i])]))].join('\n') + '\n',
    );
    await cli('import', corpus, '--preset', 'labelled-reviews', '--db', db);
    const trained = JSON.parse((await cli('train', 'sentiment', '--db', db, '--json')).stdout) as {
      model: { modelId: string };
      evaluation: { distinctTexts: number };
      scoring: { modelId: string; scored: number; cannotScore: number };
    };
    expect(trained.model.modelId).toBe('sentiment@1');
    expect(trained.evaluation.distinctTexts).toBe(texts.length);
    // Training scores the store's reviews with the promoted model for the insight.
    expect(trained.scoring).toMatchObject({ modelId: 'sentiment@1', scored: texts.length, cannotScore: 0 });

    const input = join(dir, 'in.csv');
    const out = join(dir, 'out.csv');
    writeFileSync(
      input,
      'id,review\n1,这件衣服质量很好\n2,"these socks: hate it, sadly"\n3,\n4,😀😀\n5,Отличный товар\n' +
        '6,"lovely mug, call me on 13812345678"\n',
    );
    const r = await cli('reviews', 'score', '--file', input, '--out', out, '--db', db, '--json');
    const summary = JSON.parse(r.stdout) as { rows: number; scored: number; cannotScore: number };
    expect(summary).toMatchObject({ rows: 6, scored: 3, cannotScore: 3 });
    expect(r.stderr).toContain(`${input}:4: cannot score: empty text`);
    expect(r.stderr).toContain(`${input}:6: cannot score: the text is written in Cyrillic script`);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('review,label,probability,aspects');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^这件衣服质量很好,1,0\.\d{4},质量:\+$/);
    expect(lines[2]).toMatch(/^"these socks: hate it, sadly",0,0\.\d{4},$/);
    expect(lines[3]).toBe(',,,');
    expect(lines[4]).toBe('😀😀,,,');
    // Scored as written, printed with the phone number masked (--show-personal keeps it).
    expect(lines[6]).toMatch(/^"lovely mug, call me on \[PHONE\]",[01],0\.\d{4},/);
  });

  it('reviews: the insight of the store from the stored scores (nothing left to score after training)', async () => {
    const db = join(dir, 'r.duckdb');
    const { texts, labels } = reviewCorpus();
    const out = JSON.parse((await cli('reviews', '--db', db, '--json')).stdout) as {
      scoring: { scored: number };
      insight: {
        reviews: number;
        scored: number;
        unscored: number;
        models: Record<string, number>;
        sentiment: { negative: number };
        months: unknown[];
        aspects: { aspect: string; reviews: number }[];
        comparison: { month: string | null };
      };
    };
    expect(out.scoring.scored).toBe(0);
    expect(out.insight).toMatchObject({
      reviews: texts.length,
      scored: texts.length,
      unscored: 0,
      models: { 'sentiment@1': texts.length },
      months: [], // the corpus has no dates
      comparison: { month: null },
    });
    // The model fits its own training corpus: the negative count is the corpus's, within a few.
    const negatives = labels.filter((l) => l === 0).length;
    expect(Math.abs(out.insight.sentiment.negative - negatives)).toBeLessThanOrEqual(3);
    // 质量 opens ZH_POS and ZH_NEG ('质量很好', '质量太差'): 5 items, plus the reordered repeats.
    expect(out.insight.aspects.map((a) => a.aspect)).toContain('质量');
    const human = (await cli('reviews', '--db', db)).stdout;
    expect(human).toContain(`Reviews of the store: ${texts.length} with text, ${texts.length} scored`);
    await expect(cli('reviews', '--db', db, '--product', 'a', '--category', 'b')).rejects.toThrow(
      /--product and --category: give one of them, not both/,
    );
  });

  it('refuses a file without the column, naming the header', async () => {
    const db = join(dir, 'r.duckdb');
    const input = join(dir, 'bad.csv');
    writeFileSync(input, 'text\nhello\n');
    await expect(
      cli('reviews', 'score', '--file', input, '--out', join(dir, 'x.csv'), '--db', db),
    ).rejects.toThrow(/no column 'review' \(the header has 'text'\)/);
  });
});
