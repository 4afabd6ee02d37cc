import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import type { OrderRiskColumns } from './order-risk-columns.js';
import { writeOrderRisk, type OrderRiskRow, type WriteOrderRiskOptions } from './order-risk-store.js';
import type { Warehouse } from './warehouse.js';

/**
 * The previous write (until the keyed table and the row-wise path went): delete the rows of the
 * orders scored again, append every row with its reasons turned into JSON text.
 */
async function previousWrite(
  wh: Warehouse,
  rows: readonly OrderRiskRow[],
  options: WriteOrderRiskOptions = {},
): Promise<void> {
  await wh.transaction(async () => {
    if (options.replaceAll) await wh.exec('DELETE FROM order_risk');
    else {
      await wh.exec(
        `DELETE FROM order_risk WHERE order_id IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')))`,
        [JSON.stringify(rows.map((r) => r.orderId))],
      );
    }
    await wh.append('order_risk', {
      order_id: rows.map((r) => r.orderId),
      score: Float64Array.from(rows, (r) => r.score),
      model_score: Float64Array.from(rows, (r) => r.modelScore),
      action: rows.map((r) => r.action),
      held: rows.map((r) => r.held),
      reasons: rows.map((r) => JSON.stringify(r.reasons)),
      model_version: Int32Array.from(rows, (r) => r.modelVersion),
      scored_at: rows.map((r) => r.scoredAt),
      rules_hit: rows.map((r) => JSON.stringify(r.rulesHit)),
    });
  });
}

/** Orders o<from>..o<to - 1> scored by model `version`: awkward doubles, every action, quotes in reasons. */
function scored(from: number, to: number, version: number): OrderRiskRow[] {
  const scoredAt = new Date(Date.UTC(2024, 0, 1, 0, 0, version, 123));
  return Array.from({ length: to - from }, (_, i) => {
    const k = from + i;
    const score = (k * 0.1 + 0.2) / 3 - Math.floor((k * 0.1 + 0.2) / 3);
    return {
      orderId: `o${k}`,
      score,
      modelScore: Math.sqrt(score) / (version + Math.PI),
      action: k % 7 === 0 ? 'hold' : k % 11 === 0 ? 'allow' : null,
      held: k % 3 === 0,
      reasons:
        k % 5 === 0 ? [] : [`rule 'say "hi"' (${k})`, `log_value=${(k / 7).toFixed(2)} (+0.1${k} log-odds)`],
      rulesHit: k % 7 === 0 ? ['big "first" order'] : [],
      modelVersion: version,
      scoredAt,
    };
  });
}

/** The same rows column by column, as `risk score` hands them to writeOrderRisk. */
function columns(rows: readonly OrderRiskRow[]): OrderRiskColumns {
  return {
    orderIds: rows.map((r) => r.orderId),
    score: Float64Array.from(rows, (r) => r.score),
    modelScore: Float64Array.from(rows, (r) => r.modelScore),
    action: rows.map((r) => r.action),
    held: rows.map((r) => r.held),
    reasonsJson: rows.map((r) => JSON.stringify(r.reasons)),
    rulesHitJson: rows.map((r) => JSON.stringify(r.rulesHit)),
    modelVersion: rows[0]!.modelVersion,
    scoredAt: rows[0]!.scoredAt,
  };
}

const stored = (wh: Warehouse) =>
  wh.rows(
    `SELECT order_id, score, model_score, action, held, reasons::VARCHAR AS reasons, model_version,
            scored_at, rules_hit::VARCHAR AS rules_hit FROM order_risk ORDER BY order_id`,
  );

let open: Warehouse[] = [];
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()));
  open = [];
});

describe('writing order_risk: staged column by column, then delete and insert', () => {
  it('stores what the previous delete-and-append stored, to the bit, first write and rescoring alike', async () => {
    const now = await DuckDBWarehouse.open(':memory:');
    const before = await DuckDBWarehouse.open(':memory:');
    open = [now, before];
    const steps: [OrderRiskRow[], WriteOrderRiskOptions][] = [
      [scored(0, 300, 1), { replaceAll: true }], // an empty table
      [scored(200, 400, 2), {}], // 100 orders scored again, 100 new, 200 left alone
      [scored(350, 380, 3), { replaceAll: true }], // every order of a smaller store: the rest go
    ];
    const counts: number[] = [];
    for (const [rows, options] of steps) {
      await writeOrderRisk(now, columns(rows), options);
      await previousWrite(before, rows, options);
      const a = await stored(now);
      const b = await stored(before);
      expect(a).toEqual(b);
      // Scores to the bit (toEqual would call -0 and +0 or two NaN payloads equal; Object.is does not).
      a.forEach((r, i) => {
        expect(Object.is(r['score'], b[i]!['score'])).toBe(true);
        expect(Object.is(r['model_score'], b[i]!['model_score'])).toBe(true);
      });
      counts.push(a.length);
    }
    expect(counts).toEqual([300, 400, 30]);
    // After the last write of every order, only its 30 rows remain, all of model version 3.
    const versions = await now.rows<{ v: number; n: number }>(
      'SELECT model_version AS v, CAST(count(*) AS INTEGER) AS n FROM order_risk GROUP BY 1 ORDER BY 1',
    );
    expect(versions).toEqual([{ v: 3, n: 30 }]);
  });

  it('keeps one row per order, and leaves no staging table behind', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    open = [wh];
    await writeOrderRisk(wh, columns(scored(0, 50, 1)));
    await writeOrderRisk(wh, columns(scored(25, 75, 2)));
    await writeOrderRisk(wh, columns(scored(25, 75, 2)));
    const [c] = await wh.rows<{ n: number; ids: number; v2: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT order_id) AS INTEGER) AS ids,
              CAST(count(*) FILTER (WHERE model_version = 2) AS INTEGER) AS v2 FROM order_risk`,
    );
    expect(c).toEqual({ n: 75, ids: 75, v2: 50 });
    const left = await wh.rows(
      `SELECT table_name FROM duckdb_tables() WHERE table_name = 'order_risk_stage'`,
    );
    expect(left).toEqual([]);
  });
});
