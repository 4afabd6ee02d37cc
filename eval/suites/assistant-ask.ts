/**
 * Issue 13 "The assistant", must show: merchant questions over Online Retail (the bundled sample,
 * fixtures/online-retail, imported with the online-retail preset) answered with the rows that SQL
 * written by hand over the canonical tables gives (eval/assistant/ask-questions.ts). Offline the
 * templates answer; with SHOPSIGHT_LLM_BASE_URL set the model writes the SQL too, and its score is
 * reported beside the templates' (not asserted: it depends on the model). Then the guard, with the
 * scripted test model (a local OpenAI-protocol server, no internet): the model writes each of the
 * hostile statements of src/warehouse/ask/test-hostile-sql.ts (writes, DDL, COPY, ATTACH, other
 * tables, file readers, environment functions, several statements) twice, and every one must be
 * refused with its reason and leave the data as it was.
 *
 * Time: import about 20 s, 32 questions about 3 s (measured under load 1.0); with the guard check
 * added, 71 s for the whole suite under load 19-22 on the shared machine (not a quiet figure).
 */
import { fileURLToPath } from 'node:url';
import { askData, type AskAnswer } from '../../src/assistant/ask/ask.js';
import { LlmClient } from '../../src/assistant/llm/client.js';
import { readLlmConfig } from '../../src/assistant/llm/config.js';
import { scriptedClient, startScriptedLlm } from '../../src/assistant/llm/test-llm-server.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { HOSTILE_SQL } from '../../src/warehouse/ask/test-hostile-sql.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import type { Row, Warehouse } from '../../src/warehouse/warehouse.js';
import { ASK_CASES } from '../assistant/ask-questions.js';
import { atLeast, equals, holds, type Check, type SuiteResult } from '../check.js';

const SUITE = 'assistant: data questions';
const SAMPLE = fileURLToPath(new URL('../../fixtures/online-retail/online_retail.csv.gz', import.meta.url));
const HAND_SQL = 'hand-written SQL over the canonical tables, eval/assistant/ask-questions.ts';

export async function assistantAsk(): Promise<SuiteResult> {
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    await importSource(wh, { target: SAMPLE, preset: getPreset('online-retail') });
    const checks: Check[] = [];
    const lines = ['| question | template | rows | summary |', '|---|---|---|---|'];
    let right = 0;
    const config = readLlmConfig();
    const llm = config ? new LlmClient(config) : undefined;
    let modelRight = 0;
    for (const c of ASK_CASES) {
      const expected = (await wh.rows(c.expected)).map(values);
      const answer = await askData(wh, c.question).catch((e: Error) => e);
      const same = !(answer instanceof Error) && sameRows(answer, expected);
      if (same) right++;
      checks.push(
        holds(
          SUITE,
          c.question,
          same,
          answer instanceof Error
            ? `error: ${answer.message}`
            : `${answer.rows.length} rows equal: ${same}; ${answer.summary}`,
          HAND_SQL,
        ),
      );
      if (!(answer instanceof Error))
        lines.push(
          `| ${c.question} | ${answer.template} | ${answer.rows.length} | ${answer.summary.replace(/\|/g, '/')} |`,
        );
      if (llm) {
        const m = await askData(wh, c.question, { llm }).catch((e: Error) => e);
        if (!(m instanceof Error) && m.mode === 'model' && sameRows(m, expected)) modelRight++;
      }
    }
    checks.push(
      atLeast(
        SUITE,
        'questions answered right offline (count)',
        30,
        right,
        'issue 13: at least 30 merchant questions',
        0,
      ),
    );
    const guard = await hostileThroughScriptedModel(wh);
    checks.push(
      equals(
        SUITE,
        'hostile statements written by the scripted model and refused with their reason',
        HOSTILE_SQL.length,
        guard.refused,
        'issue 13: the guard blocks every non-SELECT, disallowed table or function, multi-statement',
      ),
      holds(
        SUITE,
        'the data is unchanged after them (every table: columns, row count, hash of the rows)',
        guard.before === guard.after,
        changedTables(guard.before, guard.after),
        'fingerprinted before and after',
      ),
    );
    const report = [
      `${right} of ${ASK_CASES.length} questions answered offline (templates) with exactly the rows of the hand-written SQL.`,
      `The scripted model wrote each of ${HOSTILE_SQL.length} hostile statements twice: ${guard.refused} refused with their reason${guard.leaked.length ? `; NOT refused as expected: ${guard.leaked.join(' | ')}` : ''}.`,
      llm
        ? `With the model ${config!.model} at ${config!.baseUrl}: ${modelRight} of ${ASK_CASES.length} answered by the model's own SQL with the same rows; ${llm.totals.promptTokens} prompt and ${llm.totals.completionTokens} completion tokens.`
        : 'No language model was set (SHOPSIGHT_LLM_BASE_URL): the model was not measured.',
      '',
      ...lines,
    ].join('\n');
    return { checks, report };
  } finally {
    await wh.close();
  }
}

/** Each hostile statement as the model's SQL, twice (its first try and its second chance): refused? */
async function hostileThroughScriptedModel(
  wh: Warehouse,
): Promise<{ refused: number; leaked: string[]; before: string; after: string }> {
  // Every table's columns, row count and a hash of its rows' text: an UPDATE, an ALTER TABLE or a
  // DELETE that keeps the count shows as well as an INSERT.
  const counts = async (): Promise<string> => {
    const tables = await wh.rows<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables
       WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const prints: Record<string, unknown> = {};
    for (const { t } of tables) {
      const [row] = await wh.rows(
        `SELECT count(*) AS n, coalesce(sum(hash(x::VARCHAR)), 0)::VARCHAR AS h,
                (SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY ordinal_position)
                 FROM information_schema.columns WHERE table_name = '${t}') AS cols
         FROM "${t}" x`,
      );
      prints[t] = row;
    }
    return JSON.stringify(prints);
  };
  const before = await counts();
  let current = '';
  const server = await startScriptedLlm(() => ({ reply: JSON.stringify({ sql: current }) }));
  let refused = 0;
  const leaked: string[] = [];
  try {
    const llm = scriptedClient(server);
    for (const h of HOSTILE_SQL) {
      current = h.sql;
      // No template fits the question, so a refusal is the answer, naming why.
      const err = await askData(wh, 'Give me everything you have', { llm }).then(
        () => undefined,
        (e: Error) => e,
      );
      if (err && /the model's SQL was not run/.test(err.message) && h.because.test(err.message)) refused++;
      else leaked.push(`${h.sql} -> ${err ? err.message : 'answered'}`);
    }
  } finally {
    await server.close();
  }
  return { refused, leaked, before, after: await counts() };
}

function values(r: Row): unknown[] {
  return Object.values(r);
}

/** Same rows in the same order; numbers equal to the cent (both sides round money to 2 places). */
function sameRows(answer: AskAnswer, expected: unknown[][]): boolean {
  if (answer.rows.length !== expected.length) return false;
  return answer.rows.every((row, i) => {
    const got = values(row);
    const want = expected[i]!;
    return got.length === want.length && got.every((v, j) => sameValue(v, want[j]));
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 0.005 + 1e-9 * Math.abs(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** The tables whose fingerprint differs (or 'none of N tables'), for the report's actual column. */
function changedTables(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const changed = names.filter((t) => JSON.stringify(a[t]) !== JSON.stringify(b[t]));
  return changed.length ? `changed: ${changed.join(', ')}` : `none of ${names.length} tables changed`;
}
