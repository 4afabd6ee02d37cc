import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../core/framed-records.js';
import { decodeArtifact } from '../../ml/artifact.js';
import { openSyntheticStore } from '../../tasks/customers/test-synthetic-store.js';
import { listModels } from '../../registry/registry.js';
import { erasedModelIds, readArtifact } from '../../warehouse/model-store.js';
import { openWarehouse } from '../../warehouse/open.js';
import { erasureLog, tokenPattern } from '../../warehouse/personal-data.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-privacy-'));
const db = join(dir, 'store.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db],
    {
      maxBuffer: 1 << 24,
    },
  );

const ID = 'c7';
const EMAIL = 'c7@example.org';
/** c7's first and last name (migration 21): exported as stored, gone after the erasure. */
const NAME = ['Zebedee', 'Marchetti'];
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Answer {
  source: string;
  coldStart: boolean;
  items: { productId: string }[];
}

/** Every (table, column) holding the id or the e-mail as a whole token, read through SQL. */
async function mentions(): Promise<string[]> {
  const wh = await openWarehouse(db);
  try {
    const cols = await wh.rows<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
        WHERE table_schema = 'main' AND data_type <> 'BLOB' ORDER BY 1, 2`,
    );
    const found: string[] = [];
    for (const { t, c } of cols) {
      const [r] = await wh.rows<{ n: number }>(
        `SELECT count(*) AS n FROM "${t}" WHERE regexp_matches("${c}"::VARCHAR, ?) OR contains("${c}"::VARCHAR, ?)`,
        [tokenPattern(ID), EMAIL],
      );
      const [named] = await wh.rows<{ n: number }>(
        `SELECT count(*) AS n FROM "${t}" WHERE contains("${c}"::VARCHAR, ?)`,
        [NAME[1]!],
      );
      if (Number(r!.n) > 0 || Number(named!.n) > 0) found.push(`${t}.${c}`);
    }
    for (const m of await listModels(wh)) {
      const a = decodeArtifact(await readArtifact(wh, m.modelId));
      const text = JSON.stringify(a.meta) + JSON.stringify(m.trainedOn) + JSON.stringify(m.params);
      if (new RegExp(tokenPattern(ID)).test(text) || text.includes(EMAIL))
        found.push(`artifact ${m.modelId}`);
    }
    return found;
  } finally {
    await wh.close();
  }
}

describe('shopsight privacy forget', () => {
  let before: Map<string, string>;
  let others: Answer;
  beforeAll(async () => {
    const wh = await openSyntheticStore(db);
    await wh.exec("UPDATE customers SET email = customer_id || '@example.org'");
    await wh.exec(`UPDATE customers SET first_name = ?, last_name = ? WHERE customer_id = '${ID}'`, NAME);
    await wh.exec(`INSERT INTO events (event_id, customer_id, anonymous_id, type, product_id, occurred_at)
      SELECT 'e' || i, 'c' || (i % 10), 'anon-' || (i % 10), 'view', 'p' || (i % 20), TIMESTAMP '2023-06-01' + to_hours(i)
      FROM range(100) t(i)`);
    await wh.exec(`INSERT INTO events (event_id, anonymous_id, type, product_id, occurred_at)
      VALUES ('e-anon', 'anon-7', 'view', 'p1', TIMESTAMP '2023-06-02')`);
    await wh.exec(`INSERT INTO quarantine VALUES
      ('imp1', '/x/orders.csv', 3, 'total', 'invalid_number', 'total is not a number', '{"order_id":"o9","customer_id":"c7","total":"x"}'),
      ('imp1', '/x/orders.csv', 4, 'total', 'invalid_number', 'total is not a number', '{"order_id":"o10","customer_id":"c70","total":"x"}')`);
    await wh.exec(`INSERT INTO recommendation_impressions VALUES
      ('r1', TIMESTAMP '2023-06-01', 'user', 'c7', NULL, NULL, 'recommend', 1, NULL, ['p1']),
      ('r2', TIMESTAMP '2023-06-01', 'user', 'c8', NULL, NULL, 'recommend', 1, NULL, ['p1'])`);
    // A table a later migration might add: found from the catalogue by its personal column.
    await wh.exec('CREATE TABLE future_scores (customer_id VARCHAR, score DOUBLE)');
    await wh.exec("INSERT INTO future_scores VALUES ('c7', 0.5), ('c8', 0.25)");
    await wh.close();
    // An event log left by a server that stopped before committing it.
    const ev = (customer: string, id: string) => ({
      event_id: id,
      type: 'view',
      customer_id: customer,
      anonymous_id: null,
    });
    writeFileSync(
      `${db}.events.wal.1`,
      Buffer.concat([encodeRecord([ev('c7', 'w1'), ev('c8', 'w2')]), encodeRecord([ev('c7', 'w3')])]),
    );

    await cli('train', 'customers', '--cutoff', '2023-10-01');
    await cli('train', 'recommend', '--model', 'als');
    await cli('predict', 'customers');
    const w = await openWarehouse(db);
    before = new Map(
      (
        await w.rows<{ id: string; p: string }>(
          'SELECT customer_id AS id, (churn_probability, purchase_probability, clv_365d, churn_reasons)::VARCHAR AS p FROM customer_predictions',
        )
      ).map((r) => [r.id, r.p]),
    );
    await w.close();
    others = JSON.parse((await cli('recommend', '--user', 'no-such-user', '--json')).stdout) as Answer;
  }, 600_000);

  it('refuses an unknown customer with exit code 1 and changes nothing', async () => {
    const hash = sha(db);
    const err = (await cli('privacy', 'forget', '--customer', 'nobody').then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(
      /^shopsight: unknown customer 'nobody': no table of .* holds it; nothing was changed/,
    );
    expect(sha(db)).toBe(hash);
  }, 120_000);

  it('retain: refuses an absurd age, and a dry run counts without changing the file', async () => {
    const err = (await cli('privacy', 'retain', '--events-days=-5').then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toBe(
      'shopsight: --events-days: -5 days would delete everything or nothing sensible; use 1 or more\n',
    );
    const hash = sha(db);
    // The store's events run 2023-06-01 00:00 to 2023-06-05 04:00: all older than 30 days.
    const dry = JSON.parse(
      (await cli('privacy', 'retain', '--events-days', '30', '--dry-run', '--json')).stdout,
    ) as {
      deleted: { events: number; quarantine: number };
    };
    expect(dry.deleted).toEqual({ events: 101, quarantine: 0 });
    expect(sha(db)).toBe(hash);
  }, 120_000);

  it('exports everything held about the customer, as each table holds it', async () => {
    const out = join(dir, 'c7.json');
    const exported = await cli('privacy', 'export', '--customer', ID, '--out', out);
    expect(exported.stdout).toContain("not masked: the export is the person's own data as stored");
    const x = JSON.parse(readFileSync(out, 'utf8')) as {
      customerId: string;
      heldAs: string[];
      tables: Record<string, Record<string, unknown>[]>;
    };
    rmSync(out);
    expect(x.customerId).toBe(ID);
    expect(x.heldAs).toEqual([ID]);
    const wh = await openWarehouse(db);
    try {
      const n = async (sql: string): Promise<number> => Number((await wh.rows<{ n: number }>(sql))[0]!.n);
      // c7's orders: i % 300 = 7 for i < 4000 (14 of them); events e7, e17, ..., e97 and anon-7's e-anon.
      expect(Object.fromEntries(Object.entries(x.tables).map(([t, r]) => [t, r.length]))).toEqual({
        customers: 1,
        orders: 14,
        order_items: await n(
          "SELECT count(*) AS n FROM order_items WHERE order_id IN (SELECT order_id FROM orders WHERE customer_id = 'c7')",
        ),
        events: 11,
        customer_predictions: 1,
        recommendation_impressions: 1,
        future_scores: 1,
      });
      expect(x.tables['customers']![0]!['email']).toBe(EMAIL);
      expect([x.tables['customers']![0]!['first_name'], x.tables['customers']![0]!['last_name']]).toEqual(
        NAME,
      );
      const [pred] = await wh.rows<{ churn_reasons: string; churn_probability: number }>(
        "SELECT churn_reasons, churn_probability FROM customer_predictions WHERE customer_id = 'c7'",
      );
      expect(x.tables['customer_predictions']![0]!['churn_reasons']).toEqual(pred!.churn_reasons);
      expect(x.tables['customer_predictions']![0]!['churn_probability']).toBe(pred!.churn_probability);
      const ids = (
        await wh.rows<{ id: string }>("SELECT order_id AS id FROM orders WHERE customer_id = 'c7' ORDER BY 1")
      ).map((r) => r.id);
      expect(x.tables['orders']!.map((o) => o['order_id']).sort()).toEqual(ids);
    } finally {
      await wh.close();
    }
  }, 120_000);

  it('erases the customer from every table, artifact and file; the others are unchanged', async () => {
    const known = JSON.parse((await cli('recommend', '--user', ID, '--json')).stdout) as Answer;
    expect(known.coldStart).toBe(false); // the bundle knew them before
    expect((await mentions()).length).toBeGreaterThan(5);

    const out = JSON.parse(
      (
        await cli(
          'privacy',
          'forget',
          '--customer',
          ID,
          '--email',
          EMAIL,
          '--reason',
          'request 118',
          '--json',
        )
      ).stdout,
    ) as { counts: Record<string, number>; modelsRewritten: string[]; modelsMarked: string[] };
    // c7 owns orders o7, o307, ... (i % 300 = 7 of 4000) and events e7, e17, ... e97 plus the anonymous e-anon.
    expect(out.counts['customers']).toBe(1);
    expect(out.counts['orders']).toBe(14);
    expect(out.counts['events']).toBe(11);
    expect(out.counts['quarantine']).toBe(1);
    expect(out.counts['recommendation_impressions']).toBe(1);
    expect(out.counts['future_scores']).toBe(1);
    expect(out.counts['customer_predictions']).toBe(1);
    expect(out.counts['event_log']).toBe(2);
    expect(out.modelsRewritten).toEqual(['recommend@1']);
    expect(out.modelsMarked.sort()).toEqual(['churn@1', 'clv@1', 'propensity@1', 'recommend@1']);

    expect(await mentions()).toEqual([]);
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      expect([
        f,
        bytes.includes(EMAIL) || bytes.includes(NAME[1]!),
        new RegExp(tokenPattern(ID)).test(bytes.toString('latin1')),
      ]).toEqual([f, false, false]);
    }
    const after = JSON.parse((await cli('recommend', '--user', ID, '--json')).stdout) as Answer;
    // Answered as for any unknown visitor: the same popular items, the note naming the id asked.
    expect(after).toEqual({ ...others, note: `unknown user '${ID}': popular items instead` });

    const wh = await openWarehouse(db);
    try {
      const now = await wh.rows<{ id: string; p: string }>(
        'SELECT customer_id AS id, (churn_probability, purchase_probability, clv_365d, churn_reasons)::VARCHAR AS p FROM customer_predictions',
      );
      expect(now.length).toBe(before.size - 1);
      for (const r of now) expect(r.p).toBe(before.get(r.id));
      const [entry, ...more] = await erasureLog(wh);
      expect(more).toEqual([]);
      expect(entry!.reason).toBe('request 118');
      expect(entry!.counts).toEqual(out.counts);
      expect([...(await erasedModelIds(wh))].sort()).toEqual(out.modelsMarked.sort());
      // The other customers' orders and the other visitor's quarantine row stay.
      expect((await wh.rows('SELECT 1 FROM quarantine')).length).toBe(1);
      expect((await wh.rows("SELECT 1 FROM future_scores WHERE customer_id = 'c8'")).length).toBe(1);
    } finally {
      await wh.close();
    }
  }, 300_000);
});
